package org.mandos.ctl.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table ({@code mandos-ctl}, {@code -v}) and the JSON dump ({@code -j}) of clients' properties. */
public final class Output {

    /** The columns of {@code -v} and the keys of {@code -j}, in order. */
    public static final List<String> ALL_KEYWORDS = List.of("Name", "Enabled", "Timeout", "LastCheckedOK", "Created",
            "Interval", "Host", "KeyID", "Fingerprint", "CheckerRunning", "LastEnabled", "ApprovalPending",
            "ApprovedByDefault", "LastApprovalRequest", "ApprovalDelay", "ApprovalDuration", "Checker",
            "ExtendedTimeout", "Expires", "LastCheckerStatus");

    /** The columns without {@code -v}. */
    public static final List<String> DEFAULT_KEYWORDS = List.of("Name", "Enabled", "Timeout", "LastCheckedOK");

    private static final Map<String, String> HEADERS = Map.ofEntries(Map.entry("Name", "Name"),
            Map.entry("Enabled", "Enabled"), Map.entry("Timeout", "Timeout"),
            Map.entry("LastCheckedOK", "Last Successful Check"),
            Map.entry("LastApprovalRequest", "Last Approval Request"), Map.entry("Created", "Created"),
            Map.entry("Interval", "Interval"), Map.entry("Host", "Host"), Map.entry("Fingerprint", "Fingerprint"),
            Map.entry("KeyID", "Key ID"), Map.entry("CheckerRunning", "Check Is Running"),
            Map.entry("LastEnabled", "Last Enabled"), Map.entry("ApprovalPending", "Approval Is Pending"),
            Map.entry("ApprovedByDefault", "Approved By Default"), Map.entry("ApprovalDelay", "Approval Delay"),
            Map.entry("ApprovalDuration", "Approval Duration"), Map.entry("Checker", "Checker"),
            Map.entry("ExtendedTimeout", "Extended Timeout"), Map.entry("Expires", "Expires"),
            Map.entry("LastCheckerStatus", "Last Checker Status"));

    private static final List<String> DURATIONS = List.of("Timeout", "Interval", "ApprovalDelay", "ApprovalDuration",
            "ExtendedTimeout");

    private Output() {
    }

    /**
     * The table (without the final newline): a header line and a line per client, every column as wide
     * as its widest cell, left-aligned, one blank between columns, the last column padded too. With no
     * clients it is just the header (the reference crashes).
     */
    public static String table(Collection<Map<String, Object>> clients, boolean verbose) {
        List<String> keywords = verbose ? ALL_KEYWORDS : DEFAULT_KEYWORDS;
        List<List<String>> rows = new ArrayList<>();
        rows.add(keywords.stream().map(HEADERS::get).toList());
        for (Map<String, Object> client : clients) {
            rows.add(keywords.stream().map(k -> cell(client.get(k), k)).toList());
        }
        int[] widths = new int[keywords.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], PythonText.length(row.get(i)));
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                if (i > 0) {
                    b.append(' ');
                }
                b.append(row.get(i)).append(" ".repeat(widths[i] - PythonText.length(row.get(i))));
            }
            lines.add(b.toString());
        }
        return String.join("\n", lines);
    }

    /** One cell: {@code Yes}/{@code No}, a duration, or the value as Python's {@code str()} shows it. */
    public static String cell(Object value, String keyword) {
        if (value instanceof Boolean b) {
            return b ? "Yes" : "No";
        }
        if (DURATIONS.contains(keyword) && value instanceof Number n) {
            return milliseconds(n.longValue());
        }
        if (value == null) {
            return "None";
        }
        return value.toString();
    }

    /** {@code [<days>T]HH:MM:SS} of a number of milliseconds, as Python's {@code timedelta} shows it. */
    public static String milliseconds(long ms) {
        long totalSeconds = Math.floorDiv(ms, 1000L);
        long days = Math.floorDiv(totalSeconds, 86400L);
        long seconds = Math.floorMod(totalSeconds, 86400L);
        return (days != 0 ? days + "T" : "")
                + String.format("%02d:%02d:%02d", seconds / 3600, seconds % 3600 / 60, seconds % 60);
    }

    /**
     * The JSON dump: {@code {Name: {the 20 keywords}}} in the clients' order (a later client of the same
     * name replaces an earlier one in place, as in a Python dict), without a final newline.
     */
    public static String json(Collection<Map<String, Object>> clients) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (Map<String, Object> client : clients) {
            Map<String, Object> inner = new LinkedHashMap<>();
            for (String k : ALL_KEYWORDS) {
                inner.put(k, client.get(k));
            }
            data.put(String.valueOf(client.get("Name")), inner);
        }
        return PythonText.json(data);
    }
}
