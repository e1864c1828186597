package org.mandos.sample.checker.reachability;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.mandos.api.CheckResult;
import org.mandos.api.Checker;
import org.mandos.api.CheckerType;
import org.mandos.api.ClientDefinition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client is alive when its {@code host} is reachable: it answers an ICMP echo where this process may
 * send one, or else a TCP connection to its {@code reachability_port} succeeds. Select it with
 * {@code checker_type = reachability}.
 *
 * <p>Options (from the client's section):
 * <ul>
 * <li>{@code reachability_method}: {@code auto} (default), {@code icmp} or {@code tcp}. {@code auto} uses
 * ICMP when this process has {@code CAP_NET_RAW} in its effective capabilities, TCP otherwise; the choice
 * is made once per process and logged at activation. {@code icmp} without the capability is an error
 * result, never a silent fallback: on Linux the JVM's {@link InetAddress#isReachable(int)} sends a real
 * ICMP echo only through a raw socket, and without one it probes TCP port 7 and counts "connection
 * refused" as reachable.</li>
 * <li>{@code reachability_port}: the TCP port to connect to (1–65535); required whenever TCP is used.</li>
 * <li>{@code reachability_timeout}: seconds to wait for the echo reply or the connection (default 5;
 * fractions allowed).</li>
 * </ul>
 *
 * <p>Results: reachable is {@link CheckResult#alive()}; no reply, a refused or timed-out connection or an
 * unknown host is {@code down(1, reason)}; a bad option is {@link CheckResult#error} naming the option.
 *
 * <p>Threading: {@link #check} validates the options and returns; the probe runs on a daemon thread of
 * this component. Cancelling the stage closes the TCP socket at once (an ICMP probe cannot be interrupted
 * and ends within its timeout, its result ignored). Deactivation cancels every running check and stops
 * the threads.
 */
@Component(service = Checker.class, immediate = true)
@CheckerType("reachability")
public final class ReachabilityChecker implements Checker {

    static final String METHOD_OPTION = "reachability_method";
    static final String PORT_OPTION = "reachability_port";
    static final String TIMEOUT_OPTION = "reachability_timeout";
    static final String DEFAULT_TIMEOUT = "5";

    /** The values of {@value #METHOD_OPTION}. */
    enum Method {
        AUTO, ICMP, TCP;

        String option() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReachabilityChecker.class);

    private final RawSocketCapability capability;
    private final Supplier<Socket> sockets;
    private final Set<CompletableFuture<CheckResult>> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mandos-reachability-checker");
        t.setDaemon(true);
        return t;
    });

    /** For Declarative Services: probes this process's capabilities. */
    public ReachabilityChecker() {
        this(RawSocketCapability::probe, Socket::new);
    }

    /**
     * @param capabilityProbe asked once, here, whether ICMP echo is possible
     * @param sockets         makes the socket of each TCP check
     */
    ReachabilityChecker(Supplier<RawSocketCapability> capabilityProbe, Supplier<Socket> sockets) {
        this.capability = capabilityProbe.get();
        this.sockets = sockets;
    }

    @Activate
    void activate() {
        if (capability.effective()) {
            LOG.info("Reachability checker: reachability_method = auto uses ICMP echo, because {}",
                    capability.why());
        } else {
            LOG.info("Reachability checker: reachability_method = auto uses TCP connections to each client's {}, "
                    + "because {}: this process cannot send ICMP echo", PORT_OPTION, capability.why());
        }
    }

    @Deactivate
    void deactivate() {
        for (CompletableFuture<CheckResult> check : List.copyOf(running)) {
            check.cancel(true);
        }
        probes.shutdownNow();
    }

    @Override
    public CompletionStage<CheckResult> check(ClientDefinition client, Map<String, String> attributes) {
        Plan plan;
        try {
            plan = plan(client);
        } catch (BadOption e) {
            return CompletableFuture.completedFuture(CheckResult.error(e.getMessage()));
        }
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        running.add(result);
        result.whenComplete((r, e) -> running.remove(result));
        Runnable probe;
        if (plan.method() == Method.ICMP) {
            probe = () -> echo(plan, result);
        } else {
            Socket socket = sockets.get();
            result.whenComplete((r, e) -> close(socket));
            probe = () -> connect(plan, socket, result);
        }
        try {
            probes.execute(probe);
        } catch (RejectedExecutionException e) {
            result.complete(CheckResult.error("the reachability checker has been stopped"));
        }
        return result;
    }

    /** What one check does, its options validated. */
    private record Plan(String host, Method method, int port, int timeoutMillis, String timeoutText) {
    }

    /** A bad option; the message names it. */
    private static final class BadOption extends Exception {
        private static final long serialVersionUID = 1L;

        BadOption(String message) {
            super(message, null, false, false);
        }
    }

    private Plan plan(ClientDefinition client) throws BadOption {
        Map<String, String> options = client.options();
        String host = client.host().trim();
        if (host.isEmpty()) {
            throw new BadOption("client " + client.name() + " has no host to check");
        }
        Method method = method(options.get(METHOD_OPTION));
        String timeoutText = options.getOrDefault(TIMEOUT_OPTION, DEFAULT_TIMEOUT).trim();
        int timeoutMillis = timeoutMillis(timeoutText);
        int port = port(options.get(PORT_OPTION));
        Method chosen = method;
        if (method == Method.AUTO) {
            chosen = capability.effective() ? Method.ICMP : Method.TCP;
        } else if (method == Method.ICMP && !capability.effective()) {
            throw new BadOption(METHOD_OPTION + " = icmp, but this process cannot send ICMP echo ("
                    + capability.why() + "); use " + METHOD_OPTION + " = tcp or auto with " + PORT_OPTION
                    + ", or give the server CAP_NET_RAW");
        }
        if (chosen == Method.TCP && port == 0) {
            throw new BadOption(PORT_OPTION + " is required to check over TCP ("
                    + (method == Method.AUTO ? METHOD_OPTION + " = auto chose TCP because " + capability.why()
                            : METHOD_OPTION + " = tcp")
                    + ")");
        }
        return new Plan(host, chosen, port, timeoutMillis, timeoutText);
    }

    private static Method method(String text) throws BadOption {
        if (text == null || text.isBlank()) {
            return Method.AUTO;
        }
        for (Method m : Method.values()) {
            if (m.option().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new BadOption(METHOD_OPTION + ": \"" + text.trim() + "\" is not auto, icmp or tcp");
    }

    /** The port, or 0 when the option is absent. */
    private static int port(String text) throws BadOption {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadOption(PORT_OPTION + ": \"" + text.trim() + "\" is not a port number (1 to 65535)");
    }

    private static int timeoutMillis(String text) throws BadOption {
        try {
            BigDecimal seconds = new BigDecimal(text);
            BigDecimal millis = seconds.movePointRight(3).setScale(0, RoundingMode.CEILING);
            if (seconds.signum() > 0 && millis.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
                return millis.intValueExact();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new BadOption(TIMEOUT_OPTION + ": \"" + text + "\" is not a positive number of seconds");
    }

    private static void echo(Plan plan, CompletableFuture<CheckResult> result) {
        if (result.isDone()) {
            return;
        }
        try {
            InetAddress address = InetAddress.getByName(plan.host());
            if (address.isReachable(plan.timeoutMillis())) {
                result.complete(CheckResult.alive());
            } else {
                result.complete(CheckResult.down(1, "no ICMP echo reply from " + plan.host() + " within "
                        + plan.timeoutText() + " s"));
            }
        } catch (UnknownHostException e) {
            result.complete(CheckResult.down(1, "unknown host " + plan.host()));
        } catch (IOException e) {
            result.complete(CheckResult.down(1, "ICMP echo to " + plan.host() + " failed: " + e.getMessage()));
        }
    }

    private static void connect(Plan plan, Socket socket, CompletableFuture<CheckResult> result) {
        if (result.isDone()) {
            return;
        }
        String target = plan.host() + ":" + plan.port();
        try {
            InetSocketAddress address = new InetSocketAddress(plan.host(), plan.port());
            if (address.isUnresolved()) {
                result.complete(CheckResult.down(1, "unknown host " + plan.host()));
                return;
            }
            socket.connect(address, plan.timeoutMillis());
            result.complete(CheckResult.alive());
        } catch (SocketTimeoutException e) {
            result.complete(CheckResult.down(1, "no TCP connection to " + target + " within " + plan.timeoutText()
                    + " s"));
        } catch (IOException e) {
            result.complete(CheckResult.down(1, "cannot connect to " + target + ": " + e.getMessage()));
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // The check is over either way.
        }
    }
}
