package org.mandos.sample.checker.ssh;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Settings of the MINA SSHD copy embedded in this bundle.
 *
 * <p>MINA SSHD keeps its security-provider registry in static fields; the copy in this bundle is private
 * to it, so configuring it affects nothing else in the server. It is configured before its first use
 * and the configuration is the same every time, so doing it again is harmless.
 */
final class SshLibrary {

    private SshLibrary() {
    }

    /**
     * Makes MINA SSHD use only the JDK's cryptography: Ed25519 through {@link JdkEdDSARegistrar}; Bouncy
     * Castle and net.i2p switched off. This must come before any other use of MINA SSHD in this bundle:
     * its first use of cryptography (even loading {@link BuiltinSignatures}) fixes the providers for good,
     * and it would take Bouncy Castle if it saw it, through the thread's context class loader or as a
     * provider registered with {@link java.security.Security} by other code in the JVM (as it is in the
     * Mandos server) - and then fail, since this bundle does not import those classes.
     *
     * @return whether the configuration is in force (false if MINA SSHD had chosen its providers before)
     */
    static synchronized boolean configure() {
        SecurityUtils.setAPrioriDisabledProvider("BC", true);
        SecurityUtils.setAPrioriDisabledProvider("BCFIPS", true);
        SecurityUtils.setAPrioriDisabledProvider("EdDSA", true);
        if (SecurityUtils.getRegisteredProvider(JdkEdDSARegistrar.NAME) == null) {
            SecurityUtils.registerSecurityProvider(new JdkEdDSARegistrar());
        }
        return SecurityUtils.getRegisteredProvider("BC") == null && SecurityUtils.getRegisteredProvider("BCFIPS") == null
                && SecurityUtils.getRegisteredProvider("EdDSA") == null;
    }

    /**
     * The host key algorithms offered, in order of preference, as far as this JVM supports them: OpenSSH's
     * order (Ed25519 first, so that the fingerprint {@code ssh-keyscan -t ed25519} shows is the one the
     * check sees), then ECDSA and RSA with SHA-2. No certificates (a certificate's fingerprint is not the
     * host key's), no SHA-1 {@code ssh-rsa} and no DSA, which OpenSSH no longer accepts either.
     */
    static List<NamedFactory<Signature>> hostKeyAlgorithms() {
        return Stream.of(BuiltinSignatures.ed25519,
                        BuiltinSignatures.nistp256, BuiltinSignatures.nistp384, BuiltinSignatures.nistp521,
                        BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256)
                .filter(BuiltinSignatures::isSupported).<NamedFactory<Signature>>map(f -> f).toList();
    }

    /**
     * Runs {@code action} with this bundle's class loader as the thread's context class loader: MINA SSHD
     * looks classes up through it first, and threads it creates inherit it.
     */
    static <T> T withBundleClassLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SshLibrary.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
