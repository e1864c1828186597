package org.mandos.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mandos.config.ClientsFile;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;
import org.mandos.tls.PeerSession;
import org.mandos.tls.RawKeyTlsClient;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsPolicy;

/**
 * {@code --check}: a real self-test of this installation. The configuration has already loaded when it
 * runs; it then performs a TLS handshake on loopback against an ephemeral Ed25519 key, exactly as a
 * client connection would go, and checks the permissions of the files that hold secrets.
 */
final class SelfCheck {

    private final Settings settings;
    private final ClientsFile clients;
    private final TlsPolicy policy;
    private final PrintStream out;
    private int failures;

    SelfCheck(Settings settings, ClientsFile clients, TlsPolicy policy, PrintStream out) {
        this.settings = settings;
        this.clients = clients;
        this.policy = policy;
        this.out = out;
    }

    int run() {
        Path conf = settings.configdir();
        Path mandosConf = conf.resolve("mandos.conf");
        ok("configuration " + mandosConf + (java.nio.file.Files.exists(mandosConf) ? " loads" : " is absent: built-in defaults"));
        ok("configuration " + conf.resolve("clients.conf") + " loads: " + clients.clients().size() + " client(s)");
        clients.warnings().forEach(w -> warn(w));
        checkHandshake();
        checkPermissions(conf);
        checkPermissions(conf.resolve("mandos.conf"));
        checkPermissions(conf.resolve("clients.conf"));
        checkStatedir();
        out.println(failures == 0 ? "mandos --check: all checks passed" : "mandos --check: " + failures + " check(s) failed");
        return failures == 0 ? 0 : 1;
    }

    private void checkHandshake() {
        byte[] secret = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(secret);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            KeyPair key = KeyFiles.generate("ed25519");
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
                    return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(),
                            TlsPolicy.defaultPolicy(), key, random);
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            try (Socket server = listener.accept()) {
                server.setSoTimeout(10_000);
                byte[] line = server.getInputStream().readNBytes(3);
                if (!Arrays.equals(line, "1\r\n".getBytes(StandardCharsets.US_ASCII))) {
                    fail("TLS self-test: the protocol line did not arrive");
                    return;
                }
                PeerSession session = RawKeyTlsClient.handshake(server.getInputStream(), server.getOutputStream(),
                        policy, random);
                String expected = KeyIds.of(key.getPublic().getEncoded());
                if (!expected.equals(session.keyId())) {
                    fail("TLS self-test: key_id " + session.keyId() + " differs from " + expected);
                    return;
                }
                session.sendAndClose(secret);
            }
            byte[] got = received.get(15, TimeUnit.SECONDS);
            if (Arrays.equals(got, secret)) {
                ok("TLS 1.3 handshake with a raw Ed25519 public key delivers a secret with this priority string");
            } else {
                fail("TLS self-test: the client received different bytes");
            }
        } catch (Exception e) {
            fail("TLS self-test failed: " + e.getMessage());
        }
    }

    private void checkPermissions(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)) {
                fail(file + " is writable by other users: anyone could add a client");
            } else if (!Files.isDirectory(file) && file.getFileName().toString().equals("clients.conf")
                    && perms.contains(PosixFilePermission.OTHERS_READ)) {
                warn(file + " is readable by all users; make it readable only by root and the server's group");
            } else {
                ok(file + " permissions");
            }
        } catch (IOException | UnsupportedOperationException e) {
            fail("cannot read the permissions of " + file + ": " + e.getMessage());
        }
    }

    private void checkStatedir() {
        Path dir = settings.statedir();
        if (!Files.exists(dir)) {
            warn("state directory " + dir + " does not exist yet");
        } else if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            fail("state directory " + dir + " is not a writable directory");
        } else {
            ok("state directory " + dir + " is writable");
        }
    }

    private void ok(String what) {
        out.println("ok:   " + what);
    }

    private void warn(String what) {
        out.println("warn: " + what);
    }

    private void fail(String what) {
        failures++;
        out.println("FAIL: " + what);
    }
}
