package org.mandos.config.internal;

import java.math.BigInteger;

/**
 * Python's {@code int(text)} for base 10: surrounding whitespace, an optional sign, Unicode
 * decimal digits, and single underscores between digits ({@code "1_000"}).
 */
public final class PythonInt {

    private PythonInt() {
    }

    /**
     * Parses like Python's {@code int(text)}.
     *
     * @throws NumberFormatException where Python raises {@code ValueError}
     */
    public static BigInteger parse(String text) {
        String s = PythonText.strip(text);
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        StringBuilder digits = new StringBuilder();
        boolean previousWasDigit = false;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '_' && previousWasDigit && i < s.length()) {
                previousWasDigit = false;
                continue;
            }
            int digit = Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER ? Character.digit(cp, 10) : -1;
            if (digit < 0) {
                throw new NumberFormatException("invalid literal for int(): " + text);
            }
            digits.append((char) ('0' + digit));
            previousWasDigit = true;
        }
        if (!previousWasDigit) {
            throw new NumberFormatException("invalid literal for int(): " + text);
        }
        BigInteger value = new BigInteger(digits.toString());
        return negative ? value.negate() : value;
    }
}
