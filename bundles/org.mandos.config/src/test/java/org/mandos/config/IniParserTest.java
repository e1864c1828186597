package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** §2.1: the file dialect of Python's {@code ConfigParser(strict=True)}, without interpolation. */
class IniParserTest {

    private static final Path FILE = Path.of("/etc/mandos/test.conf");

    private static IniDocument parse(String text) throws ConfigException {
        return IniParser.parse(FILE, text);
    }

    private static String raw(String text, String section, String option) throws ConfigException {
        return parse(text).options(section).get(option).value();
    }

    private static String error(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
    }

    @Nested
    class Sections {

        @Test
        void sectionNamesMayContainSpacesAndClosingBrackets() throws ConfigException {
            IniDocument doc = parse("[my host]\nx = 1\n[a]b]\ny = 2\n");
            assertEquals(List.of("my host", "a]b"), doc.sectionNames());
        }

        @Test
        void theNameEndsAtTheLastClosingBracketAndTextAfterItIsIgnored() throws ConfigException {
            assertEquals(List.of("a"), parse("[a] trailing words\nx = 1\n").sectionNames());
            assertEquals(List.of("]"), parse("[]]\nx = 1\n").sectionNames());
        }

        @Test
        void emptyBracketsAreNotAHeader() {
            assertEquals("/etc/mandos/test.conf:1: text outside any section: a [section] header must come first",
                    error("[]\nx = 1\n"));
        }

        @Test
        void headerLinesMayBeIndentedWhenNoOptionIsOpen() throws ConfigException {
            assertEquals(List.of("a"), parse("  [a]\nx = 1\n").sectionNames());
        }

        @Test
        void sectionNamesAreCaseSensitive() throws ConfigException {
            IniDocument doc = parse("[Host]\nx = 1\n[host]\nx = 2\n");
            assertEquals(List.of("Host", "host"), doc.sectionNames());
        }

        @Test
        void lowerCaseDefaultIsAnOrdinarySection() throws ConfigException {
            IniDocument doc = parse("[default]\nx = 1\n[DEFAULT]\ny = 2\n");
            assertEquals(List.of("default"), doc.sectionNames());
            assertTrue(doc.hasSection("default"));
            assertFalse(doc.hasSection("DEFAULT"));
        }

        @Test
        void sectionsKeepFileOrder() throws ConfigException {
            assertEquals(List.of("c", "a", "b"), parse("[c]\n[a]\n[b]\n").sectionNames());
        }

        @Test
        void aDuplicateSectionIsAnError() {
            assertEquals("/etc/mandos/test.conf:4: [a] duplicate section (first defined on line 1)",
                    error("[a]\nx = 1\n[b]\n[a]\ny = 2\n"));
        }

        @Test
        void defaultMayAppearTwiceAndItsOptionsMerge() throws ConfigException {
            IniDocument doc = parse("[DEFAULT]\nx = 1\n[a]\n[DEFAULT]\ny = 2\n");
            assertEquals(List.of("x", "y"), List.copyOf(doc.options("DEFAULT").keySet()));
        }

        @Test
        void theSameOptionInTwoDefaultHeadersIsADuplicate() {
            assertEquals("/etc/mandos/test.conf:4: [DEFAULT] x: duplicate option (first set on line 2)",
                    error("[DEFAULT]\nx = 1\n[DEFAULT]\nx = 2\n"));
        }

        @Test
        void anOptionBeforeAnySectionIsAnError() {
            assertEquals("/etc/mandos/test.conf:2: host: option outside any section:"
                    + " a [section] header must come first", error("# comment\nHost = x\n[a]\n"));
        }

        @Test
        void otherTextBeforeAnySectionIsAnError() {
            assertEquals("/etc/mandos/test.conf:1: text outside any section: a [section] header must come first",
                    error("hello\n[a]\n"));
        }

