package org.mandos.sample.checker.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code http_status} option: a comma-separated list of status codes ({@code 200}) and classes
 * ({@code 2xx}); a response is expected when its status is in any of them.
 */
final class ExpectedStatus {

    private final List<String> items;
    private final boolean[] codes = new boolean[600];

    private ExpectedStatus(List<String> items) {
        this.items = items;
    }

    /**
     * @throws IllegalArgumentException with a message saying which item is wrong
     */
    static ExpectedStatus parse(String text) {
        List<String> items = new ArrayList<>();
        ExpectedStatus expected = new ExpectedStatus(items);
        for (String raw : text.split(",", -1)) {
            String item = raw.trim().toLowerCase(Locale.ROOT);
            if (item.matches("[1-5][0-9][0-9]")) {
                expected.codes[Integer.parseInt(item)] = true;
            } else if (item.matches("[1-5]xx")) {
                int first = (item.charAt(0) - '0') * 100;
                for (int code = first; code < first + 100; code++) {
                    expected.codes[code] = true;
                }
            } else {
                throw new IllegalArgumentException("\"" + raw.trim()
                        + "\" is neither a status code (100 to 599) nor a class such as 2xx");
            }
            items.add(item);
        }
        return expected;
    }

    boolean matches(int status) {
        return status >= 0 && status < codes.length && codes[status];
    }

    @Override
    public String toString() {
        return String.join(",", items);
    }
}
