package org.mandos.sample.store.directory;

import java.util.Arrays;

/**
 * Base64 decoding as lenient as Python's {@code binascii.a2b_base64} (non-strict), which the reference
 * server uses for {@code secret}: every character outside the alphabet is skipped; {@code =} counts as
 * padding only in the third or fourth place of a group of four, and once padding completes a group the
 * rest is ignored; what remains must form complete groups.
 */
final class LenientBase64 {

    /** The reason, without any of the input. */
    static final class Base64Exception extends Exception {
        private static final long serialVersionUID = 1L;

        Base64Exception(String message) {
            super(message);
        }
    }

    private LenientBase64() {
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == '/') {
            return 63;
        }
        return -1;
    }

    /** The decoded bytes; the working buffer is overwritten before returning. */
    static byte[] decode(CharSequence text) throws Base64Exception {
        byte[] out = new byte[text.length() / 4 * 3 + 3];
        try {
            int n = decode(text, out);
            return Arrays.copyOf(out, n);
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    private static int decode(CharSequence text, byte[] out) throws Base64Exception {
        int n = 0;
        int position = 0; // place in the current group of four
        int bits = 0;     // the bits of the group not yet written
        int pads = 0;
        long dataCharacters = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=') {
                if (position >= 2 && position + ++pads >= 4) {
                    return n;
                }
                continue;
            }
            int v = value(c);
            if (v < 0) {
                continue;
            }
            pads = 0;
            dataCharacters++;
            switch (position) {
                case 0 -> bits = v;
                case 1 -> {
                    out[n++] = (byte) ((bits << 2) | (v >> 4));
                    bits = v & 0x0f;
                }
                case 2 -> {
                    out[n++] = (byte) ((bits << 4) | (v >> 2));
                    bits = v & 0x03;
                }
                default -> {
                    out[n++] = (byte) ((bits << 6) | v);
                    bits = 0;
                }
            }
            position = (position + 1) % 4;
        }
        if (position == 1) {
            throw new Base64Exception("the number of data characters (" + dataCharacters
                    + ") cannot be 1 more than a multiple of 4");
        }
        if (position != 0) {
            throw new Base64Exception("incorrect padding");
        }
        return n;
    }
}
