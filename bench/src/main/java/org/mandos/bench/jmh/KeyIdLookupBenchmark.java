package org.mandos.bench.jmh;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mandos.config.ClientSettings;
import org.mandos.config.ClientsFile;
import org.mandos.tls.KeyIds;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finding a client by the peer's key: the key_id (SHA-256 of the SubjectPublicKeyInfo, hex) and a lookup in a
 * HashMap of 10,000 clients from a parsed clients.conf. The core's registry is internal to its bundle, so
 * this measures the same work with public types.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyIdLookupBenchmark {

    private Map<String, ClientSettings> byKeyId;
    private List<String> present;
    private byte[] spki;
    private int next;

    @Setup
    public void setUp() throws Exception {
        ClientsFile file = ClientsFile.parse(java.nio.file.Path.of("clients.conf"), Synthetic.clientsConf(10_000, 64),
                Map.of());
        byKeyId = new HashMap<>();
        for (ClientSettings client : file.clients()) {
            byKeyId.putIfAbsent(client.keyId(), client);
        }
        present = List.copyOf(byKeyId.keySet());
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        spki = key.getPublic().getEncoded();
    }

    /** A lookup of a key_id that is there. */
    @Benchmark
    public ClientSettings lookup() {
        next = (next + 1) % present.size();
        return byKeyId.get(present.get(next));
    }

    /** The key_id of a peer's key (SHA-256 and hex) and a lookup (a miss: an unknown client). */
    @Benchmark
    public ClientSettings keyIdAndLookup() {
        return byKeyId.get(KeyIds.of(spki));
    }
}
