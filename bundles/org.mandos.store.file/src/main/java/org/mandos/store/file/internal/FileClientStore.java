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
 * The clients of one {@code clients.conf}, reloaded on demand. A reload that does not parse is rejected
 * as a whole: the previous clients stay in force and the error is logged with file, line and option.
 */
final class FileClientStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileClientStore.class);

    private final Path file;
    private final Map<String, String> environment;
    private volatile List<ClientDefinition> clients;

    /** Loads the file; a file that does not parse at start-up is an error (no clients at all). */
    FileClientStore(Path file, Map<String, String> environment) throws ConfigException {
        this.file = file;
        this.environment = environment;
        this.clients = load();
        LOG.info("Loaded {} client(s) from {}", clients.size(), file);
    }

    Path file() {
        return file;
    }

    private List<ClientDefinition> load() throws ConfigException {
        ClientsFile loaded = ClientsFile.load(file, environment);
        loaded.warnings().forEach(LOG::warn);
        return loaded.clients().stream().map(FileClientStore::definition).toList();
    }

    /**
     * Reads the file again. @return true when the clients changed; false when they did not, or when the
     * edit was rejected (the previous clients stay in force)
     */
    boolean reload() {
        List<ClientDefinition> next;
        try {
            next = load();
        } catch (ConfigException e) {
            LOG.error("Rejected the new {}; the previous configuration stays in force: {}", file, e.getMessage());
            return false;
        }
        if (next.equals(clients)) {
            return false;
        }
        clients = next;
        LOG.info("Reloaded {}: {} client(s)", file, next.size());
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
