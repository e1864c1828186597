package org.mandos.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mandos.tls.KeyIds;

/**
 * Simulated clients (an Ed25519 key pair each, with its key_id and secret) and the server configuration
 * that knows them.
 *
 * <p>Key pairs are cached in {@code keys.bin} of a directory (magic {@code MBK1}, a count, then per key the
 * PKCS#8 and the SubjectPublicKeyInfo DER, each preceded by its length as an unsigned short), so repeated
 * runs reuse them; more keys are appended when a run needs more. The secret of a client is derived from its
 * key_id (SHA-256 in counter mode), so that a delivery can be checked without any other state. The server
 * sends the secret bytes as they are (neither server parses the OpenPGP message), so they are not a real
 * OpenPGP message.
 */
public final class Fixture {

    public static final String KEY_CACHE = "keys.bin";
    private static final int MAGIC = 0x4d424b31; // "MBK1"
    public static final int DEFAULT_SECRET_BYTES = 512;

    /** One simulated client. */
    public record SimClient(String name, KeyPair key, String keyId, byte[] secret) {
    }

    /** What {@code clients.conf} says about every client besides its identity and secret. */
    public record ClientOptions(String host, String checker, String interval, String timeout,
            Map<String, String> extra) {

        /** A client that is never disabled during a run: checker {@code true}, timeout 1 h. */
        public static ClientOptions defaults() {
            return new ClientOptions("127.0.0.1", "true", "2m", "1h", Map.of());
        }

        public ClientOptions withExtra(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(extra);
            all.putAll(more);
            return new ClientOptions(host, checker, interval, timeout, all);
        }

        public ClientOptions withChecker(String command) {
            return new ClientOptions(host, command, interval, timeout, extra);
        }

        public ClientOptions withInterval(String value) {
            return new ClientOptions(host, checker, value, timeout, extra);
        }

        public ClientOptions withTimeout(String value) {
            return new ClientOptions(host, checker, interval, value, extra);
        }
    }

    private Fixture() {
    }

