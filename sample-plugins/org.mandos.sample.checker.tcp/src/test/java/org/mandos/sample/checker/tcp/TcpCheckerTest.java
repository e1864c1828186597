package org.mandos.sample.checker.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mandos.api.CheckResult;
import org.mandos.api.ClientDefinition;

class TcpCheckerTest {

    private final TcpChecker checker = new TcpChecker();

    private static ClientDefinition client(int port) {
        return new ClientDefinition("c", "AB", "", new byte[1], "127.0.0.1", Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofMinutes(2), "", Duration.ZERO, Duration.ofSeconds(1), true, true,
                Map.of(TcpChecker.PORT_OPTION, Integer.toString(port), TcpChecker.TIMEOUT_OPTION, "5"));
    }

    @Test
    void aListeningPortMeansAlive() throws Exception {
        try (ServerSocket listening = new ServerSocket(0)) {
            CheckResult r = checker.check(client(listening.getLocalPort()), Map.of()).toCompletableFuture().get();
            assertEquals(CheckResult.Outcome.ALIVE, r.outcome());
        }
    }

    @Test
    void aClosedPortMeansDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CheckResult r = checker.check(client(port), Map.of()).toCompletableFuture().get();
        assertEquals(CheckResult.Outcome.DOWN, r.outcome());
    }

    @Test
    void aBadPortOptionIsAnError() throws Exception {
        ClientDefinition bad = new ClientDefinition("c", "AB", "", new byte[1], "127.0.0.1", Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofMinutes(2), "", Duration.ZERO, Duration.ofSeconds(1), true, true,
                Map.of(TcpChecker.PORT_OPTION, "ssh"));
        assertEquals(CheckResult.Outcome.ERROR, checker.check(bad, Map.of()).toCompletableFuture().get().outcome());
    }
}
