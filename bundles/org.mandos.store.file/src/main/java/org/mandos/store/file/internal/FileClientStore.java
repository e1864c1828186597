package org.mandos.store.file.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientStore;
import org.mandos.config.ClientSettings;
import org.mandos.config.ClientsFile;
import org.mandos.config.ConfigException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ClientStore}: the clients of {@code <configdir>/clients.conf}.
 *
 * <p>The configuration directory comes from the framework property {@value #CONFIGDIR_PROPERTY}, set by
 * the launcher. A file that does not parse fails activation, so the store offers no clients at all
 * (fail closed); the launcher checks the same file before the framework starts, so in practice this
 * only happens when the file changes underneath a running server.
 */
@Component(service = ClientStore.class, immediate = true, property = ClientStore.NAME + "=clients.conf")
public final class FileClientStore implements ClientStore {

    static final String CONFIGDIR_PROPERTY = "mandos.configdir";

    private static final Logger LOG = LoggerFactory.getLogger(FileClientStore.class);

    private final List<ClientDefinition> clients;

    @Activate
    public FileClientStore(BundleContext context) throws ConfigException {
        this(Path.of(configDirectory(context)).resolve("clients.conf"), System.getenv());
    }

    FileClientStore(Path file, Map<String, String> environment) throws ConfigException {
        ClientsFile loaded = ClientsFile.load(file, environment);
        loaded.warnings().forEach(LOG::warn);
        this.clients = loaded.clients().stream().map(FileClientStore::definition).toList();
        LOG.info("Loaded {} client(s) from {}", clients.size(), file);
    }

    private static String configDirectory(BundleContext context) {
        String dir = context.getProperty(CONFIGDIR_PROPERTY);
        return dir == null || dir.isEmpty() ? "/etc/mandos" : dir;
    }

    static ClientDefinition definition(ClientSettings c) {
        return new ClientDefinition(c.name(), c.keyId(), c.fingerprint(), c.secret(), c.host(), c.timeout(),
                c.extendedTimeout(), c.interval(), c.checker(), c.approvalDelay(), c.approvalDuration(),
                c.approvedByDefault(), c.enabled(), c.options());
    }

    @Override
    public List<ClientDefinition> clients() {
        return clients;
    }
}
