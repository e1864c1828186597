package org.mandos.tls.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.List;
import java.util.Locale;

/** Makes new raw key pairs with the JDK's providers. */
public final class KeyGeneration {

    /** The type names {@link #generate} accepts. */
    public static final List<String> TYPES = List.of("ed25519", "ed448", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521",
            "rsa-2048", "rsa-3072", "rsa-4096");

    private KeyGeneration() {
    }

    public static KeyPair generate(String type, SecureRandom random) {
        String name = type.toLowerCase(Locale.ROOT);
        try {
            return switch (name) {
                case "ed25519" -> edwards(NamedParameterSpec.ED25519, random);
                case "ed448" -> edwards(NamedParameterSpec.ED448, random);
                case "ecdsa-p256" -> ec("secp256r1", random);
                case "ecdsa-p384" -> ec("secp384r1", random);
                case "ecdsa-p521" -> ec("secp521r1", random);
                case "rsa-2048" -> rsa(2048, random);
                case "rsa-3072" -> rsa(3072, random);
                case "rsa-4096" -> rsa(4096, random);
                default -> throw new IllegalArgumentException("unknown key type \"" + type + "\"; use one of " + TYPES);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + name + " keys: " + e.getMessage(), e);
        }
    }

    private static KeyPair edwards(NamedParameterSpec curve, SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(curve.getName());
        generator.initialize(curve, random);
        return generator.generateKeyPair();
    }

    private static KeyPair ec(String curve, SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve), random);
        return generator.generateKeyPair();
    }

    private static KeyPair rsa(int bits, SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits, random);
        return generator.generateKeyPair();
    }
}
