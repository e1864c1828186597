package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Coverage-guided fuzzing of {@link IniParser#parse} and the interpolation of every section
 * (docs/testing.md, "Fuzzing"). Seeds: {@code src/test/resources/org/mandos/config/IniParserFuzzTestInputs/parse/}.
 */
class IniParserFuzzTest {

    private static final Path FILE = Path.of("/etc/mandos/clients.conf");

    /**
     * Contract: a document or a {@link ConfigException} with a one-line message, nothing else; the
     * same outcome whichever line ends the text uses ({@code \r\n}, {@code \r} or {@code \n}).
     */
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        String outcome = outcome(text);
        String lf = text.replace("\r\n", "\n").replace('\r', '\n');
        assertEquals(outcome, outcome(lf), "the line ends changed the result");
    }

    /** The document, interpolated section by section, or the refusal, as comparable text. */
    private static String outcome(String text) {
        try {
            IniDocument document = IniParser.parse(FILE, text);
            Map<String, Object> all = new LinkedHashMap<>();
            for (String name : document.sectionNames()) {
                all.put(name, document.options(name));
                try {
                    all.put(name + "/interpolated", document.section(name, ClientsFile.BUILT_IN_DEFAULTS).getAll());
                } catch (ConfigException e) {
                    FuzzContracts.assertOneLine(e.getMessage());
                    all.put(name + "/interpolated", "refused: " + e.getMessage());
                }
            }
            return all.toString();
        } catch (ConfigException e) {
            FuzzContracts.assertOneLine(e.getMessage());
            return "refused: " + e.getMessage();
        }
    }
}
