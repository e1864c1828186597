package org.mandos.shell.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What {@code plugins} shows: every bundle installed from the hot-deploy directory
 * ({@code felix.fileinstall.dir}, i.e. {@code plugins/}) and every bundle that offers a
 * {@code Checker}, {@code ClientStore} or {@code Announcer}, with its state and those services.
 */
final class Plugins {

    private static final List<String> PLUGIN_SERVICES = List.of(
            "org.mandos.api.Checker", "org.mandos.api.ClientStore", "org.mandos.api.Announcer");

    private Plugins() {
    }

    static List<String> describe(BundleContext context) {
        String dir = context.getProperty("felix.fileinstall.dir");
        String pluginDir = dir == null ? null : Path.of(dir).toAbsolutePath().toUri().toString();
        List<String> lines = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fromPlugins = pluginDir != null && b.getLocation() != null
                    && (b.getLocation().startsWith(pluginDir) || b.getLocation().contains(dir + "/"));
            List<String> services = services(b);
            if (!fromPlugins && services.isEmpty()) {
                continue;
            }
            lines.add(b.getSymbolicName() + " " + b.getVersion() + " [" + state(b.getState()) + "]"
                    + (fromPlugins ? " (plugins/)" : " (core)"));
            services.forEach(s -> lines.add("    " + s));
        }
        if (lines.isEmpty()) {
            lines.add("no plugins");
        }
        return lines;
    }

    private static List<String> services(Bundle b) {
        List<String> out = new ArrayList<>();
        ServiceReference<?>[] refs;
        try {
            refs = b.getRegisteredServices();
        } catch (IllegalStateException uninstalled) {
            return out;
        }
        if (refs == null) {
            return out;
        }
        for (ServiceReference<?> ref : refs) {
            Object classes = ref.getProperty("objectClass");
            if (!(classes instanceof String[] names)) {
                continue;
            }
            for (String name : names) {
                if (PLUGIN_SERVICES.contains(name)) {
                    out.add(name.substring(name.lastIndexOf('.') + 1) + " " + describe(ref));
                }
            }
        }
        return out;
    }

    private static String describe(ServiceReference<?> ref) {
        for (String key : List.of("mandos.checker.type", "mandos.store.name", "mandos.announcer.name")) {
            Object v = ref.getProperty(key);
            if (v != null) {
                return key + "=" + v;
            }
        }
        return "";
    }

    static String state(int state) {
        switch (state) {
            case Bundle.ACTIVE: return "ACTIVE";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            default: return "UNINSTALLED";
        }
    }
}
