package org.mandos.sample.checker.reachability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mandos.api.CheckResult;
import org.mandos.api.CheckResult.Outcome;
import org.mandos.api.ClientDefinition;

class ReachabilityCheckerTest {

    private static final RawSocketCapability CAPABLE = new RawSocketCapability(true, "test: capable");
    private static final RawSocketCapability INCAPABLE = new RawSocketCapability(false, "test: not capable");

    private ReachabilityChecker checker;

    @AfterEach
    void stop() {
        if (checker != null) {
            checker.deactivate();
        }
    }

    private ReachabilityChecker checker(RawSocketCapability capability) {
        stop();
        checker = new ReachabilityChecker(() -> capability, Socket::new);
        checker.activate();
        return checker;
    }

    private static ClientDefinition client(String host, String... options) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return new ClientDefinition("c", "AB", "", new byte[1], host, Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofMinutes(2), "", Duration.ZERO, Duration.ofSeconds(1), true, true, map);
    }

    private static CheckResult run(ReachabilityChecker checker, ClientDefinition client) throws Exception {
        return checker.check(client, Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void tcpToAListeningLoopbackPortIsAlive() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CheckResult r = run(checker(CAPABLE), client("127.0.0.1", "reachability_method", "tcp",
                    "reachability_port", Integer.toString(listening.getLocalPort())));
            assertEquals(Outcome.ALIVE, r.outcome(), r.reason());
        }
    }

    @Test
    void autoWithoutTheCapabilityConnectsOverTcp() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CheckResult r = run(checker(INCAPABLE),
                    client("127.0.0.1", "reachability_port", Integer.toString(listening.getLocalPort())));
            assertEquals(Outcome.ALIVE, r.outcome(), r.reason());
        }
        CheckResult down = run(checker, client("127.0.0.1", "reachability_port", Integer.toString(closedPort())));
        assertEquals(Outcome.DOWN, down.outcome(), "auto without the capability must not use a fake ICMP probe");
    }

    @Test
    void tcpToAClosedLoopbackPortIsDown() throws Exception {
        int port = closedPort();
        CheckResult r = run(checker(CAPABLE), client("127.0.0.1", "reachability_method", "tcp",
                "reachability_port", Integer.toString(port), "reachability_timeout", "2"));
        assertEquals(Outcome.DOWN, r.outcome());
        assertEquals(1, r.exitCode());
        assertTrue(r.reason().contains("127.0.0.1:" + port), r.reason());
    }

    @Test
    void aMissingPortForTcpIsAnErrorNamingTheOption() throws Exception {
        CheckResult forced = run(checker(CAPABLE), client("127.0.0.1", "reachability_method", "tcp"));
        assertEquals(Outcome.ERROR, forced.outcome());
        assertTrue(forced.reason().contains("reachability_port"), forced.reason());

        CheckResult auto = run(checker(INCAPABLE), client("127.0.0.1"));
        assertEquals(Outcome.ERROR, auto.outcome());
        assertTrue(auto.reason().contains("reachability_port"), auto.reason());
        assertTrue(auto.reason().contains("test: not capable"), "says why auto chose TCP: " + auto.reason());
    }

    @Test
    void icmpForcedWithoutTheCapabilityIsAnErrorNotAFallback() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CheckResult r = run(checker(INCAPABLE), client("127.0.0.1", "reachability_method", "icmp",
                    "reachability_port", Integer.toString(listening.getLocalPort())));
            assertEquals(Outcome.ERROR, r.outcome());
            assertTrue(r.reason().contains("reachability_method"), r.reason());
            assertTrue(r.reason().contains("CAP_NET_RAW"), r.reason());
        }
    }

    @Test
    void icmpEchoToLoopbackIsAliveWhenTheProcessMaySendIt() throws Exception {
        RawSocketCapability real = RawSocketCapability.probe();
        assumeTrue(real.effective(), "skipped: this process cannot send ICMP echo (" + real.why() + ")");
        CheckResult forced = run(checker(real), client("127.0.0.1", "reachability_method", "icmp"));
        assertEquals(Outcome.ALIVE, forced.outcome(), forced.reason());
        // auto picks ICMP here, so no port is needed
        CheckResult auto = run(checker, client("127.0.0.1", "reachability_timeout", "2"));
        assertEquals(Outcome.ALIVE, auto.outcome(), auto.reason());
    }

    /** A socket whose connect blocks until the socket is closed, as a connect to a silent host does. */
    private static final class HangingSocket extends Socket {
        final CountDownLatch connecting = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            connecting.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SocketException("Socket closed");
        }

        @Override
        public synchronized void close() throws IOException {
            closed.countDown();
            super.close();
        }
    }

    @Test
    void cancellingACheckClosesItsSocket() throws Exception {
        HangingSocket socket = new HangingSocket();
        checker = new ReachabilityChecker(() -> INCAPABLE, () -> socket);
        checker.activate();
        CompletableFuture<CheckResult> check = checker.check(client("127.0.0.1", "reachability_port", "9",
                "reachability_timeout", "600"), Map.of()).toCompletableFuture();
        assertTrue(socket.connecting.await(10, TimeUnit.SECONDS), "the connect started");
        assertFalse(check.isDone());
        check.cancel(true);
        assertTrue(socket.closed.await(10, TimeUnit.SECONDS), "cancel closed the socket");
        assertTrue(socket.isClosed());
        assertTrue(check.isCancelled());
    }

    @Test
    void deactivationCancelsRunningChecksAndRefusesNewOnes() throws Exception {
        HangingSocket socket = new HangingSocket();
        ReachabilityChecker stopped = new ReachabilityChecker(() -> INCAPABLE, () -> socket);
        stopped.activate();
        CompletableFuture<CheckResult> check = stopped.check(client("127.0.0.1", "reachability_port", "9"), Map.of())
                .toCompletableFuture();
        assertTrue(socket.connecting.await(10, TimeUnit.SECONDS));
        stopped.deactivate();
        assertTrue(socket.closed.await(10, TimeUnit.SECONDS), "deactivation closed the socket");
        assertTrue(check.isCancelled());
        CheckResult after = stopped.check(client("127.0.0.1", "reachability_port", "9"), Map.of())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Outcome.ERROR, after.outcome());
    }

    @Test
    void badOptionsAreErrorsNamingTheOption() throws Exception {
        checker(CAPABLE);
        Map<String, String[]> cases = Map.of(
                "reachability_method", new String[] {"reachability_method", "ping"},
                "reachability_port", new String[] {"reachability_method", "tcp", "reachability_port", "ssh"},
                "reachability_timeout", new String[] {"reachability_port", "22", "reachability_timeout", "0"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            CheckResult r = run(checker, client("127.0.0.1", c.getValue()));
            assertEquals(Outcome.ERROR, r.outcome(), c.getKey());
            assertTrue(r.reason().startsWith(c.getKey()), r.reason());
        }
        for (String bad : List.of("-1", "x", "70000")) {
            CheckResult r = run(checker, client("127.0.0.1", "reachability_port", bad));
            assertEquals(Outcome.ERROR, r.outcome(), bad);
        }
        CheckResult noHost = run(checker, client("", "reachability_method", "tcp", "reachability_port", "22"));
        assertEquals(Outcome.ERROR, noHost.outcome());
    }

    @Test
    void theCapabilityIsBit13OfCapEff() {
        assertTrue(RawSocketCapability.parse(List.of("Name:\tjava", "CapEff:\t0000000000002000"), "t").effective());
        assertTrue(RawSocketCapability.parse(List.of("CapEff:\t000001fffeffffff"), "t").effective());
        assertFalse(RawSocketCapability.parse(List.of("CapEff:\t0000000000001000"), "t").effective());
        assertFalse(RawSocketCapability.parse(List.of("CapEff:\t0000000000000000"), "t").effective());
        assertFalse(RawSocketCapability.parse(List.of("CapPrm:\t0000000000002000"), "t").effective());
        assertFalse(RawSocketCapability.parse(List.of("CapEff:\tzz"), "t").effective());
        assertFalse(RawSocketCapability.probe(Path.of("/nonexistent/status")).effective());
    }
}
