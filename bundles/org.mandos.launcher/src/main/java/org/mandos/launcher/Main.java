package org.mandos.launcher;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mandos.config.ClientsFile;
import org.mandos.config.ConfigException;
import org.mandos.config.ServerSettings;
import org.mandos.tls.TlsPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The {@code mandos} command: checks the command line and every configuration file, opens the
 * listening sockets, and runs the server bundles in an embedded OSGi framework.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        MandosCommand cli = new MandosCommand();
        CommandLine parser = new CommandLine(cli);
        try {
            parser.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("mandos: " + e.getMessage());
            err.println("Try 'mandos --help' for more information.");
            return StartupError.USAGE;
        }
        if (parser.isUsageHelpRequested()) {
            parser.usage(out);
            return 0;
        }
        if (parser.isVersionHelpRequested()) {
            out.println(Version.text());
            return 0;
        }
        try {
            return start(cli, args, out, err);
        } catch (StartupError e) {
            err.println("mandos: " + e.getMessage());
            return e.exitStatus();
        }
    }

    private static int start(MandosCommand cli, String[] args, PrintStream out, PrintStream err) throws StartupError {
        Path configdir = Settings.configdir(cli);
        Settings settings;
        try {
            settings = Settings.merge(cli, ServerSettings.load(configdir.resolve("mandos.conf")));
        } catch (ConfigException e) {
            throw new StartupError(e.getMessage());
        }
        if (cli.check || cli.importState != null) {
            ClientsFile clients = ClientsCheck.load(configdir);
            TlsPolicy policy = policy(cli, settings);
            return cli.check ? new SelfCheck(settings, clients, policy, out).run()
                    : StateImport.run(Path.of(cli.importState), settings.statedir(), clients, out);
        }
        policy(cli, settings);
        if (isRoot()) {
            throw new StartupError("Refusing to run as root: start bin/mandos as root and it switches to the"
                    + " _mandos user itself, or run it as an unprivileged user");
        }
        if (!settings.foreground()) {
            // The server process checks clients.conf (below); its message reaches this terminal.
            return Daemon.launch(args, out, err);
        }
        // clients.conf is checked by the store's own first load: a bad file stops start-up with the store's
        // message (EmbeddedFramework.STARTUP_PROBLEMS), and the file is read once instead of twice.
        Logging.Target target;
        try {
            target = cli.daemonChild ? Logging.backgroundTarget(settings) : Logging.Target.console();
            Logging.configure(settings.debuglevel(), settings.debug(), target,
                    settings.configdir().resolve("logback.xml"));
        } catch (StartupError e) {
            ClientsCheck.load(configdir); // a bad clients.conf is reported first, as the reference does
            throw e;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        if (cli.daemonChild) {
            log.info("Logging to {}", target.describe());
        }
        try {
            return serve(cli, settings, log);
        } catch (StartupError e) {
            if (cli.daemonChild) {
                // The launching process shows it on the terminal; the log file keeps it too.
                log.error("{}", e.getMessage());
            }
            throw e;
        }
    }

    private static int serve(MandosCommand cli, Settings settings, Logger log) throws StartupError {
        List<ServerSocketChannel> channels = Listeners.open(settings);
        String listening = describe(channels);
        long pid = ProcessHandle.current().pid();
        if (cli.daemonChild) {
            PidFile.write(settings.pidfile(), pid);
        }
        Map<String, String> properties = frameworkProperties(settings);
        properties.putAll(hotDeploy(home().resolve("plugins")));
        EmbeddedFramework framework;
        try {
            framework = EmbeddedFramework.start(home().resolve("bundle"), properties, channels);
        } catch (StartupError e) {
            if (cli.daemonChild) {
                PidFile.remove(settings.pidfile(), pid);
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping");
            framework.stop();
            if (cli.daemonChild) {
                PidFile.remove(settings.pidfile(), pid);
            }
            Logging.stop();
            // A stop by SIGTERM or SIGINT is a normal shutdown: exit 0 as the reference does,
            // not the JVM's 128 + signal.
            Runtime.getRuntime().halt(0);
        }, "mandos-shutdown"));
        ReloadSignal.install(() -> {
            log.info("SIGHUP: reloading the client configuration");
            framework.reloadClients().forEach(line -> log.info("Reload: {}", line));
        });
        log.info("Now listening on {}", listening);
        FrameworkCache.removeAbandonedInBackground();
        if (cli.daemonChild) {
            Daemon.reportReady("listening on " + listening + " (pid " + pid + ")");
        }
        try {
            framework.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static TlsPolicy policy(MandosCommand cli, Settings settings) throws StartupError {
        try {
            return TlsPolicy.parse(settings.priority());
        } catch (IllegalArgumentException e) {
            String where = cli.priority != null ? "--priority"
                    : settings.configdir().resolve("mandos.conf") + ": priority";
            throw new StartupError(cli.priority != null ? StartupError.USAGE : StartupError.FAILURE,
                    where + ": " + e.getMessage());
        }
    }

    static Map<String, String> frameworkProperties(Settings s) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mandos.configdir", s.configdir().toAbsolutePath().toString());
        p.put("mandos.statedir", s.statedir().toAbsolutePath().toString());
        p.put("mandos.restore", Boolean.toString(s.restore()));
        p.put("mandos.priority", s.priority());
        p.put("mandos.servicename", s.servicename());
        p.put("mandos.debug", Boolean.toString(s.debug()));
        p.put("mandos.use_dbus", Boolean.toString(s.useDbus()));
        p.put("mandos.line_timeout", s.file().lineTimeout().toString());
        p.put("mandos.handshake_timeout", s.file().handshakeTimeout().toString());
        p.put("mandos.max_connections", Integer.toString(s.file().maxConnections()));
        p.put("mandos.max_connections_per_peer", Integer.toString(s.file().maxConnectionsPerPeer()));
        p.put("mandos.zeroconf", Boolean.toString(s.zeroconf()));
        p.put("mandos.interface", s.interfaceName());
        p.put("mandos.use_ipv6", Boolean.toString(s.useIpv6()));
        p.put("mandos.announcer", s.file().announcer());
        p.put(CONSOLE_SHELL, Boolean.toString(consoleShell(s.foreground(), System.getProperty(CONSOLE_SHELL),
                System.console() != null)));
        return p;
    }

    /** The framework property, and JVM system property, of the operator shell on the console. */
    static final String CONSOLE_SHELL = "mandos.shell.console";

    /**
     * Whether the operator shell reads the console: only in the foreground, and by default only when
     * standard input and output are a terminal; {@code -Dmandos.shell.console=true|false} decides otherwise.
     */
    static boolean consoleShell(boolean foreground, String setting, boolean terminal) {
        if (!foreground || "false".equals(setting)) {
            return false;
        }
        return "true".equals(setting) || terminal;
    }

    /**
     * Felix FileInstall watches {@code plugins/}: a jar dropped there is installed and started, a
     * replaced one updated, a removed one uninstalled, while the server runs.
     */
    static Map<String, String> hotDeploy(Path plugins) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("felix.fileinstall.dir", plugins.toAbsolutePath().toString());
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.log.level", "2");
        // Never write configuration changes back into the operator's files.
        p.put("felix.fileinstall.enableConfigSave", "false");
        return p;
    }

    private static String describe(List<ServerSocketChannel> channels) {
        List<String> parts = new ArrayList<>();
        for (ServerSocketChannel channel : channels) {
            try {
                InetSocketAddress a = (InetSocketAddress) channel.getLocalAddress();
                parts.add("address '" + Listeners.text(a.getAddress()) + "', port " + a.getPort());
            } catch (java.io.IOException e) {
                parts.add(channel.toString());
            }
        }
        return String.join("; ", parts);
    }

    static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** The installation directory: {@code -Dmandos.home}, set by bin/mandos. */
    static Path home() throws StartupError {
        String home = System.getProperty("mandos.home");
        if (home == null) {
            throw new StartupError("mandos.home is not set: start the server with bin/mandos");
        }
        return Path.of(home);
    }
}
