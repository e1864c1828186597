package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The real mandos-client and approval: refused while it waits with deny-by-default, given its
 * password when an approval comes through ClientRegistry during a wait, and refused once the client
 * has timed out.
 */
class ApprovalWithReferenceClientIT {

    private static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void theRealClientIsRefusedUntilApprovedAndAfterItsClientTimesOut() throws Exception {
        ReferenceTools.assumeInstalled();
        Path keys = ReferenceTools.newClientKeys("waiter", "ed25519");
        Path alive = TestFiles.newWritableDirectory("mandos-alive-").resolve("alive");
        Files.createFile(alive);
        Path conf = TestFiles.newDirectory("mandos-approval-ref-");
        TestFiles.write(conf.resolve("clients.conf"), ReferenceTools.section(keys, "waiter", "approved at last")
                + "approval_delay = PT2S\napproved_by_default = no\nchecker = test -e " + alive
                + "\ninterval = PT1S\ntimeout = PT3S\nextended_timeout = PT3S\n");
        try (InFrameworkServer server = InFrameworkServer.start(conf, TestFiles.newWritableDirectory("mandos-st-"))) {
            CompletableFuture<ReferenceTools.Result> client = CompletableFuture.supplyAsync(() -> ReferenceTools.run(
                    java.util.List.of("timeout", "60", ReferenceTools.client().toString(),
                            "--connect=::1:" + server.port, "--pubkey=" + keys.resolve("pubkey.txt"),
                            "--seckey=" + keys.resolve("seckey.txt"), "--tls-pubkey=" + keys.resolve("tls-pubkey.pem"),
                            "--tls-privkey=" + keys.resolve("tls-privkey.pem"),
                            "--network-hook-dir=" + ReferenceTools.dir().resolve("network-hooks.d"), "--interface=none",
                            "--retry=1"), Duration.ofSeconds(60)));
            await(() -> server.sawEvent("REJECTED waiter Approval timed out"), Duration.ofSeconds(20),
                    "the first wait ends in a refusal (deny by default)");
            await(() -> {
                try {
                    return (Boolean) server.status("waiter", "approvalPending");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, Duration.ofSeconds(20), "the client waits again");
            assertTrue(server.approve("waiter"));
            ReferenceTools.Result got = client.get();
            assertEquals(0, got.exitCode(), got.stderr());
            assertEquals("approved at last", got.stdout());

            Files.delete(alive);
            await(() -> server.sawEvent("DISABLED waiter timed out"), Duration.ofSeconds(20), "the client times out");
            ReferenceTools.Result after = ReferenceTools.fetch(keys, "::1:" + server.port, Duration.ofSeconds(4));
            assertNotEquals(0, after.exitCode());
            assertEquals("", after.stdout());
            assertTrue(server.sawEvent("REJECTED waiter Disabled"), server.events.toString());
        }
    }
}
