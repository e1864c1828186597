package org.mandos.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.tls.TlsPolicy;

/** The load generator against an in-JVM Mandos server on loopback; counts only, no timing assertions. */
class LoadGeneratorTest {

    private static final TlsPolicy POLICY = TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY);

    @TempDir
    Path dir;

    @Test
    void stormOfFiftyDistinctClientsIsServedWithoutErrors() throws Exception {
        List<Fixture.SimClient> clients = Fixture.clients(dir, 50, 512);
        try (FakeMandosServer server = new FakeMandosServer(clients, POLICY, 4)) {
            LoadGenerator.StormResult result = LoadGenerator.storm(new LoadGenerator.StormOptions(
                    new InetSocketAddress("127.0.0.1", server.port()), Duration.ofMillis(200), Duration.ofMillis(100),
                    Duration.ofSeconds(60), Duration.ofSeconds(20), 8, POLICY), clients);
            assertEquals(50, result.served(), result.summary());
            assertEquals(0, result.errors().total(), result.summary());
            assertEquals(0, result.refusals().total(), result.summary());
            assertEquals(50, result.attempts());
            assertEquals(50, result.timeToSecret().count());
        }
    }

    @Test
    void closedLoopDeliversAndChecksSecrets() throws Exception {
        List<Fixture.SimClient> clients = Fixture.clients(dir, 10, 64);
        try (FakeMandosServer server = new FakeMandosServer(clients, POLICY, 4)) {
            LoadGenerator.Result result = LoadGenerator.run(new LoadGenerator.Options(
                    new InetSocketAddress("127.0.0.1", server.port()), 2, 0, Duration.ofMillis(1500), Duration.ZERO,
                    Duration.ofMillis(100), Duration.ofSeconds(20), false, POLICY), clients);
            assertTrue(result.deliveries() > 0, result.summary());
            assertEquals(0, result.errors().total(), result.summary());
            assertEquals(0, result.refusals().total(), result.summary());
            assertEquals(result.deliveries(), result.latency().count());
        }
    }

    @Test
    void unknownClientIsRefusedAndWrongSecretIsAnError() throws Exception {
        List<Fixture.SimClient> clients = Fixture.clients(dir, 2, 64);
        Fixture.SimClient known = clients.get(0);
        Fixture.SimClient unknown = clients.get(1);
        Fixture.SimClient impostor = new Fixture.SimClient("impostor", known.key(), known.keyId(),
                Fixture.secretFor("something else", 64));
        try (FakeMandosServer server = new FakeMandosServer(List.of(known), POLICY, 2)) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.port());
            SecureRandom random = new SecureRandom();
            assertEquals(Fetch.Status.DELIVERED, Fetch.fetch(target, known, POLICY, random, 20_000).status());
            Fetch.Outcome refused = Fetch.fetch(target, unknown, POLICY, random, 20_000);
            assertEquals(Fetch.Status.REFUSED, refused.status(), refused.toString());
            Fetch.Outcome mismatch = Fetch.fetch(target, impostor, POLICY, random, 20_000);
            assertEquals(Fetch.Status.ERROR, mismatch.status());
            assertEquals("mismatch", mismatch.kind());
        }
    }

    @Test
    void nothingListeningIsAConnectError() throws Exception {
        List<Fixture.SimClient> clients = Fixture.clients(dir, 1, 64);
        int port = ServerRunner.freePort();
        Fetch.Outcome outcome = Fetch.fetch(new InetSocketAddress("127.0.0.1", port), clients.get(0), POLICY,
                new SecureRandom(), 5_000);
        assertEquals(Fetch.Status.ERROR, outcome.status());
        assertEquals("connect", outcome.kind());
    }
}
