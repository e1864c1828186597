package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsPolicy;

/**
 * Issue 9, item 12: a boot storm with a server restart in the middle. Many clients try at once and retry
 * on any failure, as the real client does; the server is killed (SIGKILL, no final save) part-way and
 * started again on the same port and state. Every enabled client ends with exactly its own secret; the
 * disabled ones and the unknown keys never get a byte.
 *
 * <p>{@code -Dmandos.storm.clients=N} sets how many enabled clients (CI: 200; a long run: 2,000 or more).
 */
class BootStormRestartIT {

    private static final int CLIENTS = Integer.getInteger("mandos.storm.clients", 200);
    private static final int DISABLED = 20;
    private static final int UNKNOWN = 20;
    private static final Duration RETRY = Duration.ofMillis(500);

    /** One simulated machine: its key, and its secret when it is configured. */
    private record Machine(String name, KeyPair key, byte[] secret, boolean shouldGet) {
    }

    @Test
    void everyEnabledClientGetsItsOwnSecretAcrossARestartAndNoOtherGetsAnything() throws Exception {
        List<Machine> machines = new ArrayList<>();
        StringBuilder clients = new StringBuilder("[DEFAULT]\nchecker = true\ninterval = PT10M\ntimeout = PT1H\n");
        for (int i = 0; i < CLIENTS + DISABLED + UNKNOWN; i++) {
            KeyPair key = KeyFiles.generate("ed25519");
            String name = String.format("storm-%05d", i);
            byte[] secret = ("secret of " + name + " " + i * 7919).getBytes(StandardCharsets.UTF_8);
            boolean disabled = i >= CLIENTS && i < CLIENTS + DISABLED;
            boolean unknown = i >= CLIENTS + DISABLED;
            if (!unknown) {
                clients.append('[').append(name).append("]\nhost = localhost\nkey_id = ")
                        .append(KeyIds.of(key.getPublic().getEncoded())).append("\nsecret = ")
                        .append(Base64.getEncoder().encodeToString(secret)).append('\n')
                        .append(disabled ? "enabled = False\n" : "");
            }
            machines.add(new Machine(name, key, secret, !disabled && !unknown));
        }
        Path conf = TestFiles.newDirectory("mandos-storm-");
        TestFiles.write(conf.resolve("mandos.conf"), "[DEFAULT]\nmax_connections = 512\nmax_connections_per_peer = 512\n");
        TestFiles.write(conf.resolve("clients.conf"), clients.toString());
        Path statedir = TestFiles.newWritableDirectory("mandos-storm-state-");
        int port = TestFiles.freePort();

        Map<String, byte[]> received = new ConcurrentHashMap<>();
        Map<String, String> wrong = new ConcurrentHashMap<>();
        AtomicInteger served = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch firstQuarter = new CountDownLatch(Math.max(1, CLIENTS / 4));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + CLIENTS / 20);

        ServerProcess first = ServerProcess.start(conf, port, statedir);
        ServerProcess second = null;
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            for (Machine m : machines) {
                pool.execute(() -> {
                    // An enabled machine stops once it has its secret; the others keep trying until every enabled one
                    // has its secret (or time is up).
                    while (System.nanoTime() < deadline
                            && !(m.shouldGet ? received.containsKey(m.name) : received.size() >= CLIENTS)) {
                        byte[] got;
                        try {
                            got = fetch(port, m.key);
                        } catch (Exception e) {
                            failures.incrementAndGet();
                            pause(RETRY);
                            continue;
                        }
                        if (got.length == 0) {
                            pause(m.shouldGet ? RETRY : RETRY.multipliedBy(4));
                            continue;
                        }
                        if (!m.shouldGet || !Arrays.equals(got, m.secret)) {
                            wrong.put(m.name, got.length + " bytes");
                            return;
                        }
                        if (received.putIfAbsent(m.name, got) == null) {
                            served.incrementAndGet();
                            firstQuarter.countDown();
                        }
                    }
                });
            }
            assertTrue(firstQuarter.await(120, TimeUnit.SECONDS), "a quarter served before the restart");
            long killed = first.pid();
            first.kill();
            int servedAtKill = served.get();
            second = ServerProcess.start(conf, port, statedir);
            // The killed server could not remove its framework cache; the new one does, once listening.
            second.awaitLog(line -> line.contains("framework cache(s) left in"), Duration.ofSeconds(30));
            try (var caches = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                List<Path> left = caches.filter(p -> p.getFileName().toString()
                        .startsWith("mandos-felix-" + killed + "-")).toList();
                assertEquals(List.of(), left, "the killed server's framework cache");
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()) + 30,
                    TimeUnit.SECONDS));
            System.out.printf("BootStormRestartIT: %d clients, %d served before the kill, %d after; %d failed"
                    + " attempts (retried)%n", CLIENTS, servedAtKill, served.get() - servedAtKill, failures.get());
            assertEquals(Map.of(), wrong, "clients that got a secret they should not have");
            List<String> missing = machines.stream().filter(m -> m.shouldGet && !received.containsKey(m.name))
                    .map(Machine::name).toList();
            assertEquals(List.of(), missing, "enabled clients that never got their secret");
            assertEquals(CLIENTS, received.size());
            assertTrue(!second.log().contains("cannot be used"), "the state after the kill loaded:\n" + second.log());
            // A clean stop is not the removal of every client: no audit line, no warning, no error.
            assertEquals(0, second.terminate());
            String afterStop = second.log().substring(second.log().lastIndexOf("INFO: Stopping"));
            assertTrue(afterStop.lines().noneMatch(l -> l.contains("Audit:") || l.contains("WARNING:")
                    || l.contains("ERROR") || l.contains("Exception")), "logged while stopping:\n" + afterStop);
        } finally {
            pool.shutdownNow();
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    private static byte[] fetch(int port, KeyPair key) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
            return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(), TlsPolicy.defaultPolicy(),
                    key, new SecureRandom());
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
