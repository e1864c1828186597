package org.mandos.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.mandos.tls.TlsPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The bench's command line: {@code bench/run <scenario> [options]}. See docs/benchmarks.md.
 */
@Command(name = "bench/run", mixinStandardHelpOptions = true, version = "mandos-bench 0.1",
        description = "Mandos server benchmarks: a load generator and scenarios that start the server themselves."
                + " Results are printed and written as JSON to bench/target/results/.",
        subcommands = {Bench.FixtureCommand.class, Bench.LoadCommand.class, Bench.Throughput.class,
            Bench.Bootstorm.class, Bench.Scale.class, Bench.SideBySide.class})
public final class Bench implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    public static void main(String[] args) {
        int status = new CommandLine(new Bench()).registerConverter(Duration.class, new Durations()).execute(args);
        System.exit(status);
    }

    static Path root() {
        return Path.of(System.getProperty("mandos.bench.root", ".")).toAbsolutePath().normalize();
    }

    /** Where things are. */
    static final class Places {
        @Option(names = "--server-home", description = "our server's distribution (default: distribution/target/mandos)")
        Path serverHome;

        @Option(names = "--reference-dir", description = "the reference tools (default: ${DEFAULT-VALUE})",
                defaultValue = "/opt/mandos-reference")
        Path referenceDir;

        @Option(names = "--results-dir", description = "JSON results (default: bench/target/results)")
        Path resultsDir;

        @Option(names = "--work-dir", description = "generated configuration, state, logs (default: bench/target/work)")
        Path workDir;

        @Option(names = "--keys-dir", description = "the cache of client keys (default: bench/target/keys)")
        Path keysDir;

        @Option(names = "--secret-bytes", defaultValue = "" + Fixture.DEFAULT_SECRET_BYTES,
                description = "size of each client's secret (default: ${DEFAULT-VALUE})")
        int secretBytes;

        @Option(names = "--start-timeout", defaultValue = "120s", description = "how long a server may take to listen")
        Duration startTimeout;

        Path serverHome() {
            return serverHome != null ? serverHome : root().resolve("distribution/target/mandos");
        }

        Path resultsDir() {
            return resultsDir != null ? resultsDir : root().resolve("bench/target/results");
        }

        Path workDir() {
            return workDir != null ? workDir : root().resolve("bench/target/work");
        }

        Path keysDir() {
            return keysDir != null ? keysDir : root().resolve("bench/target/keys");
        }

        List<Fixture.SimClient> clients(int n) throws Exception {
            long start = System.nanoTime();
            List<Fixture.SimClient> clients = Fixture.clients(keysDir(), n, secretBytes);
            System.out.printf(Locale.ROOT, "%d client keys ready (%.1f s; cache %s)%n", n,
                    (System.nanoTime() - start) / 1e9, keysDir().resolve(Fixture.KEY_CACHE));
            return clients;
        }
    }

    /** Settings of each fetch. */
    static final class FetchOptions {
        @Option(names = "--timeout", defaultValue = "30s", description = "socket time-out of one fetch (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Option(names = "--retry-delay", defaultValue = "10s",
                description = "a refused or failed client tries again after this (default: ${DEFAULT-VALUE}, as the reference client)")
        Duration retryDelay;

        @Option(names = "--priority", description = "GnuTLS priority string (default: the Mandos default)")
        String priority;

        TlsPolicy policy() {
            return TlsPolicy.parse(priority != null ? priority : TlsPolicy.DEFAULT_PRIORITY);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // shared scenario machinery

    /** One scenario run: its work directory, results file and collected JSON. */
    static final class Run {
        final String scenario;
        final String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC));
        final Places places;
        final Path work;
        final Json.Obj json = Json.obj();

        Run(String scenario, Places places) throws IOException {
            this.scenario = scenario;
            this.places = places;
            this.work = places.workDir().resolve(scenario + "-" + stamp);
            Files.createDirectories(work);
            Json.Obj machine = MachineInfo.collect();
            json.put("scenario", scenario).put("started_utc", ZonedDateTime.now(ZoneOffset.UTC).toString())
                    .put("machine", machine);
            System.out.println("== " + scenario + " on " + MachineInfo.describe(machine));
            System.out.println("   work directory " + work);
        }

        Path save() throws IOException {
            json.put("finished_utc", ZonedDateTime.now(ZoneOffset.UTC).toString());
            Path file = places.resultsDir().resolve(scenario + "-" + stamp + ".json");
            json.writeTo(file);
            System.out.println("results: " + file);
            return file;
        }

        /** A fresh server directory set: configdir, statedir, log; a copy of our distribution when needed. */
        Path dir(String name) throws IOException {
            Path dir = work.resolve(name);
            Files.createDirectories(dir);
            return dir;
        }
    }

    /** Starts a server of this kind on this configuration. */
    static ServerRunner start(Run run, ServerRunner.Kind kind, String name, List<Fixture.SimClient> clients,
            Fixture.ClientOptions options, int maxConnections, List<Path> plugins, boolean referenceDebug)
            throws Exception {
        Path dir = run.dir(name);
        Path configdir = dir.resolve("conf");
        // The state directory holds the operator shell's Unix socket, whose path must stay under 108 bytes.
        Path statedir = ServerRunner.writableDirectory(Files.createTempDirectory("mandos-bench-state-"));
        Files.writeString(dir.resolve("statedir-path"), statedir + "\n");
        int port = ServerRunner.freePort();
        Fixture.writeConfig(configdir, clients, options, port, kind == ServerRunner.Kind.OURS ? maxConnections : 0);
        Path log = dir.resolve("server.log");
        ServerRunner server;
        if (kind == ServerRunner.Kind.OURS) {
            Path home = ServerRunner.copyDistribution(run.places.serverHome(), dir.resolve("home"), plugins);
            server = ServerRunner.startOurs(home, configdir, statedir, port, log, run.places.startTimeout)
                    .deleteOnClose(home);
        } else {
            server = ServerRunner.startReference(run.places.referenceDir, configdir, statedir, dir, port, log,
                    referenceDebug, run.places.startTimeout);
        }
        System.out.printf(Locale.ROOT, "%s server (%d clients) listening on port %d after %.2f s (pid %d, log %s)%n",
                kind == ServerRunner.Kind.OURS ? "our" : "the reference", clients.size(), port,
                server.startupSeconds(), server.pid(), log);
        return server;
    }

    static Json.Obj throughput(Run run, ServerRunner.Kind kind, List<Fixture.SimClient> clients, List<Integer> levels,
            Duration duration, Duration warmup, FetchOptions fetch, boolean random, boolean referenceDebug)
            throws Exception {
        int maxConnections = Math.max(1024, 2 * levels.stream().mapToInt(Integer::intValue).max().orElse(1));
        Json.Arr results = Json.arr();
        List<LoadGenerator.Result> all = new ArrayList<>();
        try (ServerRunner server = start(run, kind, "throughput-" + kind.name().toLowerCase(Locale.ROOT), clients,
                Fixture.ClientOptions.defaults(), maxConnections, List.of(), referenceDebug)) {
            for (int concurrency : levels) {
                LoadGenerator.Options options = new LoadGenerator.Options(
                        new InetSocketAddress("127.0.0.1", server.port()), concurrency, 0, duration, warmup,
                        fetch.retryDelay, fetch.timeout, random, fetch.policy());
                CpuWindow cpu = CpuWindow.start(server, warmup, duration);
                LoadGenerator.Result result = LoadGenerator.run(options, clients);
                Json.Obj json = result.toJson();
                cpu.finish(result.deliveries(), json);
                System.out.println("  " + result.summary() + cpu.summary());
                results.add(json);
                all.add(result);
                if (!server.isAlive()) {
                    throw new IOException("the server died; log " + server.log());
                }
            }
        }
        System.out.println(table(all));
        return Json.obj().put("server", kind.name().toLowerCase(Locale.ROOT)).put("clients", clients.size())
                .put("duration_s", duration.toMillis() / 1000.0).put("warmup_s", warmup.toMillis() / 1000.0)
                .put("runs", results);
    }

    /**
     * CPU time of the server process and of this (generator) process over the measured window of a sustained
     * load, sampled from /proc when the warm-up ends and when the window closes: what one delivery costs each
     * side, and how busy the machine's cores were.
     */
    static final class CpuWindow {
        private final Thread sampler;
        private volatile long[] server0;
        private volatile long[] server1;
        private volatile long[] self0;
        private volatile long[] self1;
        private volatile long nanos;
        private String summary = "";

        private CpuWindow(ServerRunner server, Duration warmup, Duration duration) {
            long self = ProcessHandle.current().pid();
            sampler = new Thread(() -> {
                try {
                    Thread.sleep(warmup.toMillis());
                    long t0 = System.nanoTime();
                    server0 = server.cpuTicks();
                    self0 = ServerRunner.ProcStats.cpuTicks(self);
                    Thread.sleep(duration.toMillis());
                    server1 = server.cpuTicks();
                    self1 = ServerRunner.ProcStats.cpuTicks(self);
                    nanos = System.nanoTime() - t0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-cpu-window");
            sampler.setDaemon(true);
        }

        static CpuWindow start(ServerRunner server, Duration warmup, Duration duration) {
            CpuWindow window = new CpuWindow(server, warmup, duration);
            window.sampler.start();
            return window;
        }

        void finish(long deliveries, Json.Obj json) throws InterruptedException {
            sampler.join(5_000);
            if (server0 == null || server1 == null || self0 == null || self1 == null || nanos <= 0) {
                return;
            }
            double tick = 1000.0 / ServerRunner.ProcStats.clockTicks();
            double serverMs = ((server1[0] + server1[1]) - (server0[0] + server0[1])) * tick;
            double selfMs = ((self1[0] + self1[1]) - (self0[0] + self0[1])) * tick;
            double wallMs = nanos / 1e6;
            json.put("server_cpu_ms_per_delivery", deliveries > 0 ? serverMs / deliveries : null)
                    .put("generator_cpu_ms_per_delivery", deliveries > 0 ? selfMs / deliveries : null)
                    .put("server_cores_busy", serverMs / wallMs).put("generator_cores_busy", selfMs / wallMs);
            if (deliveries > 0) {
                summary = String.format(Locale.ROOT, "%n    CPU per delivery: server %.2f ms, generator %.2f ms;"
                        + " cores busy: server %.2f, generator %.2f", serverMs / deliveries, selfMs / deliveries,
                        serverMs / wallMs, selfMs / wallMs);
            }
        }

        String summary() {
            return summary;
        }
    }

    static String table(List<LoadGenerator.Result> results) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%12s %12s %10s %10s %10s %10s %9s %7s%n", "concurrency", "deliveries/s", "p50 ms", "p95 ms",
                "p99 ms", "max ms", "refusals", "errors"));
        for (LoadGenerator.Result r : results) {
            LatencyRecorder.Stats s = r.latency();
            out.append(String.format(Locale.ROOT, "%12s %12.1f %10.1f %10.1f %10.1f %10.1f %9d %7d%n",
                    r.rate() > 0 ? r.rate() + "/s" : Integer.toString(r.concurrency()), r.deliveriesPerSecond(),
                    s.p50Micros() / 1000.0, s.p95Micros() / 1000.0, s.p99Micros() / 1000.0, s.maxMicros() / 1000.0,
                    r.refusals().total(), r.errors().total()));
        }
        return out.toString();
    }

    /** A TCP listener that accepts and closes every connection: the always-alive target of TCP reachability checks. */
    static final class AliveTarget implements AutoCloseable {
        final ServerSocket socket;
        final LongAdder accepted = new LongAdder();

        AliveTarget() throws IOException {
            socket = new ServerSocket(0, 1024, java.net.InetAddress.getLoopbackAddress());
            Thread thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        socket.accept().close();
                        accepted.increment();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "alive-target");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static Path reachabilityPlugin(Path serverHome) throws IOException {
        Path dir = serverHome.resolve("samples/plugins");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("org.mandos.sample.checker.reachability"))
                    .findFirst().orElseThrow(() -> new IOException("no reachability checker plugin in " + dir));
        }
    }

    /** Start-up, memory and idle CPU of a server with these clients and this checker variant. */
    static Json.Obj scale(Run run, ServerRunner.Kind kind, List<Fixture.SimClient> clients, String variant,
            String shellChecker, String interval, Duration settle, Duration idle, boolean referenceDebug)
            throws Exception {
        Fixture.ClientOptions options = Fixture.ClientOptions.defaults().withInterval(interval);
        List<Path> plugins = List.of();
        AliveTarget target = null;
        if (variant.equals("in-process")) {
            if (kind != ServerRunner.Kind.OURS) {
                throw new IllegalArgumentException("the in-process checker is for our server only");
            }
            target = new AliveTarget();
            plugins = List.of(reachabilityPlugin(run.places.serverHome()));
            options = options.withExtra(Map.of("checker_type", "reachability", "reachability_method", "tcp",
                    "reachability_port", Integer.toString(target.port())));
        } else {
            options = options.withChecker(shellChecker);
        }
        String name = "scale-" + kind.name().toLowerCase(Locale.ROOT) + "-" + variant;
        Json.Obj out = Json.obj().put("server", kind.name().toLowerCase(Locale.ROOT)).put("checker", variant)
                .put("checker_command", variant.equals("shell") ? shellChecker : null).put("interval", interval)
                .put("clients", clients.size());
        try {
            try (ServerRunner server = start(run, kind, name, clients, options, 1024, plugins, referenceDebug)) {
                out.put("startup_s", server.startupSeconds()).put("rss_mib_at_listening", server.rssKib() / 1024.0);
                Thread.sleep(settle.toMillis());
                long ticks = ServerRunner.ProcStats.clockTicks();
                long[] before = server.cpuTicks();
                long checksBefore = target == null ? 0 : target.accepted.sum();
                long t0 = System.nanoTime();
                long maxRss = server.rssKib();
                long idleEnd = t0 + idle.toNanos();
                while (System.nanoTime() < idleEnd) {
                    Thread.sleep(Math.min(1000, Math.max(1, (idleEnd - System.nanoTime()) / 1_000_000)));
                    maxRss = Math.max(maxRss, server.rssKib());
                }
                long[] after = server.cpuTicks();
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (before == null || after == null) {
                    throw new IOException("the server exited during the idle window; log " + server.log());
                }
                double self = (after[0] + after[1] - before[0] - before[1]) / (double) ticks;
                double children = (after[2] + after[3] - before[2] - before[3]) / (double) ticks;
                long endRss = server.rssKib();
                out.put("settle_s", settle.toMillis() / 1000.0).put("idle_window_s", seconds)
                        .put("rss_mib_end", endRss / 1024.0).put("rss_mib_max", maxRss / 1024.0)
                        .put("cpu_s_self", self).put("cpu_s_children", children)
                        .put("idle_cpu_percent_of_one_core", 100.0 * self / seconds)
                        .put("idle_cpu_percent_with_children", 100.0 * (self + children) / seconds);
                if (target != null) {
                    out.put("reachability_checks_seen", target.accepted.sum() - checksBefore);
                }
                System.out.printf(Locale.ROOT,
                        "  %s, %s checker, %d clients: listening after %.2f s; RSS %.0f MiB (max %.0f); idle CPU %.2f %%"
                                + " of one core (%.2f %% with checker processes) over %.0f s%s%n",
                        kind == ServerRunner.Kind.OURS ? "ours" : "reference", variant, clients.size(),
                        server.startupSeconds(), endRss / 1024.0, maxRss / 1024.0, 100.0 * self / seconds,
                        100.0 * (self + children) / seconds, seconds,
                        target != null ? "; " + out.get("reachability_checks_seen") + " reachability checks seen" : "");
            }
        } finally {
            if (target != null) {
                target.close();
            }
        }
        return out;
    }

    static List<Integer> parseInts(String list) {
        List<Integer> out = new ArrayList<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                out.add(Integer.parseInt(part.trim()));
            }
        }
        return out;
    }

    static boolean referenceInstalled(Places places) {
        return Files.isRegularFile(places.referenceDir.resolve("usr/sbin/mandos"));
    }

    static double ratio(double ours, double reference) {
        return reference == 0 ? Double.NaN : ours / reference;
    }

    // ------------------------------------------------------------------------------------------------
    // commands

    @Command(name = "fixture", mixinStandardHelpOptions = true,
            description = "Write mandos.conf and clients.conf for N simulated clients (keys cached in --keys-dir),"
                    + " to serve them with any server and drive it with `load`.")
    static final class FixtureCommand implements Callable<Integer> {
        @Mixin Places places = new Places();

        @Option(names = "--clients", defaultValue = "200") int clients;
        @Option(names = "--out", required = true, description = "the configuration directory to write") Path out;
        @Option(names = "--port", defaultValue = "10999") int port;
        @Option(names = "--max-connections", defaultValue = "0", description = "0: leave it out (the reference does not know it)") int maxConnections;
        @Option(names = "--checker", defaultValue = "true") String checker;
        @Option(names = "--interval", defaultValue = "2m") String interval;
        @Option(names = "--client-timeout", defaultValue = "1h") String clientTimeout;
        @Option(names = "--host", defaultValue = "127.0.0.1") String host;

        @Override
        public Integer call() throws Exception {
            List<Fixture.SimClient> list = places.clients(clients);
            Fixture.ClientOptions options = new Fixture.ClientOptions(host, checker, interval, clientTimeout, Map.of());
            Fixture.writeConfig(out, list, options, port, maxConnections);
            System.out.println("wrote " + out.resolve("mandos.conf") + " and " + out.resolve("clients.conf"));
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "The load generator against a running server (its clients.conf made by `fixture` with the"
                    + " same --keys-dir and --clients).")
    static final class LoadCommand implements Callable<Integer> {
        @Mixin Places places = new Places();
        @Mixin FetchOptions fetch = new FetchOptions();

        @Option(names = "--connect", required = true, description = "HOST:PORT") String connect;
        @Option(names = "--clients", defaultValue = "200", description = "distinct client keys to use") int clients;
        @Option(names = "--concurrency", defaultValue = "16", description = "closed loop: this many clients fetching back to back; open loop: the generator's threads") int concurrency;
        @Option(names = "--rate", defaultValue = "0", description = "open loop: fetches started per second (0: closed loop)") double rate;
        @Option(names = "--duration", defaultValue = "20s") Duration duration;
        @Option(names = "--warmup", defaultValue = "5s") Duration warmup;
        @Option(names = "--random", description = "pick clients at random rather than in turn") boolean random;
        @Option(names = "--storm", description = "a boot storm instead: each client once, spread over --spread, retrying") boolean storm;
        @Option(names = "--spread", defaultValue = "10s") Duration spread;
        @Option(names = "--deadline", defaultValue = "120s") Duration deadline;
        @Option(names = "--max-in-flight", defaultValue = "1024") int maxInFlight;
        @Option(names = "--json", description = "also write the result as JSON here") Path json;

        @Override
        public Integer call() throws Exception {
            int colon = connect.lastIndexOf(':');
            String host = connect.substring(0, colon).replaceAll("^\\[|\\]$", "");
            InetSocketAddress target = new InetSocketAddress(host, Integer.parseInt(connect.substring(colon + 1)));
            List<Fixture.SimClient> list = places.clients(clients);
            Json.Obj out = Json.obj().put("target", connect).put("machine", MachineInfo.collect());
            boolean clean;
            if (storm) {
                LoadGenerator.StormResult result = LoadGenerator.storm(new LoadGenerator.StormOptions(target, spread,
                        fetch.retryDelay, deadline, fetch.timeout, maxInFlight, fetch.policy()), list);
                System.out.println(result.summary());
                out.put("bootstorm", result.toJson());
                clean = result.served() == result.clients();
            } else {
                LoadGenerator.Result result = LoadGenerator.run(new LoadGenerator.Options(target, concurrency, rate,
                        duration, warmup, fetch.retryDelay, fetch.timeout, random, fetch.policy()), list);
                System.out.print(table(List.of(result)));
                if (result.refusals().total() + result.errors().total() > 0) {
                    System.out.print(result.refusals().describe("  refused ") + result.errors().describe("  error "));
                }
                out.put("load", result.toJson());
                clean = result.errors().total() == 0;
            }
            if (json != null) {
                out.writeTo(json);
            }
            return clean ? 0 : 1;
        }
    }

    @Command(name = "throughput", mixinStandardHelpOptions = true,
            description = "Scenario 1: sustained deliveries per second and latency at several concurrency levels"
                    + " (closed loop), against our server started here.")
    static final class Throughput implements Callable<Integer> {
        @Mixin Places places = new Places();
        @Mixin FetchOptions fetch = new FetchOptions();
        @Option(names = "--clients", defaultValue = "200", description = "clients in clients.conf, used in turn") int clients;
        @Option(names = "--concurrency", defaultValue = "1,16,64,256") String levels;
        @Option(names = "--duration", defaultValue = "20s") Duration duration;
        @Option(names = "--warmup", defaultValue = "5s") Duration warmup;
        @Option(names = "--random", description = "pick clients at random rather than in turn") boolean random;

        @Override
        public Integer call() throws Exception {
            Run run = new Run("throughput", places);
            List<Fixture.SimClient> list = places.clients(clients);
            run.json.put("ours", throughput(run, ServerRunner.Kind.OURS, list, parseInts(levels), duration, warmup,
                    fetch, random, false));
            run.save();
            return 0;
        }
    }

    @Command(name = "bootstorm", mixinStandardHelpOptions = true,
            description = "Scenario 2: N distinct clients start within --spread, each fetching once and retrying after"
                    + " --retry-delay until served or --deadline; time until the last one has its secret.")
    static final class Bootstorm implements Callable<Integer> {
        @Mixin Places places = new Places();
        @Mixin FetchOptions fetch = new FetchOptions();
        @Option(names = "--clients", defaultValue = "5000") int clients;
        @Option(names = "--spread", defaultValue = "10s") Duration spread;
        @Option(names = "--deadline", defaultValue = "120s") Duration deadline;
        @Option(names = "--max-in-flight", defaultValue = "1024", description = "generator threads (simultaneous fetches at most)") int maxInFlight;
        @Option(names = "--max-connections", defaultValue = "0", description = "our server's max_connections (0: the number of clients, at least 1024)") int maxConnections;
        @Option(names = "--generator-warmup", defaultValue = "3s", description = "warm the generator's own TLS code first, against an in-JVM server (default: ${DEFAULT-VALUE}); the server stays cold") Duration generatorWarmup;
        @Option(names = "--server-warmup", defaultValue = "0s", description = "load the server at concurrency 4 for this long before the storm (default: ${DEFAULT-VALUE}: a cold server, as after a power cut)") Duration serverWarmup;

        @Override
        public Integer call() throws Exception {
            Run run = new Run("bootstorm", places);
            List<Fixture.SimClient> list = places.clients(clients);
            int max = maxConnections > 0 ? maxConnections : Math.max(1024, clients);
            LoadGenerator.StormResult result;
            if (!generatorWarmup.isZero()) {
                try (FakeMandosServer fake = new FakeMandosServer(list.subList(0, Math.min(10, clients)),
                        fetch.policy(), 4)) {
                    LoadGenerator.Result warm = LoadGenerator.run(new LoadGenerator.Options(
                            new InetSocketAddress("127.0.0.1", fake.port()), 4, 0, generatorWarmup, Duration.ZERO,
                            fetch.retryDelay, fetch.timeout, false, fetch.policy()), list.subList(0, Math.min(10, clients)));
                    System.out.printf(Locale.ROOT, "generator warmed up: %d fetches from an in-JVM server%n",
                            warm.deliveries());
                }
            }
            try (ServerRunner server = start(run, ServerRunner.Kind.OURS, "bootstorm", list,
                    Fixture.ClientOptions.defaults(), max, List.of(), false)) {
                if (!serverWarmup.isZero()) {
                    LoadGenerator.Result warm = LoadGenerator.run(new LoadGenerator.Options(
                            new InetSocketAddress("127.0.0.1", server.port()), 4, 0, serverWarmup, Duration.ZERO,
                            fetch.retryDelay, fetch.timeout, false, fetch.policy()), list);
                    System.out.println("  server warm-up: " + warm.summary());
                }
                result = LoadGenerator.storm(new LoadGenerator.StormOptions(
                        new InetSocketAddress("127.0.0.1", server.port()), spread, fetch.retryDelay, deadline,
                        fetch.timeout, maxInFlight, fetch.policy()), list);
            }
            System.out.println("  " + result.summary());
            run.json.put("settings", Json.obj().put("clients", clients).put("spread_s", spread.toMillis() / 1000.0)
                    .put("retry_delay_s", fetch.retryDelay.toMillis() / 1000.0)
                    .put("deadline_s", deadline.toMillis() / 1000.0).put("max_in_flight", maxInFlight)
                    .put("generator_warmup_s", generatorWarmup.toMillis() / 1000.0)
                    .put("server_warmup_s", serverWarmup.toMillis() / 1000.0)
                    .put("max_connections", max));
            run.json.put("ours", result.toJson());
            run.save();
            return result.served() == result.clients() ? 0 : 1;
        }
    }

    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = "Scenario 3: N clients in clients.conf with checkers; start-up time to listening, resident"
                    + " memory and idle CPU, for each checker variant (in-process: the sample reachability checker over"
                    + " TCP to a local port; shell: the default shell checker running --shell-checker).")
    static final class Scale implements Callable<Integer> {
        @Mixin Places places = new Places();
        @Option(names = "--clients", defaultValue = "10000") int clients;
        @Option(names = "--checkers", defaultValue = "in-process,shell") String checkers;
        @Option(names = "--shell-checker", defaultValue = "true", description = "the shell checker's command (default: ${DEFAULT-VALUE})") String shellChecker;
        @Option(names = "--interval", defaultValue = "2m", description = "checker interval (default: ${DEFAULT-VALUE}, the reference default)") String interval;
        @Option(names = "--settle", defaultValue = "5s", description = "wait after listening before the idle window") Duration settle;
        @Option(names = "--idle", defaultValue = "60s", description = "the idle window over which CPU is measured") Duration idle;

        @Override
        public Integer call() throws Exception {
            Run run = new Run("scale", places);
            List<Fixture.SimClient> list = places.clients(clients);
            Json.Arr results = Json.arr();
            for (String variant : checkers.split(",")) {
                String v = variant.trim();
                if (!v.equals("in-process") && !v.equals("shell")) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "unknown checker variant " + v);
                }
                results.add(scale(run, ServerRunner.Kind.OURS, list, v, shellChecker, interval, settle, idle, false));
            }
            run.json.put("ours", results);
            run.save();
            return 0;
        }
    }

    @Command(name = "sidebyside", mixinStandardHelpOptions = true,
            description = "Scenario 4: scenarios 1 (shorter) and 3 (shell checker, fewer clients) against our server"
                    + " and the reference server (when installed), with ratios ours/reference.")
    static final class SideBySide implements Callable<Integer> {
        @Mixin Places places = new Places();
        @Mixin FetchOptions fetch = new FetchOptions();
        @Option(names = "--clients", defaultValue = "200", description = "clients for the throughput part") int clients;
        @Option(names = "--concurrency", defaultValue = "1,16") String levels;
        @Option(names = "--duration", defaultValue = "10s") Duration duration;
        @Option(names = "--warmup", defaultValue = "2s") Duration warmup;
        @Option(names = "--scale-clients", defaultValue = "1000") int scaleClients;
        @Option(names = "--shell-checker", defaultValue = "true") String shellChecker;
        @Option(names = "--interval", defaultValue = "2m") String interval;
        @Option(names = "--settle", defaultValue = "5s") Duration settle;
        @Option(names = "--idle", defaultValue = "30s") Duration idle;
        @Option(names = "--reference-debug", description = "run the reference server with --debug (logs to the console)") boolean referenceDebug;

        @Override
        public Integer call() throws Exception {
            Run run = new Run("sidebyside", places);
            boolean reference = referenceInstalled(places);
            if (!reference) {
                System.out.println("the reference server is not installed in " + places.referenceDir
                        + " (sudo bash .ci/install-reference.sh): measuring ours only");
            }
            List<Integer> conc = parseInts(levels);
            List<Fixture.SimClient> list = places.clients(Math.max(clients, scaleClients));
            List<Fixture.SimClient> loadClients = list.subList(0, clients);
            List<Fixture.SimClient> scaleList = list.subList(0, scaleClients);
            Json.Obj oursT = throughput(run, ServerRunner.Kind.OURS, loadClients, conc, duration, warmup, fetch, false,
                    false);
            Json.Obj oursS = scale(run, ServerRunner.Kind.OURS, scaleList, "shell", shellChecker, interval, settle, idle,
                    false);
            run.json.put("ours", Json.obj().put("throughput", oursT).put("scale", oursS));
            if (reference) {
                Json.Obj refT = throughput(run, ServerRunner.Kind.REFERENCE, loadClients, conc, duration, warmup,
                        fetch, false, referenceDebug);
                Json.Obj refS = scale(run, ServerRunner.Kind.REFERENCE, scaleList, "shell", shellChecker, interval,
                        settle, idle, referenceDebug);
                run.json.put("reference", Json.obj().put("throughput", refT).put("scale", refS));
                Json.Obj ratios = Json.obj();
                Json.Arr ours = (Json.Arr) oursT.get("runs");
                Json.Arr refs = (Json.Arr) refT.get("runs");
                StringBuilder text = new StringBuilder("ratios ours/reference:\n");
                for (int i = 0; i < conc.size(); i++) {
                    Json.Obj o = (Json.Obj) ours.items.get(i);
                    Json.Obj r = (Json.Obj) refs.items.get(i);
                    double rate = ratio((Double) o.get("deliveries_per_second"), (Double) r.get("deliveries_per_second"));
                    double p99 = ratio((Double) ((Json.Obj) o.get("latency")).get("p99_ms"),
                            (Double) ((Json.Obj) r.get("latency")).get("p99_ms"));
                    ratios.put("deliveries_per_second_c" + conc.get(i), rate).put("p99_latency_c" + conc.get(i), p99);
                    text.append(String.format(Locale.ROOT, "  concurrency %d: deliveries/s x%.1f, p99 latency x%.3f%n",
                            conc.get(i), rate, p99));
                }
                for (String key : List.of("startup_s", "rss_mib_end", "idle_cpu_percent_of_one_core",
                        "idle_cpu_percent_with_children")) {
                    double value = ratio((Double) oursS.get(key), (Double) refS.get(key));
                    ratios.put(key, value);
                    text.append(String.format(Locale.ROOT, "  %s: x%.3f%n", key, value));
                }
                run.json.put("ratios_ours_over_reference", ratios);
                System.out.print(text);
            } else {
                run.json.put("reference", "not installed");
            }
            run.save();
            return 0;
        }
    }
}
