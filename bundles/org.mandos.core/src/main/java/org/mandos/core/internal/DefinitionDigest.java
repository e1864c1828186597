package org.mandos.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.mandos.api.ClientDefinition;

/**
 * A stable digest of a client's identity in its {@link ClientDefinition}: name, key_id, fingerprint and
 * secret. A client an operator removed stays removed until this changes (the machine was enrolled again
 * with a new key or secret); editing its other settings, or a {@code [DEFAULT]}, does not bring it back.
 * SHA-256 over length-prefixed fields: it cannot be turned back into the secret.
 */
final class DefinitionDigest {

    private DefinitionDigest() {
    }

    static String of(ClientDefinition d) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        field(sha, "mandos-client-identity-1");
        field(sha, d.name());
        field(sha, d.keyId());
        field(sha, d.fingerprint());
        field(sha, d.secret());
        return HexFormat.of().withUpperCase().formatHex(sha.digest());
    }

    private static void field(MessageDigest sha, String value) {
        field(sha, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(MessageDigest sha, byte[] value) {
        sha.update(ByteBuffer.allocate(4).putInt(value.length).array());
        sha.update(value);
    }
}
