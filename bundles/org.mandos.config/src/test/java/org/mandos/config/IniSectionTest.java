package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** §2.1: built-in defaults, [DEFAULT] inheritance, and start-time interpolation (BasicInterpolation). */
class IniSectionTest {

    private static final Path FILE = Path.of("/etc/mandos/clients.conf");

    private static IniSection section(String text, String name, Map<String, String> builtIns)
            throws ConfigException {
        return IniParser.parse(FILE, text).section(name, builtIns);
    }

    private static String get(String text, String option) throws ConfigException {
        return section(text, "a", Map.of()).get(option);
    }

    private static String error(String text, String option) {
        return assertThrows(ConfigException.class, () -> get(text, option)).getMessage();
    }

    @Nested
    class Layering {

        private final Map<String, String> builtIns = Map.of("x", "built-in", "y", "built-in", "z", "built-in");

        @Test
        void aSectionOverridesDefaultWhichOverridesTheBuiltInValue() throws ConfigException {
            IniSection a = section("[DEFAULT]\nx = default\ny = default\n[a]\nx = own\n", "a", builtIns);
            assertEquals("own", a.get("x"));
            assertEquals("default", a.get("y"));
            assertEquals("built-in", a.get("z"));
        }

        @Test
        void theDefaultSectionItselfSeesBuiltInsUnderItsOwnValues() throws ConfigException {
            IniSection d = section("[DEFAULT]\nx = default\n", "DEFAULT", builtIns);
            assertEquals("default", d.get("x"));
            assertEquals("built-in", d.get("y"));
        }

        @Test
        void aFileWithoutDefaultStillHasTheBuiltIns() throws ConfigException {
            IniSection d = section("[a]\n", "DEFAULT", builtIns);
            assertEquals("built-in", d.get("x"));
            assertEquals(0, d.headerLine());
        }

        @Test
        void optionNamesFollowPythonItemsOrder() throws ConfigException {
            Map<String, String> ordered = new LinkedHashMap<>();
            ordered.put("b1", "");
            ordered.put("b2", "");
            IniSection a = section("[DEFAULT]\nd1 = x\nb2 = x\n[a]\ns1 = x\nd1 = y\n", "a", ordered);
            assertEquals(List.of("b1", "b2", "d1", "s1"), List.copyOf(a.optionNames()));
        }

        @Test
        void lookupsAreCaseInsensitive() throws ConfigException {
            IniSection a = section("[a]\nHost = h\n", "a", Map.of());
            assertTrue(a.has("HOST"));
            assertEquals("h", a.get("HoSt"));
            assertEquals("h", a.raw("HOST").orElseThrow());
            assertFalse(a.has("port"));
        }

        @Test
        void linesPointAtTheValueInEffectOrElseTheHeader() throws ConfigException {
            IniSection a = section("[DEFAULT]\ny = 1\n[a]\nx = 1\n", "a", builtIns);
            assertEquals(4, a.line("x"));
            assertEquals(2, a.line("y"));
            assertEquals(3, a.line("z"));
        }
    }

    @Nested
    class Interpolation {

        @Test
        void aReferenceIsReplacedByTheReferencedValue() throws ConfigException {
            assertEquals("ping h", get("[a]\nx = ping %(host)s\nhost = h\n", "x"));
        }

        @Test
        void referenceNamesAreLowerCased() throws ConfigException {
            assertEquals("1", get("[a]\nx = %(Y)s\ny = 1\n", "x"));
        }

        @Test
        void referencesSeeDefaultAndBuiltIns() throws ConfigException {
            IniSection a = section("[DEFAULT]\nd = from default\n[a]\nx = %(d)s, %(b)s\n", "a", Map.of("b", "built-in"));
            assertEquals("from default, built-in", a.get("x"));
        }

        @Test
        void anInheritedValueIsInterpolatedInTheInheritingSection() throws ConfigException {
            IniSection a = section("[DEFAULT]\nx = %(y)s\n[a]\ny = mine\n", "a", Map.of());
            assertEquals("mine", a.get("x"));
        }

        @Test
        void doublePercentIsALiteralPercent() throws ConfigException {
            assertEquals("50%", get("[a]\nx = 50%%\n", "x"));
            assertEquals("%(host)s", get("[a]\nx = %%(host)s\n", "x"));
        }

        @Test
        void aReferencedValueIsInterpolatedOnlyIfItHasAPercent() throws ConfigException {
            assertEquals("5%5%", get("[a]\nx = %(y)s%(y)s\ny = 5%%\n", "x"));
            assertEquals("%(host)s", get("[a]\nx = %(y)s\ny = %%(host)s\n", "x"));
        }

        @Test
        void referencesNestTenLevelsDeep() throws ConfigException {
            StringBuilder text = new StringBuilder("[a]\n");
            for (int i = 0; i < 9; i++) {
                text.append("x").append(i).append(" = %(x").append(i + 1).append(")s\n");
            }
            text.append("x9 = end%%\n");
            assertEquals("end%", get(text.toString(), "x0"));
        }

