package org.mandos.config.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Python 3.11's non-strict {@code binascii.a2b_base64}, which the reference server uses for the
 * {@code secret} option. Bytes outside the alphabet (newlines of continuation lines, spaces,
 * UTF-8 bytes) are skipped; an {@code =} counts as padding only from the third character of a
 * quad on, and a complete pad ends the decoding, ignoring whatever follows. A dangling quad is an
 * error. {@link java.util.Base64#getMimeDecoder()} differs in several of these cases.
 */
public final class PythonBase64 {

    private static final int[] ALPHABET = new int[128];

    static {
        Arrays.fill(ALPHABET, -1);
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < chars.length(); i++) {
            ALPHABET[chars.charAt(i)] = i;
        }
    }

    private PythonBase64() {
    }

    /**
     * Decodes the UTF-8 encoding of {@code text}.
     *
     * @throws IllegalArgumentException with Python's reason, which never contains the input
     */
    public static byte[] decode(String text) {
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[input.length / 4 * 3 + 3];
        try {
            int n = 0;
            int quadPos = 0;
            int leftChar = 0;
            int pads = 0;
            for (byte b : input) {
                int ch = b & 0xFF;
                if (ch == '=') {
                    if (quadPos >= 2 && quadPos + ++pads >= 4) {
                        return Arrays.copyOf(out, n);
                    }
                    continue;
                }
                int sextet = ch < 128 ? ALPHABET[ch] : -1;
                if (sextet < 0) {
                    continue;
                }
                pads = 0;
                switch (quadPos) {
                    case 0:
                        leftChar = sextet;
                        quadPos = 1;
                        break;
                    case 1:
                        out[n++] = (byte) ((leftChar << 2) | (sextet >> 4));
                        leftChar = sextet & 0x0F;
                        quadPos = 2;
                        break;
                    case 2:
                        out[n++] = (byte) ((leftChar << 4) | (sextet >> 2));
                        leftChar = sextet & 0x03;
                        quadPos = 3;
                        break;
                    default:
                        out[n++] = (byte) ((leftChar << 6) | sextet);
                        leftChar = 0;
                        quadPos = 0;
                        break;
                }
            }
            if (quadPos == 1) {
                throw new IllegalArgumentException("the number of data characters (" + (n / 3 * 4 + 1)
                        + ") cannot be 1 more than a multiple of 4");
            }
            if (quadPos != 0) {
                throw new IllegalArgumentException("incorrect padding");
            }
            return Arrays.copyOf(out, n);
        } finally {
            // Both hold the secret: leave no copy behind in garbage.
            Arrays.fill(input, (byte) 0);
            Arrays.fill(out, (byte) 0);
        }
    }
}
