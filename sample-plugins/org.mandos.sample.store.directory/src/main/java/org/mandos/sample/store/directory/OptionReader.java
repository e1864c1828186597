package org.mandos.sample.store.directory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the options of one client file: the body of a {@code clients.conf} section without its
 * {@code [name]} header, with the rules of mandos-clients.conf(5), FILE FORMAT: strict UTF-8 without a
 * byte order mark; {@code name = value} or {@code name : value} (first {@code =} or {@code :}), name
 * lower-cased, both stripped; whole-line {@code #} and {@code ;} comments, also between the lines of a
 * value; a line indented deeper than the line that started the current option continues its value
 * (joined with line breaks; trailing blank lines dropped); each option set at most once.
 */
final class OptionReader {

    /** One option as written: lower-cased name, raw value and the 1-based line where it starts. */
    record RawOption(String name, String value, int line) {
    }

    /** Options the server knows; a line setting one of them is never taken for a piece of base64. */
    private static final Set<String> KNOWN = Set.of("key_id", "fingerprint", "secret", "secfile",
            "host", "timeout", "extended_timeout", "interval", "checker", "approval_delay", "approval_duration",
            "approved_by_default", "enabled");

    private OptionReader() {
    }

    /** @return the options in file order, by name */
    static Map<String, RawOption> read(Path file, byte[] bytes) throws ClientFileException {
        String text = decode(file, bytes);
        Map<String, RawOption> options = new LinkedHashMap<>();
        String name = null;   // the option whose value may continue
        int nameLine = 0;
        int nameIndent = 0;
        List<String> value = new ArrayList<>();
        int lineNumber = 0;
        for (String line : lines(text)) {
            lineNumber++;
            String stripped = Text.strip(line);
            if (stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            if (stripped.isEmpty()) {
                if (name != null) {
                    value.add("");
                }
                continue;
            }
            int indent = Text.indent(line);
            if (name != null && indent > nameIndent) {
                value.add(stripped);
                continue;
            }
            if (name != null) {
                put(options, name, value, nameLine);
            }
            if (stripped.startsWith("[") && stripped.lastIndexOf(']') >= 2) {
                throw new ClientFileException(file, lineNumber,
                        "a [section] header is not used here: the file name (NAME.conf) names the client");
            }
            int separator = firstSeparator(stripped);
            if (separator < 0) {
                throw new ClientFileException(file, lineNumber, "expected \"name = value\" or a comment");
            }
            String optionName = Text.strip(stripped.substring(0, separator)).toLowerCase(Locale.ROOT);
            if (optionName.isEmpty()) {
                throw new ClientFileException(file, lineNumber,
                        "option name missing before \"" + stripped.charAt(separator) + "\"");
            }
            if ("secret".equals(name) && looksLikeBase64Line(stripped, separator, optionName)) {
                // An unindented line of a multi-line secret would otherwise become an option named
                // after part of the secret, which could then appear in messages.
                throw new ClientFileException(file, lineNumber,
                        "this line looks like part of the value of \"secret\": indent it to continue that value");
            }
            RawOption first = options.get(optionName);
            if (first != null) {
                throw new ClientFileException(file, lineNumber,
                        optionName + ": duplicate option (first set on line " + first.line() + ")");
            }
            name = optionName;
            nameLine = lineNumber;
            nameIndent = indent;
            value.clear();
            value.add(Text.strip(stripped.substring(separator + 1)));
        }
        if (name != null) {
            put(options, name, value, nameLine);
        }
        return options;
    }

    private static void put(Map<String, RawOption> options, String name, List<String> value, int line) {
        options.putIfAbsent(name, new RawOption(name, Text.rstrip(String.join("\n", value)), line));
    }

    private static int firstSeparator(String s) {
        int equals = s.indexOf('=');
        int colon = s.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }

    /** Base64 characters only, ending in padding ({@code xyz=}, {@code xy==}), and not a known option. */
    private static boolean looksLikeBase64Line(String s, int separator, String optionName) {
        return !KNOWN.contains(optionName) && s.charAt(separator) == '='
                && s.substring(separator).chars().allMatch(c -> c == '=')
                && s.substring(0, separator).chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
                        || c >= '0' && c <= '9' || c == '+' || c == '/');
    }

    /** Lines end with {@code \n}, {@code \r\n} or {@code \r}; a final line break ends the last line. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static String decode(Path file, byte[] bytes) throws ClientFileException {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            throw new ClientFileException(file, 1,
                    "the file starts with a byte order mark (U+FEFF): save it as UTF-8 without one");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new ClientFileException(file, lineAt(bytes, in.position()), "not valid UTF-8 text");
        }
        return out.flip().toString();
    }

    /** The 1-based line that byte {@code offset} is on. */
    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n')) {
                line++;
            }
        }
        return line;
    }
}
