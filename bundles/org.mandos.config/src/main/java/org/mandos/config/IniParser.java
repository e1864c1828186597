package org.mandos.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mandos.config.internal.PythonText;

/**
 * Parses the INI dialect of Python 3's {@code configparser.ConfigParser(strict=True)}, the one the
 * reference server reads its files with.
 *
 * <ul>
 * <li>Lines end at {@code \n}, {@code \r\n} or {@code \r} (Python's universal newlines).</li>
 * <li>{@code [name]}: a section header. The name is everything between the first {@code [} and the
 * last {@code ]} of the stripped line (at least one character; text after the last {@code ]} is
 * ignored) and is case-sensitive. {@code [DEFAULT]} holds values inherited by every section; it
 * may appear more than once.</li>
 * <li>{@code key = value} or {@code key : value}: the first {@code =} or {@code :} splits; key and
 * value are stripped and the key is lower-cased. An option before any header, a line with no
 * delimiter, an empty key, a duplicate section and a duplicate option within a section are
 * errors.</li>
 * <li>A line whose stripped text starts with {@code #} or {@code ;} is a comment, wherever it is;
 * there are no inline comments.</li>
 * <li>A non-blank line indented deeper than the line of the current option continues its value
 * (joined with {@code \n}); blank lines between are kept as empty lines, trailing ones dropped.</li>
 * </ul>
 *
 * <p>A leading byte order mark is an error, as it is for Python (which reads it as text before the
 * first header). The first problem in file order is reported (Python collects some of them and reports them
 * together at the end).
 */
public final class IniParser {

    private final Path file;
    private final Map<String, Integer> headerLines = new LinkedHashMap<>();
    private final Map<String, Map<String, Integer>> optionLines = new HashMap<>();
    private final Map<String, Map<String, List<String>>> values = new LinkedHashMap<>();
    /** The current section's maps in {@link #values} and {@link #optionLines}. */
    private Map<String, List<String>> sectionValues;
    private Map<String, Integer> sectionLines;
    private String section;
    private List<String> currentValue;
    private int indentLevel;

    private IniParser(Path file) {
        this.file = file;
    }

    /**
     * Parses the text of a file.
     *
     * @param file the file the text came from, used in error messages only
     * @param text the whole text of the file
     * @return the sections and their raw options
     * @throws ConfigException at the first line that Python's parser rejects
     */
    public static IniDocument parse(Path file, String text) throws ConfigException {
        IniParser parser = new IniParser(file);
        if (text.startsWith("\uFEFF")) {
            // Python does not skip it either, so the reference server cannot read such a file.
            throw new ConfigException(file, 1, null, null,
                    "the file starts with a byte order mark (U+FEFF): save it as UTF-8 without one");
        }
        // Lines end at \r\n, \r or \n (Python's universal newlines); the text after the last end is a line too.
        // String.indexOf is fast even before the JIT has compiled this method (start-up with 10,000 clients).
        int number = 0;
        int start = 0;
        int nextLf = text.indexOf('\n');
        int nextCr = text.indexOf('\r');
        while (nextLf >= 0 || nextCr >= 0) {
            int end;
            int after;
            if (nextCr >= 0 && (nextLf < 0 || nextCr < nextLf)) {
                end = nextCr;
                after = nextLf == nextCr + 1 ? nextCr + 2 : nextCr + 1;
            } else {
                end = nextLf;
                after = nextLf + 1;
            }
            parser.line(++number, text.substring(start, end));
            start = after;
            if (nextLf >= 0 && nextLf < start) {
                nextLf = text.indexOf('\n', start);
            }
            if (nextCr >= 0 && nextCr < start) {
                nextCr = text.indexOf('\r', start);
            }
        }
        parser.line(++number, text.substring(start));
        return parser.document();
    }

    private void line(int number, String line) throws ConfigException {
        String stripped = PythonText.strip(line);
        if (stripped.startsWith("#") || stripped.startsWith(";")) {
            return;
        }
        if (stripped.isEmpty()) {
            if (currentValue != null) {
                currentValue.add("");
            }
            return;
        }
        int indent = PythonText.leadingSpace(line);
        if (currentValue != null && indent > indentLevel) {
            currentValue.add(stripped);
            return;
        }
        indentLevel = indent;
        // Only a line that starts with '[' is looked at from its end (secret lines are long).
        int close = stripped.startsWith("[") ? stripped.lastIndexOf(']') : -1;
        if (close >= 2) {
            header(number, stripped.substring(1, close));
        } else {
            option(number, stripped);
        }
    }

    private void header(int number, String name) throws ConfigException {
        Integer first = headerLines.get(name);
        if (first != null && !name.equals(IniDocument.DEFAULT_SECTION)) {
            throw new ConfigException(file, number, name, null,
                    "duplicate section (first defined on line " + first + ")");
        }
        headerLines.putIfAbsent(name, number);
        sectionValues = values.computeIfAbsent(name, n -> new LinkedHashMap<>());
        sectionLines = optionLines.computeIfAbsent(name, n -> new HashMap<>());
        section = name;
        currentValue = null;
    }

    private void option(int number, String stripped) throws ConfigException {
        int delimiter = firstDelimiter(stripped);
        if (section == null) {
            boolean looksLikeOption = delimiter > 0 && !PythonText.rstrip(stripped.substring(0, delimiter)).isEmpty();
            throw looksLikeOption
                    ? new ConfigException(file, number, null,
                            PythonText.lower(PythonText.rstrip(stripped.substring(0, delimiter))),
                            "option outside any section: a [section] header must come first")
                    : new ConfigException(file, number, null, null,
                            "text outside any section: a [section] header must come first");
        }
        if (delimiter < 0) {
            throw new ConfigException(file, number, section, null,
                    "expected \"name = value\", a [section] header or a comment");
        }
        String name = PythonText.lower(PythonText.rstrip(stripped.substring(0, delimiter)));
        if (name.isEmpty()) {
            throw new ConfigException(file, number, section, null,
                    "option name missing before \"" + stripped.charAt(delimiter) + "\"");
        }
        Integer first = sectionLines.putIfAbsent(name, number);
        if (first != null) {
            throw new ConfigException(file, number, section, name,
                    "duplicate option (first set on line " + first + ")");
        }
        currentValue = new ArrayList<>();
        currentValue.add(PythonText.strip(stripped.substring(delimiter + 1)));
        sectionValues.put(name, currentValue);
    }

    private static int firstDelimiter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '=' || s.charAt(i) == ':') {
                return i;
            }
        }
        return -1;
    }

    private IniDocument document() {
        Map<String, IniDocument.Section> sections = new LinkedHashMap<>();
        values.forEach((name, options) -> {
            Map<String, IniOption> joined = new LinkedHashMap<>(capacity(options.size()));
            Map<String, Integer> lineNumbers = optionLines.get(name);
            options.forEach((option, lines) -> joined.put(option, new IniOption(option,
                    PythonText.rstrip(lines.size() == 1 ? lines.get(0) : String.join("\n", lines)),
                    lineNumbers.get(option))));
            sections.put(name, new IniDocument.Section(headerLines.get(name), joined));
        });
        return new IniDocument(file, sections);
    }

    /** A hash map capacity that holds {@code entries} without growing. */
    static int capacity(int entries) {
        return entries < 3 ? 4 : (int) (entries / 0.75f) + 1;
    }
}
