package org.mandos.store.file.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mandos.api.ClientDefinition;
import org.mandos.config.ClientSettings;
import org.mandos.config.ClientsFile;
import org.mandos.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of {@code <configdir>/clients.conf} and {@code <configdir>/clients.d/*.conf}, reloaded on
 * demand. A reload where any file does not parse is rejected as a whole: the previous clients stay in
 * force and the error names file, line and option.
 */
final class FileClientStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileClientStore.class);

    private final Path configdir;
    private final Map<String, String> environment;
    private volatile List<ClientDefinition> clients;

    /** Loads the files; a file that does not parse at start-up is an error (no clients at all). */
    FileClientStore(Path configdir, Map<String, String> environment) throws ConfigException {
        this.configdir = configdir;
        this.environment = environment;
        this.clients = load();
        LOG.info("Loaded {} client(s) from {}", clients.size(), describe());
    }

    Path configdir() {
        return configdir;
    }

    private String describe() {
        return configdir.resolve("clients.conf") + " and " + configdir.resolve(ClientsFile.DROP_IN_DIRECTORY);
    }

    private List<ClientDefinition> load() throws ConfigException {
        ClientsFile loaded = ClientsFile.loadWithDropIns(configdir, environment);
        loaded.warnings().forEach(LOG::warn);
        return loaded.clients().stream().map(FileClientStore::definition).toList();
    }

    /**
     * Reads the files again.
     *
     * @return true when the clients changed
     * @throws ConfigException when a file does not parse: the edit is rejected as a whole and the
     *     previous clients stay in force
     */
    synchronized boolean reload() throws ConfigException {
        List<ClientDefinition> next = load();
        if (next.equals(clients)) {
            return false;
        }
        clients = next;
        LOG.info("Reloaded {}: {} client(s)", describe(), next.size());
        return true;
    }

    static ClientDefinition definition(ClientSettings c) {
        return new ClientDefinition(c.name(), c.keyId(), c.fingerprint(), c.secret(), c.host(), c.timeout(),
                c.extendedTimeout(), c.interval(), c.checker(), c.approvalDelay(), c.approvalDuration(),
                c.approvedByDefault(), c.enabled(), c.options());
    }

    List<ClientDefinition> clients() {
        return clients;
    }
}
