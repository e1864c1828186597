package org.mandos.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of {@link ServerSettings#parse} ({@code mandos.conf}; docs/testing.md,
 * "Fuzzing"). Seeds: {@code src/test/resources/org/mandos/config/ServerSettingsFuzzTestInputs/parse/}.
 */
class ServerSettingsFuzzTest {

    /** Contract: settings, or a {@link ConfigException} with a one-line message; nothing else. */
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            ServerSettings settings = ServerSettings.parse(Path.of("/etc/mandos/mandos.conf"), text);
            settings.toString();
        } catch (ConfigException e) {
            FuzzContracts.assertOneLine(e.getMessage());
        }
    }
}
