package org.mandos.client;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.TlsPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mandos-client}: gets this host's password from a Mandos server and prints it on standard output.
 * See {@code docs/mandos-client.8.md}.
 */
public final class Main {

    /** Success: the password was written to standard output. */
    public static final int EXIT_OK = 0;
    /** EX_USAGE: bad command line. */
    public static final int EXIT_USAGE = 64;
    /** EX_UNAVAILABLE: a key file is missing, unreadable or invalid (as the reference client). */
    public static final int EXIT_UNAVAILABLE = 69;
    /** EX_IOERR: the password could not be written to standard output. */
    public static final int EXIT_IOERR = 74;
    /** EX_TEMPFAIL: no password after {@code --tries} attempts or by the {@code --timeout} deadline. */
    public static final int EXIT_TEMPFAIL = 75;

    static final String PREFIX = "mandos-client: ";
    static final double MIN_RETRY_SECONDS = 0.1;
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

    @Command(name = "mandos-client", sortOptions = false, usageHelpWidth = 110,
            description = "Gets this host's password from a Mandos server and writes it to standard output.",
            footer = {"", "Exit status: 0 password written; 64 usage error; 69 key file missing or unreadable;"
                    + " 74 cannot write standard output; 75 no password after --tries attempts or --timeout.",
                    "Without --connect, servers are found with Zeroconf (_mandos._tcp) on the --interface"
                    + " interfaces, or on all suitable ones."})
    static final class Options {
        @Option(names = {"-c", "--connect"}, paramLabel = "ADDRESS:PORT",
                description = "Connect directly to this server instead of finding servers with Zeroconf (the last"
                        + " colon separates the port; [IPv6]:PORT and IPv6%%ZONE:PORT also work).")
        String connect;

        @Option(names = {"-i", "--interface"}, paramLabel = "NAME", split = ",",
                description = "Find servers with Zeroconf only on these network interfaces (default: all that are"
                        + " up, multicast-capable, not loopback and not point-to-point); \"none\" is skipped."
                        + " Ignored with --connect.")
        List<String> interfaces = new ArrayList<>();

        @Option(names = {"-p", "--pubkey"}, paramLabel = "FILE", description = "OpenPGP public key file"
                + " (default: ${DEFAULT-VALUE}).")
        Path pubkey = Path.of("/conf/conf.d/mandos/pubkey.txt");

        @Option(names = {"-s", "--seckey"}, paramLabel = "FILE", description = "OpenPGP secret key file"
                + " (default: ${DEFAULT-VALUE}).")
        Path seckey = Path.of("/conf/conf.d/mandos/seckey.txt");

        @Option(names = {"-T", "--tls-pubkey"}, paramLabel = "FILE", description = "TLS public key file, PEM"
                + " (default: ${DEFAULT-VALUE}).")
        Path tlsPubkey = Path.of("/conf/conf.d/mandos/tls-pubkey.pem");

        @Option(names = {"-t", "--tls-privkey"}, paramLabel = "FILE", description = "TLS private key file, PEM"
                + " (default: ${DEFAULT-VALUE}).")
        Path tlsPrivkey = Path.of("/conf/conf.d/mandos/tls-privkey.pem");

        @Option(names = "--priority", paramLabel = "STRING", description = {"GnuTLS priority string; default:", "${DEFAULT-VALUE}"})
        String priority = TlsPolicy.DEFAULT_PRIORITY;

        @Option(names = "--retry", paramLabel = "SECONDS", description = "Pause between attempts on the same"
                + " server (default: ${DEFAULT-VALUE}; at least 0.1).")
        double retry = 10;

        @Option(names = "--tries", paramLabel = "N", description = "Give up after N attempts, counted over all"
                + " servers (default: never).")
        Integer tries;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long overall"
                + " (default: never).")
        Double timeout;

        @Option(names = "--network-hook-dir", paramLabel = "DIR", description = "Accepted and ignored.")
        String networkHookDir;

        @Option(names = "--delay", paramLabel = "SECONDS", description = "Accepted and ignored.")
        String delay;

        @Option(names = "--dh-bits", paramLabel = "BITS", description = "Accepted and ignored (TLS 1.3 only).")
        String dhBits;

        @Option(names = "--dh-params", paramLabel = "FILE", description = "Accepted and ignored (TLS 1.3 only).")
        String dhParams;

        @Option(names = "--debug", description = "Print progress to standard error (never the password).")
        boolean debug;

        @Option(names = {"-?", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = "--usage", description = "Show this help and exit.")
        boolean usage;

        @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
        boolean version;
    }