    /** The first {@code count} clients, with keys from (and added to) {@code cacheDir/keys.bin}. */
    public static List<SimClient> clients(Path cacheDir, int count, int secretBytes)
            throws IOException, GeneralSecurityException {
        List<KeyPair> keys = keys(cacheDir, count);
        List<SimClient> clients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KeyPair key = keys.get(i);
            String keyId = KeyIds.of(key.getPublic());
            clients.add(new SimClient(String.format("bench-%05d", i + 1), key, keyId, secretFor(keyId, secretBytes)));
        }
        return clients;
    }

    /** Ed25519 key pairs, reusing and extending the cache file. */
    public static List<KeyPair> keys(Path cacheDir, int count) throws IOException, GeneralSecurityException {
        Files.createDirectories(cacheDir);
        Path cache = cacheDir.resolve(KEY_CACHE);
        List<KeyPair> keys = Files.exists(cache) ? readKeys(cache) : new ArrayList<>();
        if (keys.size() < count) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            while (keys.size() < count) {
                keys.add(generator.generateKeyPair());
            }
            writeKeys(cache, keys);
        }
        return keys.subList(0, count);
    }

    static List<KeyPair> readKeys(Path cache) throws IOException, GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance("Ed25519");
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(cache));
                DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != MAGIC) {
                throw new IOException(cache + " is not a key cache of this program; delete it");
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] pkcs8 = new byte[in.readUnsignedShort()];
                in.readFully(pkcs8);
                byte[] spki = new byte[in.readUnsignedShort()];
                in.readFully(spki);
                keys.add(new KeyPair(factory.generatePublic(new X509EncodedKeySpec(spki)),
                        factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8))));
            }
        } catch (EOFException e) {
            throw new IOException(cache + " is truncated; delete it", e);
        }
        return keys;
    }

    static void writeKeys(Path cache, List<KeyPair> keys) throws IOException {
        Path temporary = cache.resolveSibling(cache.getFileName() + ".tmp");
        try (OutputStream raw = new java.io.BufferedOutputStream(Files.newOutputStream(temporary));
                DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(MAGIC);
            out.writeInt(keys.size());
            for (KeyPair key : keys) {
                byte[] pkcs8 = key.getPrivate().getEncoded();
                byte[] spki = key.getPublic().getEncoded();
                out.writeShort(pkcs8.length);
                out.write(pkcs8);
                out.writeShort(spki.length);
                out.write(spki);
            }
        }
        Files.move(temporary, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The secret of the client with this key_id: {@code length} bytes of SHA-256(key_id, counter). */
    public static byte[] secretFor(String keyId, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] out = new byte[length];
            for (int block = 0, offset = 0; offset < length; block++, offset += 32) {
                sha.update(("mandos-bench:" + keyId + ":" + block).getBytes(StandardCharsets.US_ASCII));
                byte[] digest = sha.digest();
                System.arraycopy(digest, 0, out, offset, Math.min(32, length - offset));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of {@code clients.conf} for these clients. */
    public static String clientsConf(List<SimClient> clients, ClientOptions options) {
        StringBuilder out = new StringBuilder(clients.size() * 900);
        out.append("# Generated by the Mandos bench (bench/); simulated clients, not real machines.\n");
        out.append("[DEFAULT]\n");
        out.append("timeout = ").append(options.timeout()).append('\n');
        out.append("interval = ").append(options.interval()).append('\n');
        out.append("checker = ").append(options.checker()).append('\n');
        for (Map.Entry<String, String> e : options.extra().entrySet()) {
            out.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        }
        Base64.Encoder base64 = Base64.getEncoder();
        for (SimClient client : clients) {
            out.append('\n').append('[').append(client.name()).append("]\n");
            out.append("key_id = ").append(client.keyId()).append('\n');
            // the reference server requires a fingerprint; nobody uses it with TLS 1.3 raw keys
            out.append("fingerprint = ").append(client.keyId(), 0, 40).append('\n');
            out.append("host = ").append(options.host()).append('\n');
            out.append("secret = ").append(base64.encodeToString(client.secret())).append('\n');
        }
        return out.toString();
    }

    /**
     * Writes {@code mandos.conf}: no Zeroconf, no D-Bus, the port, and (for our server only, the reference
     * does not know it) {@code max_connections}.
     */
    public static String mandosConf(int port, int maxConnections) {
        StringBuilder out = new StringBuilder();
        out.append("# Generated by the Mandos bench (bench/).\n[DEFAULT]\n");
        out.append("zeroconf = no\nuse_dbus = no\n");
        out.append("port = ").append(port).append('\n');
        if (maxConnections > 0) {
            out.append("max_connections = ").append(maxConnections).append('\n');
            // Every simulated client connects from the loopback address.
            out.append("max_connections_per_peer = ").append(maxConnections).append('\n');
        }
        return out.toString();
    }

    /**
     * Writes both files into {@code configdir} (created). {@code clients.conf} holds the secrets, so it is set
     * up as on a real server: mode 0640, and when we are root (then the server runs as {@code _mandos}) group
     * {@code _mandos}, so that the server can read it and other users cannot.
     */
    public static void writeConfig(Path configdir, List<SimClient> clients, ClientOptions options, int port,
            int maxConnections) throws IOException {
        Files.createDirectories(configdir);
        Files.writeString(configdir.resolve("mandos.conf"), mandosConf(port, maxConnections), StandardCharsets.UTF_8);
        Path clientsConf = configdir.resolve("clients.conf");
        Files.writeString(clientsConf, clientsConf(clients, options), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(clientsConf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        if ("root".equals(System.getProperty("user.name"))) {
            try {
                java.nio.file.attribute.GroupPrincipal group = clientsConf.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName("_mandos");
                Files.getFileAttributeView(clientsConf, java.nio.file.attribute.PosixFileAttributeView.class)
                        .setGroup(group);
            } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
                // No _mandos: the server then runs as nobody, and needs to read it as other.
                Files.setPosixFilePermissions(clientsConf,
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }
}
