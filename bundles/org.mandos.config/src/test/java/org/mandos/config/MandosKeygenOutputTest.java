package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * §2.1: a section exactly as {@code mandos-keygen --password} prints it must parse: indented
 * base64 continuation lines, {@code %%(host)s} kept for run time, and {@code %(ssh_fingerprint)s}
 * expanded at start time from an option the server otherwise ignores.
 */
class MandosKeygenOutputTest {

    private static final Path FILE = Path.of("/etc/mandos/clients.conf");

    private static final String SECRET_HEX = "85020c0399766436d454bc0d010fff5f61cff0a186849dc44a10a7de499fe06f"
            + "0d5d7335f82dec818404d525bcfb41f400109d79f18722392530d3a9aab49352fc31619d35db7e39ebbf3dfbf0010831"
            + "0518720928b30d38f41149351559761969b71d79f8218a39259a7a29aabb2dbafc31cb3d35db7e39eb";

    private static final String SSH_KEY = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABB"
            + "BG1LK0FIS8eR5KZm8vV1Zv1T6Y7g==";

    private static String resource() throws IOException {
        try (InputStream in = MandosKeygenOutputTest.class.getResourceAsStream("mandos-keygen-password.conf")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertKeygenClient(ClientsFile file) {
        assertEquals(List.of(), file.warnings());
        assertEquals(1, file.clients().size());
        ClientSettings client = file.clients().get(0);
        assertEquals("myhost", client.name());
        assertEquals(1, client.line());
        assertEquals("myhost", client.host());
        assertEquals("4FAF6D107BF26CA0ABE751EABD9CF80E52C3F5DFE2DCF0D43AD6AEE835496F5F", client.keyId());
        assertEquals("1A2B3C4D5E6F70819293A4B5C6D7E8F901234567", client.fingerprint());
        assertArrayEquals(HexFormat.of().parseHex(SECRET_HEX), client.secret());
        assertEquals("ssh-keyscan -t ecdsa-sha2-nistp256 %(host)s 2>/dev/null | grep --fixed-strings"
                + " --line-regexp --quiet --regexp=%(host)s\" " + SSH_KEY + "\"", client.checker());
        assertEquals(SSH_KEY, client.options().get("ssh_fingerprint"));
        assertEquals(Duration.ofMinutes(5), client.timeout());
        assertEquals(Duration.ofMinutes(15), client.extendedTimeout());
        assertEquals(Duration.ofMinutes(2), client.interval());
        assertEquals(Duration.ZERO, client.approvalDelay());
        assertEquals(Duration.ofSeconds(1), client.approvalDuration());
        assertTrue(client.approvedByDefault());
        assertTrue(client.enabled());
    }

    @Test
    void theTabIndentedSectionParses() throws Exception {
        assertKeygenClient(ClientsFile.parse(FILE, resource(), Map.of()));
    }

    @Test
    void theSameSectionIndentedWithFourSpacesAsTheRealSedScriptDoesParses() throws Exception {
        assertKeygenClient(ClientsFile.parse(FILE, resource().replace("\t", "    "), Map.of()));
    }

    @Test
    void optionsFollowTheReferenceOrderWithoutTheSecret() throws Exception {
        ClientSettings client = ClientsFile.parse(FILE, resource(), Map.of()).clients().get(0);
        assertEquals(List.of("timeout", "extended_timeout", "interval", "checker", "host", "approval_delay",
                "approval_duration", "approved_by_default", "enabled", "key_id", "fingerprint", "ssh_fingerprint"),
                List.copyOf(client.options().keySet()));
    }
}