        @Test
        void aByteOrderMarkIsRejectedWithAClearMessage() {
            assertEquals("/etc/mandos/test.conf:1: the file starts with a byte order mark (U+FEFF):"
                    + " save it as UTF-8 without one", error("\uFEFF[a]\nx = 1\n"));
        }

        @Test
        void headerLinesAreRecorded() throws ConfigException {
            IniDocument doc = parse("\n# c\n[a]\nx = 1\n");
            assertEquals(3, doc.section("a", Map.of()).headerLine());
        }
    }

    @Nested
    class Assignments {

        @Test
        void equalsAndColonBothAssign() throws ConfigException {
            IniDocument doc = parse("[a]\nx = 1\ny: 2\nz:3\n");
            assertEquals("1", doc.options("a").get("x").value());
            assertEquals("2", doc.options("a").get("y").value());
            assertEquals("3", doc.options("a").get("z").value());
        }

        @Test
        void theFirstDelimiterSplits() throws ConfigException {
            assertEquals("a = b", raw("[s]\nx : a = b\n", "s", "x"));
            assertEquals("a : b", raw("[s]\nx = a : b\n", "s", "x"));
            assertEquals("http://h:1/", raw("[s]\nurl = http://h:1/\n", "s", "url"));
        }

        @Test
        void keysAndValuesAreStrippedAndKeysLowerCased() throws ConfigException {
            IniDocument doc = parse("[s]\n  HOST   =   my host  \t\n");
            assertEquals("my host", doc.options("s").get("host").value());
            assertEquals("host", doc.options("s").get("host").name());
        }

        @Test
        void anEmptyValueIsAllowed() throws ConfigException {
            assertEquals("", raw("[s]\nx =\n", "s", "x"));
        }

        @Test
        void aLineWithoutDelimiterIsAnError() {
            assertEquals("/etc/mandos/test.conf:3: [s] expected \"name = value\", a [section] header or a comment",
                    error("[s]\nx = 1\nnonsense\n"));
        }

        @Test
        void anEmptyOptionNameIsAnError() {
            assertEquals("/etc/mandos/test.conf:2: [s] option name missing before \"=\"", error("[s]\n = 1\n"));
        }

        @Test
        void aDuplicateOptionInOneSectionIsAnErrorEvenInAnotherCase() {
            assertEquals("/etc/mandos/test.conf:3: [s] host: duplicate option (first set on line 2)",
                    error("[s]\nhost = a\nHOST = b\n"));
        }

        @Test
        void theSameOptionInDifferentSectionsIsFine() throws ConfigException {
            IniDocument doc = parse("[a]\nx = 1\n[b]\nx = 2\n");
            assertEquals("2", doc.options("b").get("x").value());
        }

        @Test
        void optionLinesAreRecorded() throws ConfigException {
            assertEquals(4, parse("[a]\n\n# c\nx = 1\n").options("a").get("x").line());
        }

        @Test
        void pythonWhitespaceIsStrippedIncludingNoBreakSpaceAndFileSeparators() throws ConfigException {
            assertEquals("z", raw("[a]\n\u000bx = z\u001c\u00a0\n", "a", "x"));
        }
    }

    @Nested
    class Comments {

        @Test
        void wholeLineCommentsStartWithHashOrSemicolon() throws ConfigException {
            IniDocument doc = parse("# one\n; two\n[a]\n# three\nx = 1\n; four\n");
            assertEquals(Map.of("x", "1"), Map.of("x", doc.options("a").get("x").value()));
            assertEquals(1, doc.options("a").size());
        }

        @Test
        void indentedLinesStartingWithHashOrSemicolonAreComments() throws ConfigException {
            assertEquals("1\nmore", raw("[a]\nx = 1\n    # not a value line\n  ; nor this\n  more\n", "a", "x"));
        }

        @Test
        void thereAreNoInlineComments() throws ConfigException {
            assertEquals("1 # c", raw("[a]\nx = 1 # c\n", "a", "x"));
            assertEquals("1 ; c", raw("[a]\nx = 1 ; c\n", "a", "x"));
        }

