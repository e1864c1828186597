package org.mandos.sample.checker.reachability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this process may open a raw socket, which is what the JVM needs on Linux to send a real ICMP
 * echo from {@link java.net.InetAddress#isReachable(int)}. Without it the JVM silently probes TCP port 7
 * instead and counts "connection refused" as reachable, which proves nothing useful.
 *
 * <p>The answer comes from the effective capability set in {@code /proc/self/status}
 * ({@code CapEff}, bit 13 is {@code CAP_NET_RAW}). Where that file cannot be read or parsed (not Linux),
 * the answer is no, so the checker uses TCP.
 *
 * @param effective whether {@code CAP_NET_RAW} is in the effective set
 * @param why       a short explanation for the log
 */
record RawSocketCapability(boolean effective, String why) {

    /** The capability number of {@code CAP_NET_RAW} (linux/capability.h). */
    static final int CAP_NET_RAW = 13;

    static final Path PROC_SELF_STATUS = Path.of("/proc/self/status");

    /** Probes this process. */
    static RawSocketCapability probe() {
        return probe(PROC_SELF_STATUS);
    }

    static RawSocketCapability probe(Path status) {
        List<String> lines;
        try {
            lines = Files.readAllLines(status, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return new RawSocketCapability(false, "cannot read " + status + " (not Linux?): " + e);
        }
        return parse(lines, status.toString());
    }

    /** Reads the {@code CapEff} line of a {@code /proc/PID/status} text. */
    static RawSocketCapability parse(List<String> lines, String source) {
        for (String line : lines) {
            if (!line.startsWith("CapEff:")) {
                continue;
            }
            String hex = line.substring("CapEff:".length()).trim();
            long mask;
            try {
                mask = Long.parseUnsignedLong(hex, 16);
            } catch (NumberFormatException e) {
                return new RawSocketCapability(false, "cannot parse CapEff \"" + hex + "\" in " + source);
            }
            boolean netRaw = (mask & (1L << CAP_NET_RAW)) != 0;
            return new RawSocketCapability(netRaw,
                    "CAP_NET_RAW is " + (netRaw ? "" : "not ") + "in the effective capabilities (CapEff " + hex + ")");
        }
        return new RawSocketCapability(false, "no CapEff line in " + source);
    }
}
