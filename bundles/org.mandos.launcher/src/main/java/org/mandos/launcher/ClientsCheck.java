package org.mandos.launcher;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.mandos.config.ClientsFile;
import org.mandos.config.ConfigException;

/**
 * The launcher's own reading of {@code clients.conf} (with its drop-ins): for {@code --check} and
 * {@code --import-state}, or, when serving, only to refuse to start on a bad file, with the file, line and
 * option in one message. When serving it runs on its own thread while the framework starts.
 */
final class ClientsCheck {

    private final FutureTask<Void> task;

    private ClientsCheck(FutureTask<Void> task) {
        this.task = task;
    }

    /** Reads the clients now. */
    static ClientsFile load(Path configdir) throws StartupError {
        try {
            return ClientsFile.loadWithDropIns(configdir, System.getenv());
        } catch (ConfigException e) {
            throw new StartupError(e.getMessage());
        }
    }

    /** Starts checking the clients on another thread; {@link #await} gives the verdict. */
    static ClientsCheck start(Path configdir) {
        // Only the verdict is kept: the parsed clients (tens of MiB for 10,000) are garbage at once.
        FutureTask<Void> task = new FutureTask<>(() -> {
            ClientsFile.loadWithDropIns(configdir, System.getenv());
            return null;
        });
        Thread thread = new Thread(task, "mandos-clients-check");
        thread.setDaemon(true);
        thread.start();
        return new ClientsCheck(task);
    }

    /** Waits for the check; a bad file is a StartupError with the parser's message. */
    void await() throws StartupError {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupError("Interrupted while reading the client configuration");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new StartupError(cause instanceof ConfigException ? cause.getMessage()
                    : "Cannot read the client configuration: "
                            + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
        }
    }
}
