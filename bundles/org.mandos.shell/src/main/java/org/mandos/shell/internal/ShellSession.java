package org.mandos.shell.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * One operator's conversation: reads command lines, runs each in a Gogo {@link CommandSession} and
 * writes its result (or {@code Error: <message>}). A prompt ({@link #PROMPT}) precedes every line read;
 * {@code exit} or the end of the input ends it.
 */
final class ShellSession {

    static final String PROMPT = "mandos> ";
    /** Gogo's session variable: the scopes searched, in order, for a command without one. */
    static final String SCOPE = "SCOPE";

    private ShellSession() {
    }

    static void run(CommandProcessor processor, InputStream in, OutputStream out) throws IOException {
        run(processor, in, out, null);
    }

    /**
     * @param err where the session's standard error goes (Gogo points {@code System.err} there while a
     *     command runs, so log lines of a console logger land there): null for {@code out}
     */
    static void run(CommandProcessor processor, InputStream in, OutputStream out, OutputStream err)
            throws IOException {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream printErr = err == null ? print : new PrintStream(err, true, StandardCharsets.UTF_8);
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), print, printErr)) {
            // Unqualified names are looked up in our scope first: Felix SCR registers scr:enable and
            // scr:disable when Gogo is present.
            session.put(SCOPE, "mandos:*");
            while (true) {
                print.print(PROMPT);
                print.flush();
                String line = lines.readLine();
                if (line == null) {
                    return;
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.equals("exit") || line.equals("quit")) {
                    return;
                }
                String text = execute(session, line);
                if (!text.isEmpty()) {
                    print.println(text);
                }
                print.flush();
                if (print.checkError()) {
                    return;
                }
            }
        }
    }

    /** {@code out}, whose {@code close} only flushes: for the process's own descriptors. */
    static OutputStream unclosable(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Runs one line and returns what to print: the formatted result or the error. */
    static String execute(CommandSession session, String line) {
        try {
            return format(session, session.execute(line));
        } catch (Exception e) {
            Throwable cause = e;
            while (cause instanceof java.lang.reflect.InvocationTargetException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            String message = cause.getMessage();
            return "Error: " + (message == null || message.isEmpty() ? cause.toString() : message);
        }
    }

    static String format(CommandSession session, Object result) {
        if (result == null) {
            return "";
        }
        if (result instanceof CharSequence text) {
            return text.toString();
        }
        if (result instanceof Iterable<?> items) {
            StringBuilder out = new StringBuilder();
            for (Object item : items) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append(format(session, item));
            }
            return out.toString();
        }
        return String.valueOf(session.format(result, Converter.INSPECT));
    }
}
