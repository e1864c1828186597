package org.mandos.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class PluginConfigurationWatchTest {

    /** A Configuration Admin that records what it is asked to create. */
    private final List<String> filters = new ArrayList<>();
    private final List<Dictionary<String, Object>> created = new ArrayList<>();
    private Configuration existing;

    @SuppressWarnings("unchecked")
    private ConfigurationAdmin admin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "listConfigurations" -> {
                        filters.add((String) args[0]);
                        yield existing == null ? null : new Configuration[] {existing};
                    }
                    case "createFactoryConfiguration" -> {
                        assertEquals("org.apache.felix.fileinstall", args[0]);
                        assertEquals("?", args[1], "FileInstall, another bundle, must be able to use it");
                        yield configuration();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @SuppressWarnings("unchecked")
    private Configuration configuration() {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("update") && args != null && args.length == 1) {
                        created.add((Dictionary<String, Object>) args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void asksFileInstallToWatchTheConfigurationDirectoryForCfgFilesOnly() throws Exception {
        PluginConfigurationWatch.watch(admin(), Path.of("/etc/mandos (test)"));
        assertEquals(1, created.size());
        Dictionary<String, Object> p = created.get(0);
        assertEquals("/etc/mandos (test)", p.get("felix.fileinstall.dir"));
        assertEquals(".*\\.cfg", p.get("felix.fileinstall.filter"));
        assertEquals("false", p.get("felix.fileinstall.enableConfigSave"));
        assertEquals(List.of("(&(service.factoryPid=org.apache.felix.fileinstall)"
                + "(felix.fileinstall.dir=/etc/mandos \\(test\\)))"), filters);
    }

    @Test
    void aWatcherThatExistsIsKept() throws Exception {
        existing = configuration();
        assertSame(existing, PluginConfigurationWatch.watch(admin(), Path.of("/etc/mandos")));
        assertEquals(List.of(), created);
    }
}
