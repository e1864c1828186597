package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Checkers in the assembled server: a hanging checker is killed when its client times out. */
class CheckerIT {

    private static List<ProcessHandle> processesRunning(String commandLine) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(commandLine)).orElse(false))
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    @Test
    void aHangingCheckerIsKilledWhenItsClientTimesOutAndBothAreLogged() throws Exception {
        // A unique duration, so the process listing finds only this test's sleep.
        String sleep = "sleep 1000." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        Path conf = TestFiles.newDirectory("mandos-checker-");
        TestFiles.write(conf.resolve("clients.conf"), "[hangs]\nkey_id = " + "AB".repeat(32) + "\nsecret = "
                + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + "\ntimeout = PT2S\ninterval = PT1S\n"
                + "checker = " + sleep + "\n");
        try (ServerProcess server = ServerProcess.start(conf)) {
            server.awaitLog(line -> line.contains("Starting checker for hangs"), Duration.ofSeconds(10));
            long startedAt = System.nanoTime();
            while (processesRunning(sleep).isEmpty() && System.nanoTime() - startedAt < 5_000_000_000L) {
                Thread.sleep(20);
            }
            assertTrue(!processesRunning(sleep).isEmpty(), "the checker runs");
            String disabled = server.awaitLog(line -> line.contains("Client hangs disabled: timed out"),
                    Duration.ofSeconds(10));
            long disabledAt = System.nanoTime();
            server.awaitLog(line -> line.contains("Stopping checker for hangs"), Duration.ofSeconds(5));
            while (!processesRunning(sleep).isEmpty() && System.nanoTime() - disabledAt < 1_000_000_000L) {
                Thread.sleep(20);
            }
            assertTrue(processesRunning(sleep).isEmpty(), "the checker is gone within a second: " + disabled);
        }
    }
}
