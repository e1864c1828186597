package org.mandos.shell.client;

import java.io.InputStream;
import java.io.PrintStream;

/** Test access to the client's package-private entry point. */
public final class ShellClientAccess {

    private ShellClientAccess() {
    }

    public static int run(String[] args, PrintStream out) {
        return ShellClient.run(args, InputStream.nullInputStream(), out, System.err, false);
    }
}
