package org.mandos.sample.checker.ssh;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.util.Optional;
import org.apache.sshd.common.util.security.AbstractSecurityProviderRegistrar;
import org.apache.sshd.common.util.security.SecurityProviderRegistrar;
import org.apache.sshd.common.util.security.eddsa.generic.EdDSASupport;

/**
 * Tells MINA SSHD that Ed25519 is available ({@link JdkEdDSASupport}). It offers no JCA algorithms of its
 * own (the JDK's providers are used as usual) and never registers a provider with
 * {@link java.security.Security}: nothing in the JVM outside this bundle changes.
 */
final class JdkEdDSARegistrar extends AbstractSecurityProviderRegistrar {

    /** Not {@code EdDSA}: MINA SSHD takes a registrar of that name for net.i2p. */
    static final String NAME = "MandosJdkEd25519";

    private final EdDSASupport<?, ?> support = new JdkEdDSASupport();

    JdkEdDSARegistrar() {
        super(NAME);
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public boolean isSupported() {
        try {
            KeyFactory.getInstance(JdkEdDSASupport.ALGORITHM);
            java.security.Signature.getInstance(JdkEdDSASupport.ALGORITHM);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public boolean isNamedProviderUsed() {
        return false;
    }

    @Override
    public Provider getSecurityProvider() {
        try {
            return KeyFactory.getInstance(JdkEdDSASupport.ALGORITHM).getProvider();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no Ed25519 in this JDK", e);
        }
    }

    @Override
    public String getDefaultSecurityEntitySupportValue(Class<?> entityType) {
        return SecurityProviderRegistrar.NO_OPTIONS_VALUE;
    }

    @Override
    public Optional<EdDSASupport<?, ?>> getEdDSASupport() {
        return Optional.of(support);
    }
}
