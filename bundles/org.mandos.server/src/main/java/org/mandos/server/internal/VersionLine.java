package org.mandos.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The protocol version line a client sends before the TLS handshake ({@code "1\r\n"} from the real
 * client). Accepts what the reference accepts — the first whitespace-separated token, read as a Python
 * {@code int()}, is at most 1 — but reads at most {@link #MAX_LENGTH} bytes and never past the newline,
 * so the TLS bytes that follow stay unread.
 */
final class VersionLine {

    /** The longest line accepted, newline included. */
    static final int MAX_LENGTH = 64;

    /** Why a version line was refused; the message is the one-line reason for the log. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    private VersionLine() {
    }

    /** Reads the line and returns the version it names, or throws {@link Rejected}. */
    static int read(InputStream in) throws IOException, Rejected {
        return parse(readLine(in));
    }

    static byte[] readLine(InputStream in) throws IOException, Rejected {
        Accumulator line = new Accumulator();
        byte[] one = new byte[1];
        while (!line.complete()) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            one[0] = (byte) b;
            line.take(one, 0, 1);
        }
        return line.line();
    }

    /**
     * Collects the line from bytes as they arrive: up to and including the newline, at most
     * {@link #MAX_LENGTH} bytes. At the end of the stream, what came so far is the line.
     */
    static final class Accumulator {

        private final byte[] buffer = new byte[MAX_LENGTH];
        private int length;
        private boolean complete;

        /**
         * Takes bytes up to and including the newline.
         *
         * @return how many of the {@code count} bytes were taken; the rest follow the line
         * @throws Rejected if the line is longer than {@link #MAX_LENGTH} bytes
         */
        int take(byte[] data, int offset, int count) throws Rejected {
            int taken = 0;
            while (taken < count && !complete) {
                byte b = data[offset + taken++];
                buffer[length++] = b;
                if (b == '\n') {
                    complete = true;
                } else if (length == MAX_LENGTH) {
                    throw new Rejected("protocol version line longer than " + MAX_LENGTH + " bytes");
                }
            }
            return taken;
        }

        /** Whether the newline has arrived. */
        boolean complete() {
            return complete;
        }

        /** The bytes so far, newline included if it came. */
        byte[] line() {
            return java.util.Arrays.copyOf(buffer, length);
        }
    }

    static int parse(byte[] line) throws Rejected {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            throw new Rejected("protocol version line is not valid UTF-8");
        }
        String token = firstToken(text);
        if (token == null) {
            throw new Rejected("empty protocol version line");
        }
        int version = pythonInt(token);
        if (version > 1) {
            throw new Rejected("unknown protocol version: " + token);
        }
        return version;
    }

    /** Python's {@code str.split()[0]}: split on Unicode white space, or null when there is no token. */
    private static String firstToken(String text) {
        int start = 0;
        while (start < text.length() && isPythonSpace(text.charAt(start))) {
            start++;
        }
        if (start == text.length()) {
            return null;
        }
        int end = start;
        while (end < text.length() && !isPythonSpace(text.charAt(end))) {
            end++;
        }
        return text.substring(start, end);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || (c >= 0x1c && c <= 0x1f) || c == 0x85;
    }

    /**
     * Python's {@code int(token)}: optional sign, decimal digits of any script, single underscores
     * between digits. Values too large for an int are simply "unknown versions".
     */
    static int pythonInt(String token) throws Rejected {
        int i = 0;
        boolean negative = false;
        if (token.startsWith("+") || token.startsWith("-")) {
            negative = token.charAt(0) == '-';
            i = 1;
        }
        long value = 0;
        boolean sawDigit = false;
        boolean lastWasUnderscore = false;
        for (; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '_') {
                if (!sawDigit || lastWasUnderscore) {
                    throw invalidLiteral(token);
                }
                lastWasUnderscore = true;
                continue;
            }
            int digit = Character.digit(c, 10);
            if (digit < 0 || !Character.isDigit(c)) {
                throw invalidLiteral(token);
            }
            value = Math.min(value * 10 + digit, Integer.MAX_VALUE);
            sawDigit = true;
            lastWasUnderscore = false;
        }
        if (!sawDigit || lastWasUnderscore) {
            throw invalidLiteral(token);
        }
        return (int) (negative ? -value : value);
    }

    private static Rejected invalidLiteral(String token) {
        String shown = token.length() > 20 ? printable(token.substring(0, 20)) + "..." : printable(token);
        return new Rejected("unknown protocol version: invalid literal for int() with base 10: '" + shown + "'");
    }

    /**
     * The token as Python's {@code repr()} shows it: a backslash doubled, and every character Python
     * does not print (controls, format characters, separators, unassigned and private-use code points,
     * lone surrogates) as a hexadecimal escape (backslash, x or u, hex digits), so that the peer's bytes
     * cannot put control sequences or line breaks into the log.
     */
    private static String printable(String token) {
        StringBuilder out = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                        Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                        Character.SPACE_SEPARATOR ->
                    out.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                default -> out.append(c == '\\' ? "\\\\" : String.valueOf(c));
            }
        }
        return out.toString();
    }
}
