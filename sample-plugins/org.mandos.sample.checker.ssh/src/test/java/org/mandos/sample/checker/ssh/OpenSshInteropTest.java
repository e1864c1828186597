package org.mandos.sample.checker.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.api.CheckResult;
import org.mandos.api.ClientDefinition;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLogger;

/**
 * The checker against a real OpenSSH server ({@code /usr/sbin/sshd} on 127.0.0.1 with an Ed25519 host key
 * made by {@code ssh-keygen}). Skipped with a message when OpenSSH is not installed, a failure under CI.
 */
class OpenSshInteropTest {

    @TempDir
    static Path dir;

    private static OpenSsh sshd;
    private static String hostKeyFingerprint;
    private static String otherFingerprint;
    private static SshHostKeyChecker checker;

    @BeforeAll
    static void startSshd() throws Exception {
        OpenSsh.checkInstalled();
        if (!OpenSsh.installed()) {
            return;
        }
        hostKeyFingerprint = OpenSsh.newHostKey(dir.resolve("host_key"));
        otherFingerprint = OpenSsh.newHostKey(dir.resolve("other_key"));
        assertNotEquals(hostKeyFingerprint, otherFingerprint);
        sshd = OpenSsh.start(dir, dir.resolve("host_key"));
        checker = new SshHostKeyChecker();
        checker.activate();
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (checker != null) {
            checker.deactivate();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @BeforeEach
    void needsOpenSsh() {
        OpenSsh.assumeInstalled();
    }

    private static CheckResult check(ClientDefinition client) throws Exception {
        return checker.check(client, Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theRightFingerprintIsAlive() throws Exception {
        CheckResult r = check(Clients.ssh(sshd.port(), hostKeyFingerprint, 10));
        assertEquals(CheckResult.alive(), r, () -> r + "\nsshd log:\n" + sshd.log());
    }

    @Test
    void oneOfSeveralFingerprintsIsEnough() throws Exception {
        CheckResult r = check(Clients.ssh(sshd.port(), otherFingerprint + ",\n " + hostKeyFingerprint, 10));
        assertEquals(CheckResult.Outcome.ALIVE, r.outcome(), () -> r + "\nsshd log:\n" + sshd.log());
    }

    @Test
    void anotherKeysFingerprintIsDown() throws Exception {
        CheckResult r = check(Clients.ssh(sshd.port(), otherFingerprint, 10));
        assertEquals(CheckResult.Outcome.DOWN, r.outcome(), r::toString);
        assertTrue(r.reason().contains("ssh-ed25519 " + hostKeyFingerprint), r.reason());
        assertTrue(r.reason().contains(otherFingerprint), r.reason());
    }

    @Test
    void theServerSeesNoLoginAttempt() throws Exception {
        assertEquals(CheckResult.Outcome.ALIVE, check(Clients.ssh(sshd.port(), hostKeyFingerprint, 10)).outcome());
        String log = sshd.log();
        assertTrue(!log.contains("Accepted") && !log.contains("Failed") && !log.contains("Invalid user"), log);
    }

    @Test
    void anEcdsaHostKeyIsCheckedToo() throws Exception {
        Path ecdsaDir = java.nio.file.Files.createDirectory(dir.resolve("ecdsa"));
        String ecdsa = OpenSsh.newHostKey(ecdsaDir.resolve("host_key"), "ecdsa");
        try (OpenSsh ecdsaOnly = OpenSsh.start(ecdsaDir, ecdsaDir.resolve("host_key"))) {
            CheckResult r = check(Clients.ssh(ecdsaOnly.port(), ecdsa, 10));
            assertEquals(CheckResult.alive(), r, () -> r + "\nsshd log:\n" + ecdsaOnly.log());
        }
    }

    @Test
    void withSeveralHostKeysTheEd25519OneIsChecked() throws Exception {
        Path both = java.nio.file.Files.createDirectory(dir.resolve("both"));
        String ecdsa = OpenSsh.newHostKey(both.resolve("ecdsa_key"), "ecdsa");
        String ed25519 = OpenSsh.newHostKey(both.resolve("ed25519_key"));
        try (OpenSsh server = OpenSsh.start(both, both.resolve("ecdsa_key"), both.resolve("ed25519_key"))) {
            assertEquals(CheckResult.alive(), check(Clients.ssh(server.port(), ed25519, 10)));
            CheckResult r = check(Clients.ssh(server.port(), ecdsa, 10));
            assertEquals(CheckResult.Outcome.DOWN, r.outcome());
            assertTrue(r.reason().contains("ssh-ed25519 " + ed25519), r.reason());
        }
    }

    /**
     * As in the server: Bouncy Castle is registered with the JVM by other code, and the checker, in a
     * class loader of its own, cannot load its classes. MINA SSHD must not try to use it.
     */
    @Test
    void bouncyCastleRegisteredByOthersIsLeftAlone() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Class<?> c : List.of(SshHostKeyChecker.class, IsolatedCheck.class, SshClient.class, SecurityUtils.class,
                CheckResult.class, LoggerFactory.class, SimpleLogger.class)) {
            URL url = c.getProtectionDomain().getCodeSource().getLocation();
            if (!urls.contains(url)) {
                urls.add(url);
            }
        }
        boolean added = Security.addProvider(new BouncyCastleProvider()) != -1;
        try (URLClassLoader bundle = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> bundle.loadClass(BouncyCastleProvider.class.getName()));
            @SuppressWarnings("unchecked")
            Function<String[], String> check = (Function<String[], String>) bundle
                    .loadClass(IsolatedCheck.class.getName()).getConstructor().newInstance();
            String result = check.apply(new String[] {Integer.toString(sshd.port()), hostKeyFingerprint});
            assertEquals(CheckResult.alive().toString(), result);
        } finally {
            if (added) {
                Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
            }
        }
    }

    @Test
    void aClosedPortIsDown() throws Exception {
        CheckResult r = check(Clients.ssh(OpenSsh.freePort(), hostKeyFingerprint, 10));
        assertEquals(CheckResult.Outcome.DOWN, r.outcome(), r::toString);
    }
}
