package org.mandos.tls;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The verified peer of a completed handshake, and what was negotiated with it. Contains no secret; its
 * {@code toString()} is {@link #description()}.
 */
@ProviderType
public interface TlsPeer {

    /** The peer's key ID ({@link KeyIds#of}), 64 upper-case hex digits. */
    String keyId();

    /** A copy of the peer's raw public key, as DER SubjectPublicKeyInfo. */
    byte[] peerSpki();

    /** The protocol version, {@code TLS 1.3}. */
    String protocol();

    /** The negotiated cipher suite by IANA name, e.g. {@code TLS_AES_256_GCM_SHA384}. */
    String cipherSuite();

    /** The negotiated key exchange group by IANA name, e.g. {@code x25519}, {@code secp256r1}. */
    String keyExchangeGroup();

    /** The peer's key type, e.g. {@code Ed25519}, {@code ECDSA P-256}, {@code RSA 4096}. */
    String peerKeyType();

    /** One line for debug logs: protocol, cipher suite, group, key type and key ID. Contains no secret. */
    String description();
}
