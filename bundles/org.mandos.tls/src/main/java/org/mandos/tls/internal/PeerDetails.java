package org.mandos.tls.internal;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.tls.SecurityParameters;
import org.mandos.tls.KeyIds;
import org.mandos.tls.TlsPeer;

/** What a completed handshake established: the verified peer key and the negotiated parameters. */
final class PeerDetails implements TlsPeer {

    private final byte[] peerSpki;
    private final String keyId;
    private final String protocolName;
    private final String cipherSuite;
    private final String keyExchangeGroup;
    private final String peerKeyType;

    PeerDetails(SecurityParameters parameters, byte[] peerSpki, int group) {
        this.peerSpki = peerSpki.clone();
        this.keyId = KeyIds.of(peerSpki);
        this.protocolName = TlsNames.protocol(parameters.getNegotiatedVersion());
        this.cipherSuite = TlsNames.cipherSuite(parameters.getCipherSuite());
        this.keyExchangeGroup = TlsNames.group(group);
        this.peerKeyType = KeyType.describe(SubjectPublicKeyInfo.getInstance(peerSpki));
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public byte[] peerSpki() {
        return peerSpki.clone();
    }

    @Override
    public String protocol() {
        return protocolName;
    }

    @Override
    public String cipherSuite() {
        return cipherSuite;
    }

    @Override
    public String keyExchangeGroup() {
        return keyExchangeGroup;
    }

    @Override
    public String peerKeyType() {
        return peerKeyType;
    }

    @Override
    public String description() {
        return protocolName + ", " + cipherSuite + ", " + keyExchangeGroup + ", " + peerKeyType + " key " + keyId;
    }

    @Override
    public String toString() {
        return "TlsPeer[" + description() + "]";
    }
}
