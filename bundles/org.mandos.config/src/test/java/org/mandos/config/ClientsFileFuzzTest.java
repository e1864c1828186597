package org.mandos.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of {@link ClientsFile#parse} (docs/testing.md, "Fuzzing"). Seeds:
 * {@code src/test/resources/org/mandos/config/ClientsFileFuzzTestInputs/parse/}.
 */
class ClientsFileFuzzTest {

    /** {@code $S} on a {@code secret} line stands for the marker secret. */
    private static final Pattern SECRET_LINE = Pattern.compile("(?m)^([ \\t]*secret[ \\t]*[=:][ \\t]*)\\$S");

    /**
     * Contract: clients, or a {@link ConfigException} with a one-line message; the marker secret is
     * never in a message, a warning or a client's {@code toString()}.
     */
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        if (text.contains("secfile") && (text.contains("/") || text.contains("~") || text.contains("$"))) {
            return; // would read files outside the empty directory below (for example a FIFO or /dev/zero)
        }
        if (text.contains(FuzzContracts.SECRET_BASE64) || text.contains(FuzzContracts.SECRET_TEXT)) {
            return; // the marker must come from a secret line only
        }
        if (text.toLowerCase(java.util.Locale.ROOT).contains("secret)")) {
            return; // %(secret)s copies the secret into another option, as its writer asked
        }
        String withSecret = SECRET_LINE.matcher(text)
                .replaceAll(r -> Matcher.quoteReplacement(r.group(1) + FuzzContracts.SECRET_BASE64));
        try {
            ClientsFile clients = ClientsFile.parse(Path.of("/nonexistent-mandos-fuzz/clients.conf"), withSecret,
                    Map.of());
            for (String warning : clients.warnings()) {
                FuzzContracts.assertOneLine(warning);
                FuzzContracts.assertNoSecret(warning);
            }
            for (ClientSettings client : clients.clients()) {
                FuzzContracts.assertNoSecret(client.toString());
            }
        } catch (ConfigException e) {
            FuzzContracts.assertOneLine(e.getMessage());
            FuzzContracts.assertNoSecret(e.getMessage());
        }
    }
}
