package org.mandos.tls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JdkDigestTest {

    private static Digest bouncyCastle(int algorithm) {
        return switch (algorithm) {
            case CryptoHashAlgorithm.sha256 -> new SHA256Digest();
            case CryptoHashAlgorithm.sha384 -> new SHA384Digest();
            default -> new SHA512Digest();
        };
    }

    private static byte[] finish(Digest digest) {
        byte[] out = new byte[digest.getDigestSize()];
        assertEquals(out.length, digest.doFinal(out, 0));
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {CryptoHashAlgorithm.sha256, CryptoHashAlgorithm.sha384, CryptoHashAlgorithm.sha512})
    void sameResultsAsBouncyCastlesOwnIncludingCopiesAndHmac(int algorithm) {
        Digest ours = JdkDigest.of(algorithm);
        Digest theirs = bouncyCastle(algorithm);
        assertEquals(theirs.getAlgorithmName(), ours.getAlgorithmName());
        assertEquals(theirs.getDigestSize(), ours.getDigestSize());
        byte[] data = "the transcript so far".getBytes(StandardCharsets.US_ASCII);
        ours.update(data, 0, data.length);
        theirs.update(data, 0, data.length);
        ours.update((byte) 1);
        theirs.update((byte) 1);

        // A copy goes on independently, as the TLS transcript hash is forked.
        JdkDigest fork = (JdkDigest) ((JdkDigest) ours).copy();
        fork.update((byte) 2);
        assertArrayEquals(finish(theirs), finish(ours));
        Digest theirsForked = bouncyCastle(algorithm);
        theirsForked.update(data, 0, data.length);
        theirsForked.update((byte) 1);
        theirsForked.update((byte) 2);
        assertArrayEquals(finish(theirsForked), finish(fork));

        // doFinal resets; reset(Memoable) takes the other's state.
        assertArrayEquals(finish(bouncyCastle(algorithm)), finish(ours));
        fork.update(data, 0, data.length);
        ((JdkDigest) ours).reset(fork);
        Digest expected = bouncyCastle(algorithm);
        expected.update(data, 0, data.length);
        assertArrayEquals(finish(expected), finish(ours));

        // HMAC, the key schedule's building block, uses getByteLength and Memoable.
        HMac ourMac = new HMac(JdkDigest.of(algorithm));
        HMac theirMac = new HMac(bouncyCastle(algorithm));
        for (HMac mac : new HMac[] {ourMac, theirMac}) {
            mac.init(new KeyParameter(new byte[] {1, 2, 3}));
            mac.update(data, 0, data.length);
        }
        byte[] a = new byte[ourMac.getMacSize()];
        byte[] b = new byte[theirMac.getMacSize()];
        ourMac.doFinal(a, 0);
        theirMac.doFinal(b, 0);
        assertArrayEquals(b, a);
    }

    @Test
    void otherAlgorithmsAreLeftToBouncyCastle() {
        assertNull(JdkDigest.of(CryptoHashAlgorithm.sha1));
    }
}
