package org.mandos.tls.internal.priority;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());

    @Test
    void bouncyCastleImplementsEveryTls13CodePointTheCatalogueCanSelect() {
        for (Family family : Family.values()) {
            for (Algorithm algorithm : Catalog.everyOf(family, "")) {
                if (!algorithm.usedByTls13() || algorithm.tls13() == Algorithm.ENABLES) {
                    continue;
                }
                int code = algorithm.tls13();
                boolean supported = switch (family) {
                    case CIPHER -> TlsUtils.isSupportedCipherSuite(crypto, code);
                    case GROUP -> crypto.hasNamedGroup(code);
                    case SIGNATURE -> crypto.hasSignatureScheme(code);
                    default -> false;
                };
                assertTrue(supported, algorithm.name() + " is not implemented by BcTlsCrypto");
            }
        }
    }

    @Test
    void everyKeywordListNamesCatalogueEntries() {
        for (SecurityLevel level : SecurityLevel.values()) {
            // Catalog.all throws on unknown names.
            level.versions();
            level.ciphers();
            level.macs();
            level.keyExchanges();
            level.groups();
            level.signatures();
        }
    }
}
