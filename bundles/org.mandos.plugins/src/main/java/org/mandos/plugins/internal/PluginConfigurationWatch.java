package org.mandos.plugins.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the plugins' configuration files, {@code <configdir>/*.cfg}, reach them through Configuration
 * Admin: it asks Felix FileInstall (through FileInstall's own factory configuration) to watch the
 * configuration directory for {@code .cfg} files. A file {@code <pid>.cfg} becomes the configuration
 * {@code <pid>}, {@code <factoryPid>-<name>.cfg} one instance of a factory; FileInstall applies an edit
 * within its poll period and deletes the configuration when the file goes away. The configuration
 * directory comes from the framework property {@value #CONFIGDIR_PROPERTY}, set by the launcher.
 */
@Component(immediate = true, service = {})
public final class PluginConfigurationWatch {

    static final String CONFIGDIR_PROPERTY = "mandos.configdir";
    static final String FILEINSTALL_FACTORY_PID = "org.apache.felix.fileinstall";
    static final String DIR = "felix.fileinstall.dir";

    private static final Logger LOG = LoggerFactory.getLogger(PluginConfigurationWatch.class);

    @Activate
    public PluginConfigurationWatch(BundleContext context, @Reference ConfigurationAdmin admin)
            throws IOException, InvalidSyntaxException {
        String configured = context.getProperty(CONFIGDIR_PROPERTY);
        Path configdir = Path.of(configured == null || configured.isEmpty() ? "/etc/mandos" : configured)
                .toAbsolutePath().normalize();
        watch(admin, configdir);
    }

    /** Creates the FileInstall watcher configuration for {@code configdir} unless it exists. */
    static Configuration watch(ConfigurationAdmin admin, Path configdir) throws IOException, InvalidSyntaxException {
        String dir = configdir.toString();
        Configuration[] existing = admin.listConfigurations("(&(service.factoryPid=" + FILEINSTALL_FACTORY_PID
                + ")(" + DIR + "=" + escape(dir) + "))");
        if (existing != null && existing.length > 0) {
            return existing[0];
        }
        Configuration watcher = admin.createFactoryConfiguration(FILEINSTALL_FACTORY_PID, "?");
        watcher.update(properties(dir));
        LOG.info("Plugin configuration: {}/*.cfg is applied through Configuration Admin", dir);
        return watcher;
    }

    static Dictionary<String, Object> properties(String dir) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(DIR, dir);
        // Only *.cfg: mandos.conf, clients.conf and clients.d are the server's own.
        p.put("felix.fileinstall.filter", ".*\\.cfg");
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        // Never write configuration changes back into the operator's files.
        p.put("felix.fileinstall.enableConfigSave", "false");
        return p;
    }

    /** Escapes an LDAP filter value (RFC 4515). */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\', '*', '(', ')' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
