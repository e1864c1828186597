package org.mandos.keygen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;

/** Running the tool in-process, and decrypting what it prints. */
final class Fixtures {

    private Fixtures() {
    }

    /** Exit status, stdout and stderr of one run. */
    record Result(int status, String out, String err) {
    }

    static Result run(Main.PasswordPrompt prompt, String sshKeyscan, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, new Main.Environment(o, e, prompt, sshKeyscan, new SecureRandom()));
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... args) {
        return run(() -> {
            throw new IOException("no terminal in tests");
        }, "/nonexistent/ssh-keyscan", args);
    }

    /** Makes small (fast) keys in {@code dir}. */
    static void makeKeys(Path dir, String name) {
        Result r = run("--dir", dir.toString(), "--name", name, "-l", "2048", "-L", "2048");
        assertEquals(0, r.status(), r.err());
    }

    /** The base64 lines of {@code secret =}, decoded. */
    static byte[] secretOf(String section) {
        StringBuilder b64 = new StringBuilder();
        boolean in = false;
        for (String line : section.split("\n")) {
            if (line.equals("secret =")) {
                in = true;
            } else if (in && line.startsWith("    ")) {
                b64.append(line.substring(4));
            } else if (in) {
                break;
            }
        }
        return Base64.getDecoder().decode(b64.toString());
    }

    /** Decrypts a binary OpenPGP message with the secret key in {@code seckey.txt}. */
    static byte[] decrypt(byte[] message, Path seckey) throws Exception {
        PGPSecretKeyRing ring = OpenPgpKeys.readSecretRing(Files.readAllBytes(seckey));
        PGPObjectFactory factory = new PGPObjectFactory(message, new BcKeyFingerprintCalculator());
        Object first = factory.nextObject();
        PGPEncryptedDataList list = (PGPEncryptedDataList) first;
        Iterator<?> it = list.getEncryptedDataObjects();
        while (it.hasNext()) {
            PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) it.next();
            if (ring.getSecretKey(data.getKeyID()) == null) {
                continue;
            }
            PGPPrivateKey key = ring.getSecretKey(data.getKeyID()).extractPrivateKey(
                    new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0]));
            try (InputStream clear = data.getDataStream(new BcPublicKeyDataDecryptorFactory(key))) {
                PGPObjectFactory inner = new PGPObjectFactory(clear, new BcKeyFingerprintCalculator());
                Object o = inner.nextObject();
                while (o != null) {
                    if (o instanceof PGPCompressedData c) {
                        inner = new PGPObjectFactory(c.getDataStream(), new BcKeyFingerprintCalculator());
                    } else if (o instanceof PGPLiteralData l) {
                        byte[] plain = l.getDataStream().readAllBytes();
                        inner.nextObject(); // signature list, if any
                        if (!data.verify()) {
                            throw new IOException("integrity check failed");
                        }
                        return plain;
                    } else if (!(o instanceof PGPOnePassSignatureList)) {
                        throw new IOException("unexpected packet " + o);
                    }
                    o = inner.nextObject();
                }
            }
        }
        throw new IOException("no literal data, or not encrypted to this key");
    }

    static InputStream stream(byte[] b) {
        return new ByteArrayInputStream(b);
    }
}
