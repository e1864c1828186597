package org.mandos.tls.internal;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/** Whether a private key belongs to a public key, by deriving or comparing the public part. */
public final class KeyPairCheck {

    private KeyPairCheck() {
    }

    public static boolean matches(PublicKey publicKey, PrivateKey privateKey) {
        AsymmetricKeyParameter pub;
        AsymmetricKeyParameter priv;
        try {
            pub = PublicKeyFactory.createKey(publicKey.getEncoded());
            priv = PrivateKeyFactory.createKey(privateKey.getEncoded());
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (pub instanceof Ed25519PublicKeyParameters p && priv instanceof Ed25519PrivateKeyParameters s) {
            return Arrays.equals(p.getEncoded(), s.generatePublicKey().getEncoded());
        }
        if (pub instanceof Ed448PublicKeyParameters p && priv instanceof Ed448PrivateKeyParameters s) {
            return Arrays.equals(p.getEncoded(), s.generatePublicKey().getEncoded());
        }
        if (pub instanceof ECPublicKeyParameters p && priv instanceof ECPrivateKeyParameters s) {
            return p.getParameters().equals(s.getParameters())
                    && s.getParameters().getG().multiply(s.getD()).normalize().equals(p.getQ());
        }
        if (pub instanceof RSAKeyParameters p && priv instanceof RSAKeyParameters s) {
            return p.getModulus().equals(s.getModulus());
        }
        return false;
    }
}