    /** Opens the discovery of servers when no {@code --connect} is given; replaced in tests. */
    @FunctionalInterface
    interface SourceFactory {
        /**
         * @param interfaces the interface names of {@code --interface} (without "none"), or empty for all
         */
        ServerSource open(List<String> interfaces, PasswordFetcher.Log log);
    }

    /** The real discovery: Zeroconf with jmdns. */
    static final SourceFactory ZEROCONF = JmdnsServerSource::open;

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(run(args, stdout, stderr));
    }

    /** The version of this build, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through
        }
        String v = properties.getProperty("version", "");
        return v.isEmpty() || v.startsWith("$") ? "unknown" : v;
    }

    /**
     * Runs the tool.
     *
     * @param stdout receives the password and nothing else (or the help and version text)
     * @param stderr receives errors, and progress with {@code --debug}
     * @return the exit status
     */
    public static int run(String[] args, OutputStream stdout, PrintStream stderr) {
        return run(args, stdout, stderr, ZEROCONF);
    }

    /** {@link #run(String[], OutputStream, PrintStream)} with the discovery of servers replaced. */
    static int run(String[] args, OutputStream stdout, PrintStream stderr, SourceFactory sources) {
        Options options = new Options();
        CommandLine commandLine = new CommandLine(options);
        commandLine.setAbbreviatedOptionsAllowed(true);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            stderr.println(PREFIX + e.getMessage());
            stderr.println("Try 'mandos-client --help' for more information.");
            return EXIT_USAGE;
        }
        if (commandLine.isUsageHelpRequested() || options.usage) {
            PrintWriter writer = new PrintWriter(stdout, true, StandardCharsets.UTF_8);
            commandLine.usage(writer);
            writer.flush();
            return EXIT_OK;
        }
        if (commandLine.isVersionHelpRequested()) {
            PrintWriter writer = new PrintWriter(stdout, true, StandardCharsets.UTF_8);
            writer.println("mandos-client " + version() + " (Java)");
            writer.flush();
            return EXIT_OK;
        }
        PasswordFetcher.Log log = new PasswordFetcher.Log() {
            @Override
            public void debug(String message) {
                if (options.debug) {
                    stderr.println(PREFIX + message);
                }
            }

            @Override
            public void error(String message) {
                stderr.println(PREFIX + message);
            }
        };

        // Settings
        if (!Double.isFinite(options.retry) || options.retry < 0) {
            return usage(stderr, "--retry must be a number of seconds, 0 or more: " + options.retry);
        }
        double retry = options.retry;
        if (retry < MIN_RETRY_SECONDS) {
            log.debug("--retry " + retry + " is below " + MIN_RETRY_SECONDS + " s; using " + MIN_RETRY_SECONDS
                    + " s (no busy loop)");
            retry = MIN_RETRY_SECONDS;
        }
        if (options.tries != null && options.tries < 1) {
            return usage(stderr, "--tries must be 1 or more: " + options.tries);
        }
        if (options.timeout != null && (!Double.isFinite(options.timeout) || options.timeout <= 0)) {
            return usage(stderr, "--timeout must be a positive number of seconds: " + options.timeout);
        }
        TlsPolicy policy;
        try {
            policy = TlsPolicy.parse(options.priority);
        } catch (IllegalArgumentException e) {
            return usage(stderr, "bad --priority: " + e.getMessage());
        }
        List<String> interfaces = options.interfaces.stream().map(String::strip)
                .filter(name -> !name.isEmpty() && !name.equals("none")).distinct().toList();
        if (options.connect != null && !options.interfaces.isEmpty()) {
            log.debug("Ignoring --interface " + String.join(",", options.interfaces)
                    + " with --connect: this client uses the network as it is");
        }
        ignored(log, "--network-hook-dir", options.networkHookDir, "network hooks are not run");
        ignored(log, "--delay", options.delay, "no interface is brought up");
        ignored(log, "--dh-bits", options.dhBits, "TLS 1.3 uses no DH parameters");
        ignored(log, "--dh-params", options.dhParams, "TLS 1.3 uses no DH parameters");
        ServerAddress address = null;
        if (options.connect != null) {
            try {
                address = ServerAddress.parse(options.connect);
            } catch (IllegalArgumentException e) {
                return usage(stderr, e.getMessage());
            }
        }

        // Keys: fail at once, before any network traffic.
        if (!java.nio.file.Files.isReadable(options.pubkey)) {
            stderr.println(PREFIX + "cannot read the OpenPGP public key file " + options.pubkey);
            return EXIT_UNAVAILABLE;
        }
        OpenPgpDecryptor decryptor;
        try {
            decryptor = OpenPgpDecryptor.fromFile(options.seckey);
        } catch (java.nio.file.NoSuchFileException e) {
            stderr.println(PREFIX + "cannot read the OpenPGP secret key file " + options.seckey + ": no such file");
            return EXIT_UNAVAILABLE;
        } catch (IOException e) {
            stderr.println(PREFIX + "cannot read the OpenPGP secret key file " + options.seckey + ": "
                    + oneLine(e));
            return EXIT_UNAVAILABLE;
        }
        log.debug("OpenPGP secret keys: " + String.join(", ", decryptor.keyIds()));
        KeyPair tlsKey;
        try {
            tlsKey = KeyFiles.readKeyPair(options.tlsPubkey, options.tlsPrivkey);
        } catch (java.nio.file.NoSuchFileException e) {
            stderr.println(PREFIX + "cannot read the TLS key pair: no such file: " + e.getFile());
            return EXIT_UNAVAILABLE;
        } catch (IOException | RuntimeException e) {
            stderr.println(PREFIX + "cannot read the TLS key pair: " + oneLine(e));
            return EXIT_UNAVAILABLE;
        }
        log.debug("TLS: " + policy);

        PasswordFetcher.Settings settings = new PasswordFetcher.Settings(address, policy, tlsKey, decryptor,
                Duration.ofNanos((long) (retry * 1e9)), options.tries == null ? 0 : options.tries,
                options.timeout == null ? null : Duration.ofNanos((long) (options.timeout * 1e9)), ATTEMPT_TIMEOUT);
        PasswordFetcher fetcher = new PasswordFetcher(settings, log);
        byte[] password;
        try {
            if (address != null) {
                PasswordFetcher.Result result = fetcher.fetch();
                if (!result.succeeded()) {
                    stderr.println(PREFIX + "no password from " + address + " after " + attempts(result.attempts())
                            + (result.timedOut() ? " (--timeout reached)" : "") + "; giving up");
                    return EXIT_TEMPFAIL;
                }
                password = result.password();
            } else {
                log.debug("No --connect: finding servers with Zeroconf on "
                        + (interfaces.isEmpty() ? "all suitable network interfaces" : String.join(", ", interfaces)));
                quietLibraryLogging(options.debug);
                ZeroconfFetcher.Result result;
                try (ServerSource source = sources.open(interfaces, log);
                     PasswordFetcher.Attempts attempts = fetcher.attempts()) {
                    result = new ZeroconfFetcher(source, attempts, System::nanoTime, settings.retry(),
                            settings.tries(), settings.timeout(), log).fetch();
                }
                if (!result.succeeded()) {
                    String timedOut = result.timedOut() ? " (--timeout reached)" : "";
                    stderr.println(PREFIX + (result.servers() == 0
                            ? "no Mandos server found with Zeroconf" + timedOut
                            : "no password from the " + result.servers()
                                    + (result.servers() == 1 ? " server" : " servers") + " found with Zeroconf after "
                                    + attempts(result.attempts()) + timedOut) + "; giving up");
                    return EXIT_TEMPFAIL;
                }
                password = result.password();
            }
        } catch (IllegalArgumentException e) {
            stderr.println(PREFIX + "cannot use the TLS key: " + oneLine(e));
            return EXIT_UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stderr.println(PREFIX + "interrupted");
            return EXIT_TEMPFAIL;
        }
        try {
            stdout.write(password);
            stdout.flush();
            if (stdout instanceof PrintStream && ((PrintStream) stdout).checkError()) {
                throw new IOException("write error");
            }
        } catch (IOException e) {
            stderr.println(PREFIX + "cannot write the password to standard output: " + oneLine(e));
            return EXIT_IOERR;
        } finally {
            java.util.Arrays.fill(password, (byte) 0);
        }
        return EXIT_OK;
    }

    private static String attempts(int n) {
        return n + (n == 1 ? " attempt" : " attempts");
    }

    /**
     * Keeps the logging of jmdns (through SLF4J) off standard output, which is only for the password: when the
     * binding is Logback (as in the distribution's lib/), it reads the client's own configuration, which sends
     * jmdns's warnings to standard error under {@code --debug} and nothing otherwise, and never prints Logback's
     * own status messages. Settings given with {@code -D} are kept.
     */
    static void quietLibraryLogging(boolean debug) {
        setIfAbsent("logback.configurationFile", "org/mandos/client/logback-client.xml");
        setIfAbsent("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        setIfAbsent("mandos.client.library.loglevel", debug ? "WARN" : "OFF");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void ignored(PasswordFetcher.Log log, String option, String value, String why) {
        if (value != null) {
            log.debug("Ignoring " + option + "=" + value + ": " + why);
        }
    }

    private static int usage(PrintStream stderr, String message) {
        stderr.println(PREFIX + message);
        stderr.println("Try 'mandos-client --help' for more information.");
        return EXIT_USAGE;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
