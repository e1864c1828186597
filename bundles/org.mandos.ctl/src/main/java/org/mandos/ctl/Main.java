package org.mandos.ctl;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.mandos.ctl.internal.Ctl;
import org.mandos.ctl.internal.DbusMandosBus;

/**
 * {@code mandos-ctl}: controls or queries a Mandos server over the D-Bus system bus, with the options,
 * output, messages and exit statuses of the reference's mandos-ctl. See docs/mandos-ctl.8.md.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // dbus-java logs through SLF4J: no logging at all, and no SLF4J notice on standard error, whatever
        // else is on the class path (the distribution's lib/ has logback for the server's launcher).
        System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status;
        try {
            status = new Ctl(version(), columns(), System.in, out, err, DbusMandosBus::new).run(List.of(args));
        } catch (RuntimeException | Error e) {
            // Unexpected (the reference shows a Python traceback and exits 1).
            out.flush();
            err.println("mandos-ctl: " + e);
            status = 1;
        }
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Our version, from the jar's manifest. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }

    /**
     * The width argparse formats the usage for: {@code COLUMNS}, else the terminal's width that
     * bin/mandos-ctl passes in {@code MANDOS_CTL_TERMINAL_COLUMNS}, else 80.
     */
    static int columns() {
        for (String variable : List.of("COLUMNS", "MANDOS_CTL_TERMINAL_COLUMNS")) {
            try {
                int c = Integer.parseInt(System.getenv().getOrDefault(variable, "").strip());
                if (c > 0) {
                    return c;
                }
            } catch (NumberFormatException e) {
                // not set: next
            }
        }
        return 80;
    }
}