        @Test
        void aCommentAtColumnZeroDoesNotEndAValue() throws ConfigException {
            assertEquals("1\nmore", raw("[a]\nx = 1\n# comment\n  more\n", "a", "x"));
        }
    }

    @Nested
    class Continuations {

        @Test
        void aDeeperIndentedLineContinuesTheValueAfterANewline() throws ConfigException {
            assertEquals("\nl1\nl2", raw("[a]\nx =\n\tl1\n    l2\n", "a", "x"));
        }

        @Test
        void blankLinesInsideAValueAreKeptAndTrailingOnesDropped() throws ConfigException {
            assertEquals("1\n\nmore", raw("[a]\nx = 1\n\n  more\n\n\n", "a", "x"));
        }

        @Test
        void aBlankLineFollowedByAnUnindentedLineEndsTheValue() throws ConfigException {
            IniDocument doc = parse("[a]\nx = 1\n\ny = 2\n");
            assertEquals("1", doc.options("a").get("x").value());
            assertEquals("2", doc.options("a").get("y").value());
        }

        @Test
        void indentationIsRelativeToTheOptionLine() throws ConfigException {
            IniDocument doc = parse("[a]\n  x = 1\n  y = 2\n   more\n");
            assertEquals("1", doc.options("a").get("x").value());
            assertEquals("2\nmore", doc.options("a").get("y").value());
        }

        @Test
        void aTabCountsAsOneCharacterOfIndentation() throws ConfigException {
            IniDocument doc = parse("[a]\n x = 1\n\ty = 2\n");
            assertEquals("1", doc.options("a").get("x").value());
            assertEquals("2", doc.options("a").get("y").value());
        }

        @Test
        void anIndentedBracketLineInsideAValueIsPartOfTheValue() throws ConfigException {
            IniDocument doc = parse("[a]\nx = 1\n  [b]\n");
            assertEquals("1\n[b]", doc.options("a").get("x").value());
            assertEquals(List.of("a"), doc.sectionNames());
        }

        @Test
        void aSectionHeaderCannotBeContinued() {
            assertEquals("/etc/mandos/test.conf:2: [a] expected \"name = value\", a [section] header or a comment",
                    error("[a]\n  more\n"));
        }

        @Test
        void carriageReturnsEndLinesLikeNewlines() throws ConfigException {
            IniDocument doc = parse("[a]\r\nx = 1\r  more\r\ny:2\rz=3");
            assertEquals("1\nmore", doc.options("a").get("x").value());
            assertEquals("2", doc.options("a").get("y").value());
            assertEquals("3", doc.options("a").get("z").value());
            assertEquals(5, doc.options("a").get("z").line());
        }

        @Test
        void everyKindOfLineEndCountsOneLineAndATrailingOneEndsTheLastLine() throws ConfigException {
            IniDocument doc = parse("[a]\r\r\n\n\rx = 1\n\r\ny = 2\r\n");
            assertEquals(5, doc.options("a").get("x").line());
            assertEquals(7, doc.options("a").get("y").line());
            assertEquals("/etc/mandos/test.conf:4: [a] expected \"name = value\", a [section] header or a comment",
                    error("[a]\r\r\n\nno delimiter\r\n"));
        }
    }

    /** Found by ClientsFileFuzzTest: a form feed in a section name went into the message as it was. */
    @Test
    void controlCharactersInANameAreEscapedSoTheMessageStaysOneLine() {
        assertEquals("/etc/mandos/test.conf:2: [a\\u000cb] expected \"name = value\", a [section] header or a comment",
                error("[a\fb]\nno delimiter\n"));
        assertEquals("/etc/mandos/test.conf:3: [x\\u2028y] duplicate section (first defined on line 1)",
                error("[x\u2028y]\n\n[x\u2028y]\n"));
        assertEquals("/etc/mandos/test.conf:3: [s] k\\u001b[2j: duplicate option (first set on line 2)",
                error("[s]\nk\u001b[2J = 1\nk\u001b[2J = 2\n"));
    }
}
