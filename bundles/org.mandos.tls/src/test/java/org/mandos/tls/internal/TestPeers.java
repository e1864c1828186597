package org.mandos.tls.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.Set;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mandos.tls.TlsPolicy;
import org.mandos.tls.internal.priority.PriorityParser;

/** Peers that misbehave in specific ways, built from Bouncy Castle directly, for rejection tests. */
public final class TestPeers {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Tls13Parameters DEFAULTS = PriorityParser.parse(TlsPolicy.DEFAULT_PRIORITY);

    private TestPeers() {
    }

    /**
     * A TLS server with an Ed25519 X.509 certificate. With {@code ignoreCertificateTypes} it behaves like a
     * server that does not know RFC 7250 and sends its X.509 certificate anyway; otherwise it refuses a
     * client that wants only raw public keys, as RFC 7250 says.
     */
    public static Void x509Server(Socket socket, Path certificatePem, Path privateKeyPem,
            boolean ignoreCertificateTypes, ProtocolVersion... versions) throws IOException {
        BcTlsCrypto crypto = new BcTlsCrypto(RANDOM);
        byte[] certificateDer = Pem.first(Files.readString(certificatePem), Set.of("CERTIFICATE")).der();
        AsymmetricKeyParameter privateKey = PrivateKeyFactory.createKey(
                Pem.first(Files.readString(privateKeyPem), Set.of("PRIVATE KEY")).der());
        DefaultTlsServer server = new DefaultTlsServer(crypto) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return versions;
            }

            @Override
            @SuppressWarnings("rawtypes")
            public void processClientExtensions(Hashtable clientExtensions) throws IOException {
                if (ignoreCertificateTypes && clientExtensions != null) {
                    clientExtensions.remove(TlsExtensionsUtils.EXT_server_certificate_type);
                }
                super.processClientExtensions(clientExtensions);
            }

            @Override
            public TlsCredentials getCredentials() throws IOException {
                Certificate certificate = new Certificate(TlsUtils.EMPTY_BYTES, new CertificateEntry[] {
                    new CertificateEntry(crypto.createCertificate(certificateDer), null)});
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey,
                        certificate, SignatureAndHashAlgorithm.ed25519);
            }
        };
        writeProtocolLine(socket);
        TlsServerProtocol protocol = new TlsServerProtocol(socket.getInputStream(), socket.getOutputStream());
        protocol.accept(server);
        return null;
    }

    /**
     * A Mandos client that completes the handshake, reads {@code length} bytes of data, waits until more bytes
     * (the close_notify record) arrive on the socket, and then drops the connection without answering.
     */
    public static byte[] mandosClientDroppingAfterData(Socket socket, KeyPair key, int length) throws IOException {
        writeProtocolLine(socket);
        InputStream raw = socket.getInputStream();
        TlsServerProtocol protocol = new TlsServerProtocol(raw, socket.getOutputStream());
        protocol.accept(new RawKeyServerPeer(new BcTlsCrypto(RANDOM),
                DEFAULTS,
                SigningKey.of(key)));
        byte[] data = new byte[length];
        new DataInputStream(protocol.getInputStream()).readFully(data);
        // Bouncy Castle reads record by record, so the close_notify record is still in the socket.
        if (raw.read() < 0) {
            throw new IOException("expected the close_notify record");
        }
        socket.setSoLinger(true, 0);
        socket.close();
        return data;
    }

    /** A Mandos server that sends {@code data} after the handshake and closes TCP without close_notify. */
    public static Void mandosServerWithoutCloseNotify(Socket socket, byte[] data) throws IOException {
        InputStream in = socket.getInputStream();
        in.readNBytes(3);
        TlsClientProtocol protocol = new TlsClientProtocol(in, socket.getOutputStream());
        protocol.connect(new RawKeyClientPeer(new BcTlsCrypto(RANDOM),
                DEFAULTS));
        protocol.getOutputStream().write(data);
        protocol.getOutputStream().flush();
        socket.shutdownOutput();
        // Wait for the peer to give up, so the FIN is what it sees.
        in.readAllBytes();
        return null;
    }

    /** A TLS client with Bouncy Castle's defaults: it offers X.509 only (no RFC 7250 extension). */
    public static Void plainClient(Socket socket, ProtocolVersion... versions) throws IOException {
        socket.getInputStream().readNBytes(3);
        TlsClientProtocol protocol = new TlsClientProtocol(socket.getInputStream(), socket.getOutputStream());
        protocol.connect(new DefaultTlsClient(new BcTlsCrypto(RANDOM)) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return versions;
            }

            @Override
            public TlsAuthentication getAuthentication() {
                return new TlsAuthentication() {
                    @Override
                    public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                    }

                    @Override
                    public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
                        return null;
                    }
                };
            }
        });
        return null;
    }

    /** Reads the ClientHello record and answers with a TLS 1.2 ServerHello, as a pre-TLS 1.3 server would. */
    public static Void tls12ServerHello(Socket socket) throws IOException {
        writeProtocolLine(socket);
        readRecord(socket.getInputStream());
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        byte[] body = new byte[2 + 32 + 1 + 2 + 1];
        body[0] = 3;
        body[1] = 3;
        System.arraycopy(random, 0, body, 2, 32);
        body[34] = 0; // no session ID
        body[35] = 0x00;
        body[36] = (byte) 0x9E; // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
        body[37] = 0; // null compression
        OutputStream out = socket.getOutputStream();
        int handshakeLength = 4 + body.length;
        out.write(new byte[] {22, 3, 3, 0, (byte) handshakeLength, 2, 0, 0, (byte) body.length});
        out.write(body);
        out.flush();
        socket.getInputStream().readAllBytes(); // until the client gives up
        return null;
    }

    /** Reads the ClientHello record and closes the connection without a word. */
    public static Void closeAfterClientHello(Socket socket) throws IOException {
        writeProtocolLine(socket);
        readRecord(socket.getInputStream());
        socket.close();
        return null;
    }

    private static void writeProtocolLine(Socket socket) throws IOException {
        socket.getOutputStream().write(new byte[] {'1', '\r', '\n'});
        socket.getOutputStream().flush();
    }

    private static void readRecord(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[5];
        data.readFully(header);
        int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
        data.readFully(new byte[length]);
    }
}
