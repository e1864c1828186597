package org.mandos.state;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the reference state reader {@link ReferenceStateImport#load}, the pickle
 * decoder included (docs/testing.md, "Fuzzing"). Seeds:
 * {@code src/test/resources/org/mandos/state/ReferenceStateImportFuzzTestInputs/load/}; one of them is
 * a pickle whose {@code secret} is the marker below.
 */
class ReferenceStateImportFuzzTest {

    /** The {@code secret} of the marker seed, as the pickle holds it. */
    private static final byte[] SECRET = "MandosSecretMarker".getBytes(StandardCharsets.US_ASCII);

    private static Path dir;
    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        dir = Files.createTempDirectory("mandos-pickle-fuzz");
        file = dir.resolve("clients.pickle");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    /**
     * Contract: the clients or an {@link IOException} with a one-line message, nothing else; the
     * secret never reaches the message (when it is still the value of {@code secret} in the input).
     */
    @FuzzTest(maxDuration = "30s")
    void load(byte[] input) throws IOException {
        Files.write(file, input);
        try {
            ReferenceStateImport.Imported imported = ReferenceStateImport.load(file);
            // Only while the marker is still the secret: the fuzzer also splices it into other fields (a
            // key_id, a name), which the result rightly shows.
            if (secretStillInItsPlace(input)) {
                assertFalse(imported.toString().contains("MandosSecretMarker"), "secret in the result");
            }
        } catch (IOException e) {
            String message = e.getMessage();
            assertTrue(message != null && message.startsWith(file + ": "), () -> "message: " + message);
            for (char c : message.toCharArray()) {
                assertFalse(Character.isISOControl(c) || c == '\u2028' || c == '\u2029',
                        () -> "control character in the message: " + message);
            }
            if (secretStillInItsPlace(input)) {
                assertFalse(message.contains("MandosSecretMarker"), () -> "secret in the message: " + message);
            }
        }
    }

    /** The marker occurs once, shortly after the text {@code secret}. */
    private static boolean secretStillInItsPlace(byte[] input) {
        int at = indexOf(input, SECRET, 0);
        if (at < 0 || indexOf(input, SECRET, at + 1) >= 0) {
            return false;
        }
        int key = indexOf(input, "secret".getBytes(StandardCharsets.US_ASCII), Math.max(0, at - 48));
        return key >= 0 && key < at;
    }

    private static int indexOf(byte[] a, byte[] b, int from) {
        outer:
        for (int i = from; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
