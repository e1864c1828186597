package org.mandos.launcher;

import java.nio.file.Path;
import org.mandos.config.ServerSettings;

/**
 * The server settings after merging: built-in defaults, then mandos.conf, then the command line (only
 * options actually given). Unlike the reference, {@code debug} does not imply {@code foreground}.
 */
record Settings(
        Path configdir,
        String interfaceName,
        String address,
        int port,
        boolean debug,
        String debuglevel,
        String priority,
        String servicename,
        boolean useDbus,
        boolean useIpv6,
        boolean restore,
        Path statedir,
        Integer socket,
        boolean foreground,
        boolean zeroconf,
        Path pidfile,
        ServerSettings file,
        String interfaceOrigin,
        String addressOrigin) {

    static final Path DEFAULT_CONFIGDIR = Path.of("/etc/mandos");
    static final Path DEFAULT_PIDFILE = Path.of("/run/mandos/mandos.pid");

    static Path configdir(MandosCommand cli) {
        return cli.configdir != null ? Path.of(cli.configdir) : DEFAULT_CONFIGDIR;
    }

    static Settings merge(MandosCommand cli, ServerSettings file) throws StartupError {
        boolean debug = cli.debug || file.debug();
        Integer port = cli.port != null ? cli.port : file.port();
        if (port != null && (port < 0 || port > 65535)) {
            throw new StartupError(StartupError.USAGE, (cli.port != null ? "--port" : "mandos.conf: port")
                    + ": " + port + " is not a TCP port number (0-65535)");
        }
        Integer socket = cli.socket != null ? cli.socket : file.socket();
        boolean zeroconf = file.zeroconf() && !cli.noZeroconf;
        // As the reference: port 0 counts as no port.
        if (!zeroconf && (port == null || port == 0) && socket == null) {
            throw new StartupError(StartupError.USAGE, "Needs port or socket to work without Zeroconf");
        }
        String debuglevel = cli.debuglevel != null ? cli.debuglevel : file.debuglevel();
        if (cli.debuglevel != null) {
            debuglevel = LogLevels.check("--debuglevel", debuglevel);
        }
        return new Settings(
                configdir(cli),
                cli.interfaceName != null ? cli.interfaceName : file.interfaceName(),
                cli.address != null ? cli.address : file.address(),
                port == null ? 0 : port,
                debug,
                debuglevel,
                cli.priority != null ? cli.priority : file.priority(),
                cli.servicename != null ? cli.servicename : file.servicename(),
                file.useDbus() && !cli.noDbus,
                file.useIpv6() && !cli.noIpv6,
                file.restore() && !cli.noRestore,
                Path.of(cli.statedir != null ? cli.statedir : file.statedir()),
                socket,
                cli.foreground || cli.daemonChild || file.foreground(),
                zeroconf,
                cli.pidfile != null ? Path.of(cli.pidfile) : DEFAULT_PIDFILE,
                file,
                cli.interfaceName != null ? "--interface" : "mandos.conf interface",
                cli.address != null ? "--address" : "mandos.conf address");
    }
}