        @Test
        void anEleventhLevelIsAnError() {
            StringBuilder text = new StringBuilder("[a]\n");
            for (int i = 0; i < 10; i++) {
                text.append("x").append(i).append(" = %(x").append(i + 1).append(")s\n");
            }
            text.append("x10 = end%%\n");
            assertEquals("/etc/mandos/clients.conf:2: [a] x0: interpolation nested more than 10 levels deep"
                    + " (a reference loop?)", error(text.toString(), "x0"));
        }

        @Test
        void aReferenceLoopIsAnError() {
            assertEquals("/etc/mandos/clients.conf:2: [a] x: interpolation nested more than 10 levels deep"
                    + " (a reference loop?)", error("[a]\nx = %(y)s\ny = %(x)s\n", "x"));
        }

        @Test
        void aLonePercentIsAnError() {
            assertEquals("/etc/mandos/clients.conf:2: [a] x: \"%\" must be followed by \"%\" or \"(\":"
                    + " write \"%%\" for a literal \"%\"", error("[a]\nx = 50%\n", "x"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"%(x)d", "%(x)", "%()s", "%(x"})
        void onlyTheConversionSIsAllowed(String value) {
            assertEquals("/etc/mandos/clients.conf:2: [a] v: bad interpolation reference: write \"%(name)s\"",
                    error("[a]\nv = " + value + "\nx = 1\n", "v"));
        }

        @Test
        void aReferenceToAMissingOptionIsAnError() {
            assertEquals("/etc/mandos/clients.conf:2: [a] x: interpolation refers to unknown option \"nosuch\"",
                    error("[a]\nx = %(nosuch)s\n", "x"));
        }

        @Test
        void aBadPercentInAReferencedValueNamesThatOption() {
            assertEquals("/etc/mandos/clients.conf:2: [a] x: \"%\" must be followed by \"%\" or \"(\":"
                    + " write \"%%\" for a literal \"%\" (in the value of option \"y\")",
                    error("[a]\nx = %(y)s\ny = 5%\n", "x"));
        }

        @Test
        void anErrorInAnInheritedValueSaysSo() {
            assertEquals("/etc/mandos/clients.conf:2: [a] x: interpolation refers to unknown option \"y\""
                    + " (value inherited from [DEFAULT])", error("[DEFAULT]\nx = %(y)s\n[a]\n", "x"));
        }

        @Test
        void errorsAboutTheSecretNeverQuoteAnythingFromIt() {
            String message = error("[a]\nsecret = c2VjcmV0%(c2VjcmV0)s\n", "secret");
            assertEquals("/etc/mandos/clients.conf:2: [a] secret: interpolation refers to an unknown option", message);
        }

        @Test
        void getAllInterpolatesEveryOptionAndFailsOnTheFirstBadOne() throws ConfigException {
            IniSection a = section("[a]\nok = 1\nunknown_option = 50%\n", "a", Map.of());
            ConfigException e = assertThrows(ConfigException.class, a::getAll);
            assertEquals("unknown_option", e.option());
            assertEquals(3, e.line());
        }

        @Test
        void rawValuesAreNotInterpolated() throws ConfigException {
            IniSection a = section("[a]\nx = 50%\n", "a", Map.of());
            assertEquals("50%", a.raw("x").orElseThrow());
        }
    }

    @Nested
    class TypedValues {

        @ParameterizedTest
        @ValueSource(strings = {"1", "yes", "true", "on", "YES", "True", "oN"})
        void trueWords(String word) throws ConfigException {
            assertTrue(section("[a]\nb = " + word + "\n", "a", Map.of()).getBoolean("b"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "no", "false", "off", "NO", "False", "OFF"})
        void falseWords(String word) throws ConfigException {
            assertFalse(section("[a]\nb = " + word + "\n", "a", Map.of()).getBoolean("b"));
        }

        @Test
        void anythingElseIsNotABoolean() {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> section("[a]\nb = maybe\n", "a", Map.of()).getBoolean("b"));
            assertEquals("/etc/mandos/clients.conf:2: [a] b: not a boolean: \"maybe\""
                    + " (expected 1, yes, true, on, 0, no, false or off)", e.getMessage());
        }

        @Test
        void booleansAreInterpolated() throws ConfigException {
            assertTrue(section("[a]\nb = %(c)s\nc = yes\n", "a", Map.of()).getBoolean("b"));
        }

        @Test
        void integersFollowPythonInt() throws ConfigException {
            assertEquals(1000, section("[a]\ni = +1_000\n", "a", Map.of()).getInt("i"));
            assertEquals(-5, section("[a]\ni = -5\n", "a", Map.of()).getInt("i"));
        }

        @Test
        void aBadIntegerIsAnError() {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> section("[a]\ni = 12a\n", "a", Map.of()).getInt("i"));
            assertEquals("/etc/mandos/clients.conf:2: [a] i: not an integer: \"12a\"", e.getMessage());
        }

        @Test
        void anIntegerBeyondJavaIntIsAnError() {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> section("[a]\ni = 2147483648\n", "a", Map.of()).getInt("i"));
            assertEquals("/etc/mandos/clients.conf:2: [a] i: integer out of range: \"2147483648\"", e.getMessage());
        }
    }
}
