package org.mandos.launcher;

import java.nio.file.Path;
import org.mandos.config.ClientsFile;
import org.mandos.config.ConfigException;

/**
 * The launcher's own reading of {@code clients.conf} (with its drop-ins): for {@code --check} and
 * {@code --import-state}, and when logging cannot be set up, so that a bad file is reported first. When
 * serving, the store bundle's first load is the check (see {@link EmbeddedFramework#STARTUP_PROBLEMS}).
 */
final class ClientsCheck {

    private ClientsCheck() {
    }

    /** Reads the clients now. */
    static ClientsFile load(Path configdir) throws StartupError {
        try {
            return ClientsFile.loadWithDropIns(configdir, System.getenv());
        } catch (ConfigException e) {
            throw new StartupError(e.getMessage());
        }
    }
}
