package org.mandos.bench.jmh;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Synthetic clients for micro-benchmarks: random key_ids and secrets (no key pairs needed). */
final class Synthetic {

    private Synthetic() {
    }

    static List<String> keyIds(int n, long seed) {
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>(n);
        byte[] bytes = new byte[32];
        for (int i = 0; i < n; i++) {
            random.nextBytes(bytes);
            ids.add(HexFormat.of().withUpperCase().formatHex(bytes));
        }
        return ids;
    }

    static String clientsConf(int n, int secretBytes) {
        Random random = new Random(42);
        StringBuilder out = new StringBuilder(n * (secretBytes * 4 / 3 + 200));
        out.append("[DEFAULT]\ntimeout = 1h\ninterval = 2m\nchecker = fping -q -- %%(host)s\n");
        byte[] secret = new byte[secretBytes];
        int i = 0;
        for (String keyId : keyIds(n, 7)) {
            random.nextBytes(secret);
            out.append("\n[client-").append(++i).append("]\nkey_id = ").append(keyId).append("\nhost = 192.0.2.")
                    .append(i % 250 + 1).append("\nsecret = ").append(Base64.getEncoder().encodeToString(secret))
                    .append('\n');
        }
        return out.toString();
    }
}
