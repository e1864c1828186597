package org.mandos.keygen;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mandos-keygen}: makes a Mandos client's key files, or encrypts a password to them and prints
 * the {@code clients.conf} section for the server.
 */
@Command(name = "mandos-keygen", sortOptions = false, versionProvider = Main.VersionText.class,
        usageHelpWidth = 80,
        customSynopsis = {
            "mandos-keygen [ -v | --version ]",
            "       mandos-keygen [ -h | --help ]",
            "   Key creation:",
            "       mandos-keygen [ OPTIONS ]",
            "   Encrypted password creation:",
            "       mandos-keygen { -p | --password } [ -n NAME ] [ -d DIR ] [ -S ]",
            "       mandos-keygen { -F | --passfile } FILE [ -n NAME ] [ -d DIR ] [ -S ]",
            ""},
        footer = {"", "Exit status: 0 on success, 1 on any error (including bad options)."})
public final class Main implements Callable<Integer> {

    /** Exit status for success. */
    static final int OK = 0;
    /** Exit status for every error, usage errors included (as the reference). */
    static final int FAILED = 1;

    static final String SECKEY = "seckey.txt";
    static final String PUBKEY = "pubkey.txt";
    static final String TLS_PRIVKEY = "tls-privkey.pem";
    static final String TLS_PUBKEY = "tls-pubkey.pem";
    static final List<String> KEY_FILES = List.of(SECKEY, PUBKEY, TLS_PRIVKEY, TLS_PUBKEY);

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Show the program's version and exit.")
    boolean version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR",
            description = "Directory of the key files. Default: /etc/keys/mandos if it exists,"
                    + " else /etc/mandos/keys.")
    Path dir;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "OpenPGP key type. Default: RSA (the only"
            + " type supported).")
    String type = "RSA";

    @Option(names = {"-l", "--length"}, paramLabel = "BITS", description = "OpenPGP key length. Default: 4096.")
    int length = 4096;

    @Option(names = {"-s", "--subtype"}, paramLabel = "TYPE", description = "OpenPGP encryption subkey type."
            + " Default: RSA (the only type supported).")
    String subtype = "RSA";

    @Option(names = {"-L", "--sublength"}, paramLabel = "BITS", description = "OpenPGP subkey length. Default: 4096.")
    int sublength = 4096;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Name of the key and of the client."
            + " Default: this host's fully qualified name.")
    String name;

    @Option(names = {"-e", "--email"}, paramLabel = "ADDRESS", description = "Email address of the OpenPGP key."
            + " Default: none.")
    String email = "";

    @Option(names = {"-c", "--comment"}, paramLabel = "TEXT", description = "Comment of the OpenPGP key."
            + " Default: none.")
    String comment = "";

    @Option(names = {"-x", "--expire"}, paramLabel = "TIME", description = "OpenPGP key expiry: 0 (never, the"
            + " default), N or Nd days, Nw weeks, Nm months, Ny years, seconds=N, or YYYY-MM-DD.")
    String expire = "0";

    @Option(names = {"-T", "--tls-keytype"}, paramLabel = "TYPE", description = "TLS key type: ed25519 (default),"
            + " ed448, rsa (= rsa-4096), rsa-2048, rsa-3072, rsa-4096, ecdsa (= ecdsa-p256), ecdsa-p256,"
            + " ecdsa-p384, ecdsa-p521.")
    String tlsKeyType = "ed25519";

    @Option(names = {"-f", "--force"}, description = "Replace existing key files.")
    boolean force;

    @Option(names = {"-p", "--password"}, description = "Read a password twice from the terminal, encrypt it to"
            + " the key in DIR and print a clients.conf section. Only --dir, --name and --no-ssh are used.")
    boolean password;

    @Option(names = {"-F", "--passfile"}, paramLabel = "FILE", description = "As --password, but encrypt the"
            + " contents of FILE, byte for byte (a trailing newline is kept).")
    Path passfile;

    @Option(names = {"-S", "--no-ssh"}, description = "Do not look for a local SSH server to add the \"checker\""
            + " and \"ssh_fingerprint\" options.")
    boolean noSsh;

    private final Environment env;

    Main(Environment env) {
        this.env = env;
    }

    /** What the tool needs from the outside world; replaced in tests. */
    record Environment(PrintStream out, PrintStream err, PasswordPrompt prompt, String sshKeyscan,
            SecureRandom random) {
        static Environment system() {
            return new Environment(System.out, System.err, PasswordPrompt.console(), "ssh-keyscan",
                    new SecureRandom());
        }
    }

    /** Reads a password twice, without echo. */
    interface PasswordPrompt {
        /**
         * @return the password as bytes
         * @throws IOException if there is no terminal or the two differ (message for the user)
         */
        byte[] read() throws IOException;

        static PasswordPrompt console() {
            return () -> {
                Console console = System.console();
                if (console == null) {
                    throw new IOException("--password needs a terminal; without one use --passfile FILE"
                            + " (e.g. --passfile /dev/stdin)");
                }
                char[] first = console.readPassword("Enter passphrase: ");
                char[] second = console.readPassword("Repeat passphrase: ");
                try {
                    if (first == null || second == null) {
                        throw new IOException("No passphrase read (end of input)");
                    }
                    if (!Arrays.equals(first, second)) {
                        throw new IOException("Passphrase mismatch");
                    }
                    return toBytes(first, console.charset());
                } finally {
                    if (first != null) {
                        Arrays.fill(first, '\0');
                    }
                    if (second != null) {
                        Arrays.fill(second, '\0');
                    }
                }
            };
        }
    }

    static byte[] toBytes(char[] chars, Charset charset) {
        java.nio.ByteBuffer buffer = charset.encode(java.nio.CharBuffer.wrap(chars));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }

    /** Version text from the jar manifest. */
    static final class VersionText implements CommandLine.IVersionProvider {
        static String text() {
            String v = Main.class.getPackage().getImplementationVersion();
            return "mandos-keygen " + (v == null ? "(development build)" : v) + " (Java)";
        }

        @Override
        public String[] getVersion() {
            return new String[] {text()};
        }
    }

    /** A failure reported to the user as one line. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, Environment.system()));
    }

    /** Runs the tool; returns the exit status. */
    static int run(String[] args, Environment env) {
        CommandLine cli = new CommandLine(new Main(env));
        cli.setOut(new java.io.PrintWriter(env.out(), true));
        cli.setErr(new java.io.PrintWriter(env.err(), true));
        cli.setParameterExceptionHandler((e, a) -> {
            env.err().println("mandos-keygen: " + oneLine(e.getMessage()) + " (see --help)");
            return FAILED;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            env.err().println("mandos-keygen: internal error: " + oneLine(String.valueOf(e)));
            return FAILED;
        });
        return cli.execute(args);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }

    @Override
    public Integer call() {
        try {
            if (password && passfile != null) {
                throw new Failure("--password and --passfile cannot be used together");
            }
            Path keyDir = dir != null ? dir : defaultDir();
            if (password || passfile != null) {
                passwordMode(keyDir);
            } else {
                keygenMode(keyDir);
            }
            return OK;
        } catch (Failure e) {
            env.err().println("mandos-keygen: " + oneLine(e.getMessage()));
            return FAILED;
        }
    }

    static Path defaultDir() {
        Path keys = Paths.get("/etc/keys/mandos");
        return Files.isDirectory(keys) ? keys : Paths.get("/etc/mandos/keys");
    }

    static String defaultName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Maps the TLS key type option to a {@link KeyFiles#generate} type. */
    static String tlsType(String option) throws Failure {
        String t = option.trim().toLowerCase(Locale.ROOT);
        String mapped = switch (t) {
            case "rsa" -> "rsa-4096";
            case "ecdsa" -> "ecdsa-p256";
            default -> t;
        };
        if (!KeyFiles.keyTypes().contains(mapped)) {
            throw new Failure("Unknown TLS key type '" + option + "'; use ed25519, ed448, rsa, rsa-2048, rsa-3072,"
                    + " rsa-4096, ecdsa, ecdsa-p256, ecdsa-p384 or ecdsa-p521");
        }
        return mapped;
    }

    // ---------------------------------------------------------------- key creation

    private void keygenMode(Path keyDir) throws Failure {
        String keyName = name != null ? name : defaultName();
        if (keyName.isEmpty()) {
            throw new Failure("Empty key name");
        }
        String tlsKeyTypeName = tlsType(tlsKeyType);
        long expireSeconds;
        try {
            OpenPgpKeys.checkType(type, "key type");
            OpenPgpKeys.checkType(subtype, "subkey type");
            OpenPgpKeys.checkLength(length, "key length");
            OpenPgpKeys.checkLength(sublength, "subkey length");
            expireSeconds = Expiry.parse(expire, System.currentTimeMillis() / 1000);
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
        for (String s : List.of(keyName, comment, email)) {
            if (s.chars().anyMatch(Character::isISOControl)) {
                throw new Failure("Name, comment and email must not contain control characters");
            }
        }
        prepareDirectory(keyDir);
        if (!force) {
            for (String file : KEY_FILES) {
                if (Files.exists(keyDir.resolve(file), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new Failure("Refusing to overwrite old key files in " + keyDir + "; use --force");
                }
            }
        }

        KeyPair tls = KeyFiles.generate(tlsKeyTypeName, env.random());
        String fileComment = "Mandos client key for " + keyName;
        if (!comment.isEmpty()) {
            fileComment += " (" + comment + ")";
        }
        if (!email.isEmpty()) {
            fileComment += " <" + email + ">";
        }
        OpenPgpKeys.Armored pgp;
        try {
            pgp = OpenPgpKeys.generate(length, sublength, OpenPgpKeys.userId(keyName, comment, email),
                    expireSeconds, fileComment, env.random());
        } catch (IOException | PGPException e) {
            throw new Failure("Cannot make the OpenPGP key: " + e.getMessage());
        }
        writeKeyFile(keyDir, TLS_PRIVKEY, KeyFiles.toPem(tls.getPrivate()));
        writeKeyFile(keyDir, TLS_PUBKEY, KeyFiles.toPem(tls.getPublic()));
        writeKeyFile(keyDir, SECKEY, pgp.secretKey());
        writeKeyFile(keyDir, PUBKEY, pgp.publicKey());
    }

    private static void prepareDirectory(Path keyDir) throws Failure {
        if (!Files.exists(keyDir)) {
            try {
                Path parent = keyDir.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    throw new Failure(parent + " not a directory");
                }
                Files.createDirectory(keyDir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                Files.setPosixFilePermissions(keyDir, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException e) {
                throw new Failure("Cannot create directory " + keyDir + ": " + describe(e));
            }
        }
        if (!Files.isDirectory(keyDir)) {
            throw new Failure(keyDir + " not a directory");
        }
        if (!Files.isWritable(keyDir)) {
            throw new Failure("Directory " + keyDir + " not writeable");
        }
    }

    /** Writes a new 0600 file, then moves it into place (replacing only with --force). */
    private void writeKeyFile(Path keyDir, String fileName, String text) throws Failure {
        Path target = keyDir.resolve(fileName);
        Path temp = null;
        try {
            temp = Files.createTempFile(keyDir, "." + fileName + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            if (force) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // no REPLACE_EXISTING: a file that appeared meanwhile is kept
                Files.move(temp, target);
            }
            temp = null;
        } catch (FileAlreadyExistsException e) {
            throw new Failure("Refusing to overwrite " + target + "; use --force");
        } catch (IOException e) {
            throw new Failure("Cannot write " + target + ": " + describe(e));
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        return oneLine(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    }

    // ---------------------------------------------------------------- password

    private void passwordMode(Path keyDir) throws Failure {
        String clientName = name != null ? name : defaultName();
        if (clientName.isEmpty()) {
            throw new Failure("Empty name");
        }
        if (clientName.chars().anyMatch(c -> Character.isISOControl(c) || c == ']' || c == '%')) {
            throw new Failure("The name must not contain control characters, ']' or '%'");
        }
        if (!Files.isDirectory(keyDir)) {
            throw new Failure(keyDir + " not a directory");
        }
        PGPPublicKeyRing publicRing;
        try {
            publicRing = OpenPgpKeys.readPublicRing(Files.readAllBytes(keyDir.resolve(PUBKEY)));
        } catch (IOException e) {
            throw new Failure("Cannot read " + keyDir.resolve(PUBKEY) + ": " + describe(e));
        }
        String fingerprint = OpenPgpKeys.fingerprint(publicRing.getPublicKey());
        PGPSecretKey signer = null;
        Path secretFile = keyDir.resolve(SECKEY);
        if (Files.exists(secretFile)) {
            try {
                PGPSecretKeyRing secretRing = OpenPgpKeys.readSecretRing(Files.readAllBytes(secretFile));
                signer = secretRing.getSecretKey();
                if (!Arrays.equals(signer.getPublicKey().getFingerprint(), publicRing.getPublicKey().getFingerprint())) {
                    throw new Failure(secretFile + " does not belong to " + keyDir.resolve(PUBKEY));
                }
            } catch (IOException e) {
                throw new Failure("Cannot read " + secretFile + ": " + describe(e));
            }
        }
        String keyId = null;
        Path tlsPublic = keyDir.resolve(TLS_PUBKEY);
        if (Files.exists(tlsPublic)) {
            try {
                keyId = KeyIds.of(KeyFiles.readPublicKey(tlsPublic)).toLowerCase(Locale.ROOT);
            } catch (IOException e) {
                throw new Failure("Cannot read " + tlsPublic + ": " + describe(e));
            }
        } else {
            env.err().println("mandos-keygen: warning: " + tlsPublic + " not found: no key_id line;"
                    + " the server will not recognize this client");
        }

        byte[] secret = passfile != null ? readPassfile(passfile) : prompt();
        byte[] message;
        try {
            if (secret.length == 0) {
                throw new Failure("Empty password");
            }
            message = OpenPgpKeys.encrypt(secret, OpenPgpKeys.encryptionKey(publicRing), signer, env.random());
        } catch (IOException | PGPException e) {
            throw new Failure("Cannot encrypt the password: " + oneLine(e.getMessage()));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }

        Optional<SshKeyScan.HostKey> ssh = noSsh ? Optional.empty() : SshKeyScan.scan(env.sshKeyscan());
        env.out().print(section(clientName, keyId, fingerprint, message, ssh.orElse(null)));
        env.out().flush();
    }

    private byte[] prompt() throws Failure {
        try {
            return env.prompt().read();
        } catch (IOException e) {
            throw new Failure(e.getMessage());
        }
    }

    private static byte[] readPassfile(Path file) throws Failure {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Failure("Cannot read " + file + ": " + describe(e));
        }
    }

    /** The clients.conf section, in the reference's layout. */
    static String section(String clientName, String keyId, String fingerprint, byte[] message,
            SshKeyScan.HostKey ssh) {
        StringBuilder sb = new StringBuilder();
        sb.append('[').append(clientName).append("]\n");
        sb.append("host = ").append(clientName).append('\n');
        if (keyId != null) {
            sb.append("key_id = ").append(keyId).append('\n');
        }
        sb.append("fingerprint = ").append(fingerprint).append('\n');
        sb.append("secret =\n");
        String base64 = Base64.getEncoder().encodeToString(message);
        for (int i = 0; i < base64.length(); i += 64) {
            sb.append("    ").append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
        }
        if (ssh != null) {
            sb.append("checker = ").append(ssh.checker()).append('\n');
            sb.append("ssh_fingerprint = ").append(ssh.key()).append('\n');
        }
        return sb.toString();
    }
}
