package org.mandos.bench.jmh;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mandos.bench.Fetch;
import org.mandos.bench.FakeMandosServer;
import org.mandos.bench.Fixture;
import org.mandos.tls.TlsPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One complete Mandos exchange over loopback TCP, both ends in this JVM: the client side
 * ({@code RawKeyTlsServer}, Ed25519 raw key) against {@link FakeMandosServer} ({@code RawKeyTlsClient}),
 * with a 512-byte secret. Both ends' CPU is in the figure, on different threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class HandshakeBenchmark {

    private FakeMandosServer server;
    private Fixture.SimClient client;
    private InetSocketAddress target;
    private TlsPolicy policy;
    private final SecureRandom random = Fetch.newRandom();

    /**
     * The priority string of both ends: the Mandos default (key exchange over X25519, the first group of
     * this server's keyword lists), or the same with P-256 moved first, as GnuTLS and the reference
     * server order them.
     */
    @Param({"default", "p256-first"})
    public String priority;

    static final String P256_FIRST = TlsPolicy.DEFAULT_PRIORITY + ":-GROUP-ALL:+GROUP-SECP256R1:+GROUP-ALL";

    @Setup
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("mandos-bench-jmh-");
        List<Fixture.SimClient> clients = Fixture.clients(dir, 1, Fixture.DEFAULT_SECRET_BYTES);
        client = clients.get(0);
        policy = TlsPolicy.parse(priority.equals("default") ? TlsPolicy.DEFAULT_PRIORITY : P256_FIRST);
        server = new FakeMandosServer(clients, policy, 2);
        target = new InetSocketAddress("127.0.0.1", server.port());
    }

    @TearDown
    public void tearDown() throws Exception {
        server.close();
    }

    @Benchmark
    public Fetch.Outcome fetch() {
        Fetch.Outcome outcome = Fetch.fetch(target, client, policy, random, 10_000);
        if (!outcome.delivered()) {
            throw new IllegalStateException(outcome.kind() + ": " + outcome.message());
        }
        return outcome;
    }
}
