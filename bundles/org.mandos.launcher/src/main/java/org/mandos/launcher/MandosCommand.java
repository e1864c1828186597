package org.mandos.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of mandos(8). Options left unset here fall back to mandos.conf, then to the built-in
 * defaults; switches can only turn a setting on ({@code --debug}, {@code --foreground}) or off
 * ({@code --no-*}), as in the reference.
 */
@Command(name = "mandos", versionProvider = Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Serve encrypted passwords to Mandos clients that boot unattended.",
        footer = {"", "Exit status: 0 normal shutdown, --check passed or state imported, 1 start-up failure, --check",
                "or --import-state failed, 2 command-line usage error. See mandos(8) in docs/ for details."})
final class MandosCommand {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Show the version and exit")
    boolean version;

    @Option(names = {"-i", "--interface"}, paramLabel = "IF", description = "Listen only on this network interface's addresses")
    String interfaceName;

    @Option(names = {"-a", "--address"}, paramLabel = "ADDRESS", description = "Address to listen on (IPv6 literal, or IPv4 with --no-ipv6)")
    String address;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "TCP port to listen on (default: ephemeral)")
    Integer port;

    @Option(names = "--check", description = "Run a self-test (configuration, TLS handshake, file permissions) and exit")
    boolean check;

    @Option(names = "--import-state", paramLabel = "FILE", description = "Convert the reference server's"
            + " clients.pickle to <statedir>/clients.json (which must not exist yet), print the clients and exit")
    String importState;

    @Option(names = "--debug", description = "Debug mode: the DEBUG log level and checker output (add --foreground to log to the console)")
    boolean debug;

    @Option(names = "--debuglevel", paramLabel = "LEVEL", description = "Log level: CRITICAL, ERROR, WARNING, INFO or DEBUG")
    String debuglevel;

    @Option(names = "--priority", paramLabel = "STRING", description = "GnuTLS priority string for the TLS handshake")
    String priority;

    @Option(names = "--servicename", paramLabel = "NAME", description = "Zeroconf service name (default: Mandos)")
    String servicename;

    @Option(names = "--configdir", paramLabel = "DIR", description = "Directory with mandos.conf and clients.conf (default: /etc/mandos)")
    String configdir;

    @Option(names = "--no-dbus", description = "Do not provide the D-Bus control interface")
    boolean noDbus;

    @Option(names = "--no-ipv6", description = "Listen on IPv4 only")
    boolean noIpv6;

    @Option(names = "--no-restore", description = "Do not restore the saved client state")
    boolean noRestore;

    @Option(names = "--statedir", paramLabel = "DIR", description = "Directory for persistent state (default: /var/lib/mandos)")
    String statedir;

    @Option(names = "--socket", paramLabel = "FD", description = "Use this inherited listening socket (bin/mandos passes it as standard input)")
    Integer socket;

    @Option(names = "--foreground", description = "Run in the foreground and log to standard error")
    boolean foreground;

    @Option(names = "--no-zeroconf", description = "Do not announce the server with Zeroconf")
    boolean noZeroconf;

    @Option(names = "--pidfile", paramLabel = "FILE", description = "Pid file written in background mode (default: /run/mandos/mandos.pid)")
    String pidfile;

    /** Set by the background launcher for the process it starts; not for people. */
    @Option(names = "--daemon-child", hidden = true)
    boolean daemonChild;
}
