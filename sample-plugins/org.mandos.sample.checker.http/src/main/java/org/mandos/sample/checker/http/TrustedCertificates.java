package org.mandos.sample.checker.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads a PEM file of CA certificates ({@code http_ca_file}) into an {@link SSLContext} that trusts
 * exactly those certificates, instead of the JDK's default trust store. Blocks other than
 * {@code CERTIFICATE} are ignored; a file without a certificate is an error.
 */
final class TrustedCertificates {

    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private TrustedCertificates() {
    }

    static List<X509Certificate> read(Path pemFile) throws IOException, GeneralSecurityException {
        String text = Files.readString(pemFile, StandardCharsets.US_ASCII);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                break;
            }
            int end = text.indexOf(END, begin);
            if (end < 0) {
                throw new GeneralSecurityException("a certificate without " + END);
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("certificate " + (certificates.size() + 1) + " is not base64: "
                        + e.getMessage(), e);
            }
            certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            from = end + END.length();
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no " + BEGIN + " block");
        }
        return certificates;
    }

    static SSLContext context(List<X509Certificate> trusted) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < trusted.size(); i++) {
            store.setCertificateEntry("ca-" + i, trusted.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
