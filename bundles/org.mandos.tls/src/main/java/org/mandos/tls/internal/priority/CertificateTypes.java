package org.mandos.tls.internal.priority;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The certificate types of a priority string, kept separately for the TLS client's certificate
 * ({@code CTYPE-CLI-*}) and the TLS server's ({@code CTYPE-SRV-*}); a plain {@code CTYPE-*} token applies to
 * both. As in GnuTLS, an empty list means "X.509 only".
 */
final class CertificateTypes {

    enum Type { X509, RAWPK, OPENPGP }

    /** A parsed {@code CTYPE-*} name: which lists it touches and which types it names. */
    record Selector(boolean client, boolean server, List<Type> types) {
    }

    private final Set<Type> client = EnumSet.noneOf(Type.class);
    private final Set<Type> server = EnumSet.noneOf(Type.class);

    /** Parses a name such as {@code CTYPE-SRV-RAWPK}; empty if it is not a certificate-type name. */
    static Optional<Selector> selector(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("CTYPE-")) {
            return Optional.empty();
        }
        String rest = upper.substring("CTYPE-".length());
        boolean client = true;
        boolean server = true;
        if (rest.startsWith("CLI-")) {
            server = false;
            rest = rest.substring("CLI-".length());
        } else if (rest.startsWith("SRV-")) {
            client = false;
            rest = rest.substring("SRV-".length());
        }
        List<Type> types = switch (rest) {
            case "X.509", "X509" -> List.of(Type.X509);
            case "RAWPK" -> List.of(Type.RAWPK);
            case "OPENPGP" -> List.of(Type.OPENPGP);
            case "ALL" -> List.of(Type.X509, Type.RAWPK);
            default -> null;
        };
        return types == null ? Optional.empty() : Optional.of(new Selector(client, server, types));
    }

    void add(Selector selector) {
        if (selector.client()) {
            client.addAll(selector.types());
        }
        if (selector.server()) {
            server.addAll(selector.types());
        }
    }

    void remove(Selector selector) {
        if (selector.client()) {
            selector.types().forEach(client::remove);
        }
        if (selector.server()) {
            selector.types().forEach(server::remove);
        }
    }

    /** Whether the TLS server (the Mandos client) may present a raw public key. */
    boolean serverRawPublicKey() {
        return server.contains(Type.RAWPK);
    }

    boolean anyOpenPgp() {
        return client.contains(Type.OPENPGP) || server.contains(Type.OPENPGP);
    }
}
