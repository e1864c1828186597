package org.mandos.tls.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 7468 PEM: finds labelled base64 blocks in text (ignoring anything around them, such as the text dump
 * {@code certtool} writes without {@code --no-text}) and writes them.
 */
public final class Pem {

    /** One decoded block. */
    public record Block(String label, byte[] der) {
    }

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

    private Pem() {
    }

    /**
     * The first block whose label is in {@code accepted}.
     *
     * @throws IllegalArgumentException naming the labels found, if none is accepted or the base64 is bad
     */
    public static Block first(String text, Set<String> accepted) {
        List<String> found = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            String label = matcher.group(1);
            if (accepted.contains(label)) {
                return new Block(label, decode(label, matcher.group(2)));
            }
            found.add(label);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no PEM block found");
        }
        String encrypted = found.stream().anyMatch(l -> l.startsWith("ENCRYPTED"))
                ? " (encrypted keys are not supported)" : "";
        throw new IllegalArgumentException("unsupported PEM type " + found + encrypted + "; expected one of "
                + accepted.stream().sorted().toList());
    }

    public static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] decode(String label, String body) {
        if (body.contains(":")) {
            // RFC 1421 headers, as in "Proc-Type: 4,ENCRYPTED": a password-protected legacy key.
            throw new IllegalArgumentException("PEM block " + label + " has headers (encrypted keys are not"
                    + " supported)");
        }
        try {
            return Base64.getMimeDecoder().decode(body.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed base64 in PEM block " + label);
        }
    }
}
