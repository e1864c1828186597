package org.mandos.bench.jmh;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mandos.config.ClientsFile;
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
import org.openjdk.jmh.annotations.Warmup;

/** Parsing a clients.conf of N clients (as the server does at start-up and on every reload). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClientsConfBenchmark {

    @Param("10000")
    public int clients;

    private String text;
    private final Path file = Path.of("clients.conf");

    @Setup
    public void setUp() {
        text = Synthetic.clientsConf(clients, 512);
    }

    @Benchmark
    public ClientsFile parse() throws Exception {
        return ClientsFile.parse(file, text, Map.of());
    }
}
