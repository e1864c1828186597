package org.mandos.shell.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's shell on the server's own terminal, in {@code --foreground} mode: the launcher sets the
 * framework property {@value #PROPERTY} to {@code true} when standard input and output are a terminal
 * (or when told to). Results go to standard output; the log stays on standard error. The end of the
 * input (Ctrl-D) or {@code exit} closes the shell, not the server.
 */
@Component(service = {}, immediate = true)
public final class ConsoleShell {

    /** The framework property that turns the console shell on. */
    static final String PROPERTY = "mandos.shell.console";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleShell.class);

    private final Thread thread;
    private volatile boolean closed;

    @Activate
    public ConsoleShell(@Reference CommandProcessor processor, BundleContext context) {
        // The process's own descriptors, not System.in/out/err: Gogo replaces those with streams that
        // follow the session of the current thread, which would send a session's output back into itself.
        this(processor, "true".equals(context.getProperty(PROPERTY)), new FileInputStream(FileDescriptor.in),
                new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
    }

    ConsoleShell(CommandProcessor processor, boolean on, InputStream in, OutputStream out) {
        this(processor, on, in, out, out);
    }

    ConsoleShell(CommandProcessor processor, boolean on, InputStream in, OutputStream out, OutputStream err) {
        if (!on) {
            thread = null;
            return;
        }
        // The terminal belongs to the server: closing a session must not close standard input or output.
        InputStream keptIn = new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
        OutputStream keptOut = ShellSession.unclosable(out);
        OutputStream keptErr = ShellSession.unclosable(err);
        thread = new Thread(() -> {
            try {
                ShellSession.run(processor, keptIn, keptOut, keptErr);
                if (!closed) {
                    LOG.info("Console shell closed; the server keeps running (stop it with SIGTERM or Ctrl-C)");
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("Console shell ended: {}", e.toString());
                }
            }
        }, "mandos-console-shell");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Operator shell on the console (commands: docs/shell.md); Ctrl-D closes it, not the server");
    }

    /** The session thread, or null when the console shell is off (for tests). */
    Thread thread() {
        return thread;
    }

    @Deactivate
    void close() {
        closed = true;
        // A read of standard input cannot be interrupted; the daemon thread ends with the process, and a
        // command it runs after this finds the command processor gone.
        if (thread != null) {
            thread.interrupt();
        }
    }
}
