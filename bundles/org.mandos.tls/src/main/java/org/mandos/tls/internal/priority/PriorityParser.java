package org.mandos.tls.internal.priority;

import java.util.List;
import java.util.Optional;
import org.mandos.tls.internal.Tls13Parameters;

/**
 * Reads a GnuTLS priority string ({@code KEYWORD:+ALGO:-ALGO:!ALGO:%FLAG...}) the way GnuTLS 3.7 does, as far
 * as TLS 1.3 with raw public keys is concerned. Every error is an {@link IllegalArgumentException} whose
 * one-line message quotes the offending token and the whole string.
 */
public final class PriorityParser {

    private PriorityParser() {
    }

    public static Tls13Parameters parse(String priority) {
        if (priority == null || priority.isBlank()) {
            throw new IllegalArgumentException("empty priority string");
        }
        String text = priority.strip();
        String[] tokens = text.split(":", -1);
        PriorityState state = new PriorityState();
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.isEmpty()) {
                throw new IllegalArgumentException("empty token (position " + (i + 1) + ") in priority string \""
                        + text + "\"");
            }
            if (i == 0) {
                Optional<SecurityLevel> level = SecurityLevel.named(token);
                if (level.isPresent()) {
                    state.start(level.get());
                    continue;
                }
                if (token.startsWith("@")) {
                    throw new IllegalArgumentException("system-wide priority keyword \"" + token + "\" in priority"
                            + " string \"" + text + "\" is not supported; name a keyword such as SECURE128");
                }
                // Like GnuTLS, a string that does not start with a keyword starts from nothing (NONE).
            }
            apply(state, token, text);
        }
        return state.toParameters(text);
    }

    private static void apply(PriorityState state, String token, String text) {
        char prefix = token.charAt(0);
        String name = token.substring(1);
        switch (prefix) {
            case '%' -> state.set(Flag.named(name).orElseThrow(() -> unsupported(name, text)));
            case '+' -> add(state, name, text);
            case '-', '!' -> remove(state, name, text);
            default -> {
                Optional<SecurityLevel> level = SecurityLevel.named(token);
                if (level.isPresent() && level.get() != SecurityLevel.NONE) {
                    state.appendKeyword(level.get());
                } else if (isKnown(token)) {
                    throw new IllegalArgumentException("token \"" + token + "\" in priority string \"" + text
                            + "\" lacks a \"+\", \"-\" or \"!\" prefix");
                } else {
                    throw unsupported(token, text);
                }
            }
        }
    }

    private static void add(PriorityState state, String name, String text) {
        Optional<SecurityLevel> level = SecurityLevel.named(name);
        if (level.isPresent() && level.get() != SecurityLevel.NONE) {
            state.appendKeyword(level.get());
            return;
        }
        Optional<CertificateTypes.Selector> certificateTypes = CertificateTypes.selector(name);
        if (certificateTypes.isPresent()) {
            state.certificateTypes().add(certificateTypes.get());
            return;
        }
        Optional<Catalog.Collective> collective = Catalog.collective(name);
        if (collective.isPresent()) {
            state.append(collective.get().adds());
            return;
        }
        state.append(List.of(Catalog.algorithm(name).orElseThrow(() -> unsupported(name, text))));
    }

    private static void remove(PriorityState state, String name, String text) {
        if (SecurityLevel.named(name).isPresent()) {
            throw new IllegalArgumentException("keyword \"" + name + "\" in priority string \"" + text
                    + "\" cannot be removed; keywords only start or extend the lists");
        }
        Optional<CertificateTypes.Selector> certificateTypes = CertificateTypes.selector(name);
        if (certificateTypes.isPresent()) {
            state.certificateTypes().remove(certificateTypes.get());
            return;
        }
        Optional<Catalog.Collective> collective = Catalog.collective(name);
        if (collective.isPresent()) {
            state.remove(collective.get().removes());
            return;
        }
        state.remove(List.of(Catalog.algorithm(name).orElseThrow(() -> unsupported(name, text))));
    }

    private static boolean isKnown(String name) {
        return CertificateTypes.selector(name).isPresent() || Catalog.collective(name).isPresent()
                || Catalog.algorithm(name).isPresent();
    }

    private static IllegalArgumentException unsupported(String name, String text) {
        return new IllegalArgumentException("unsupported token \"" + name + "\" in priority string \"" + text + "\"");
    }
}
