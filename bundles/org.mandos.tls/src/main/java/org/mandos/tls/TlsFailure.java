package org.mandos.tls;

import java.util.Objects;

/**
 * A Mandos TLS exchange that did not complete. The message is one line, names the cause and never contains
 * secret data; {@link #kind()} tells callers what happened without parsing it.
 */
public final class TlsFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /**
         * The peer would not do TLS 1.3 with a raw public key: it refused our hello, or answered with an older
         * protocol version. An OpenPGP-only mandos-client (before 1.8.0) does this.
         */
        NO_RAW_PUBLIC_KEY,
        /** The peer presented a certificate that is not a raw public key, e.g. an X.509 certificate. */
        WRONG_CERTIFICATE_TYPE,
        /**
         * Any other TLS failure: a bad signature, no common parameters, an unexpected message, a fatal alert
         * from the peer.
         */
        PROTOCOL,
        /** The transport failed or ended: end of stream, reset, time-out, or the socket closed by the caller. */
        CONNECTION,
        /**
         * Received data ended without close_notify, so it may be truncated and was discarded (the reference
         * mandos-client treats this as a failed attempt too).
         */
        TRUNCATED,
        /**
         * All our data and our close_notify were sent, but the peer's close_notify did not arrive. The data
         * was delivered as far as this side can tell.
         */
        CLOSE_INCOMPLETE
    }

    private final Kind kind;

    public TlsFailure(Kind kind, String message) {
        this(kind, message, null);
    }

    public TlsFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
