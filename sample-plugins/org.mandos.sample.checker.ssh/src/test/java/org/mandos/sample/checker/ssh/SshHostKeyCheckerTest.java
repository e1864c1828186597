package org.mandos.sample.checker.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.Security;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mandos.api.CheckResult;
import org.mandos.api.ClientDefinition;

/** The checker against sockets of the test's own: closed, or listening but never speaking SSH. */
class SshHostKeyCheckerTest {

    private static final String FP = FingerprintsTest.ED25519_FP;
    /** Bound on waiting for anything in these tests; the checks themselves end much sooner. */
    private static final int WAIT_SECONDS = 30;

    private Set<Thread> threadsBefore;
    private SshHostKeyChecker checker;

    @BeforeEach
    void activate() {
        threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
        checker = new SshHostKeyChecker();
        checker.activate();
    }

    @AfterEach
    void deactivate() {
        checker.deactivate();
    }

    private static CheckResult result(CompletableFuture<CheckResult> stage) throws Exception {
        return stage.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private CompletableFuture<CheckResult> check(ClientDefinition client) {
        return checker.check(client, Map.of()).toCompletableFuture();
    }

    @Test
    void badOptionsAreAnErrorNamingTheOption() throws Exception {
        CheckResult missing = result(check(Clients.client("127.0.0.1", Map.of("ssh_port", "22"))));
        assertEquals(CheckResult.Outcome.ERROR, missing.outcome());
        assertTrue(missing.reason().contains("ssh_fingerprint"), missing.reason());

        CheckResult port = result(check(Clients.client("127.0.0.1", Map.of("ssh_fingerprint", FP, "ssh_port", "ssh"))));
        assertEquals(CheckResult.Outcome.ERROR, port.outcome());
        assertTrue(port.reason().contains("ssh_port"), port.reason());

        CheckResult timeout = result(check(Clients.client("127.0.0.1",
                Map.of("ssh_fingerprint", FP, "ssh_timeout", "soon"))));
        assertEquals(CheckResult.Outcome.ERROR, timeout.outcome());
        assertTrue(timeout.reason().contains("ssh_timeout"), timeout.reason());

        CheckResult fingerprint = result(check(Clients.client("127.0.0.1", Map.of("ssh_fingerprint", "MD5:00"))));
        assertEquals(CheckResult.Outcome.ERROR, fingerprint.outcome());
        assertTrue(fingerprint.reason().contains("ssh_fingerprint"), fingerprint.reason());
    }

    @Test
    void aClosedPortIsDown() throws Exception {
        int port = OpenSsh.freePort();
        CheckResult r = result(check(Clients.ssh(port, FP, 10)));
        assertEquals(CheckResult.Outcome.DOWN, r.outcome());
        assertEquals("cannot connect to 127.0.0.1:" + port + ": Connection refused", r.reason());
    }

    @Test
    void anUnknownHostIsDown() throws Exception {
        CheckResult r = result(check(Clients.client("no-such-host.invalid", Map.of("ssh_fingerprint", FP))));
        assertEquals(CheckResult.Outcome.DOWN, r.outcome());
        assertTrue(r.reason().contains("no-such-host.invalid"), r.reason());
    }

    @Test
    void aServerThatNeverSpeaksSshIsDownAtTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<CheckResult> stage = check(Clients.ssh(silent.getLocalPort(), FP, 1));
            silent.setSoTimeout(WAIT_SECONDS * 1000);
            try (Socket accepted = silent.accept()) {
                CheckResult r = result(stage);
                assertEquals(CheckResult.Outcome.DOWN, r.outcome());
                assertTrue(r.reason().startsWith("no SSH host key from 127.0.0.1:" + silent.getLocalPort() + " within 1 s"),
                        r.reason());
                assertClosedByPeer(accepted);
            }
        }
    }

    @Test
    void cancellingACheckClosesItsConnection() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<CheckResult> stage = check(Clients.ssh(silent.getLocalPort(), FP, 600));
            silent.setSoTimeout(WAIT_SECONDS * 1000);
            try (Socket accepted = silent.accept()) {
                assertFalse(stage.isDone());
                assertTrue(stage.cancel(true));
                assertTrue(stage.isCancelled());
                assertThrows(CancellationException.class, stage::join);
                assertClosedByPeer(accepted);
            }
        }
    }

    @Test
    void aCheckCancelledBeforeItConnectsNeverConnects() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<CheckResult> stage = check(Clients.ssh(silent.getLocalPort(), FP, 600));
            stage.cancel(true);
            // Whether or not the connection had started, it ends: nothing stays connected.
            silent.setSoTimeout(2000);
            try (Socket accepted = silent.accept()) {
                assertClosedByPeer(accepted);
            } catch (SocketTimeoutException neverConnected) {
                // Cancelled before the connection was started.
            }
        }
    }

    @Test
    void deactivationEndsRunningChecksAndStopsEveryThread() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<CheckResult> stage = check(Clients.ssh(silent.getLocalPort(), FP, 600));
            silent.setSoTimeout(WAIT_SECONDS * 1000);
            try (Socket accepted = silent.accept()) {
                checker.deactivate();
                CheckResult r = result(stage);
                assertEquals(CheckResult.Outcome.ERROR, r.outcome());
                assertClosedByPeer(accepted);
            }
        }
        assertEquals(CheckResult.Outcome.ERROR, result(check(Clients.ssh(22, FP, 1))).outcome(),
                "a deactivated checker checks nothing");
        List<Thread> started = new java.util.ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!threadsBefore.contains(t) && (t.getName().startsWith("sshd-") || t.getName().startsWith("mandos-ssh"))) {
                started.add(t);
            }
        }
        for (Thread t : started) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(t.isAlive(), "still running after deactivation: " + t.getName());
        }
    }

    @Test
    void bouncyCastleIsNotRegisteredWithTheJvm() throws Exception {
        Set<String> before = new HashSet<>();
        for (var p : Security.getProviders()) {
            before.add(p.getName());
        }
        result(check(Clients.ssh(OpenSsh.freePort(), FP, 5)));
        Set<String> after = new HashSet<>();
        for (var p : Security.getProviders()) {
            after.add(p.getName());
        }
        assertEquals(before, after);
    }

    /** The peer closed the connection: reading ends (after whatever the client had sent), well before the bound. */
    static void assertClosedByPeer(Socket accepted) throws IOException {
        accepted.setSoTimeout(WAIT_SECONDS * 1000);
        InputStream in = accepted.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // the client's identification line and key exchange offer
            }
        } catch (SocketTimeoutException e) {
            fail("the checker's connection is still open after " + WAIT_SECONDS + " s");
        } catch (SocketException reset) {
            // Closed without reading what we never sent: a reset is a close too.
        }
    }
}
