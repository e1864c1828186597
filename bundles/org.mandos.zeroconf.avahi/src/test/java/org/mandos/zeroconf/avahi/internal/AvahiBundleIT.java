package org.mandos.zeroconf.avahi.internal;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mandos.config.SystemBusAddress;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The packaged bundle in a real Felix framework with SCR, as the server runs it: it resolves with only
 * org.mandos.api, org.slf4j and the JDK, its embedded dbus-java finds its transport (ServiceLoader) inside
 * the bundle, and its Announcer service comes and goes with a real avahi-daemon. Failsafe points
 * {@code DBUS_SYSTEM_BUS_ADDRESS} at a socket in target/ where the test starts the private bus (see the
 * pom), because the component reads that variable.
 */
class AvahiBundleIT {

    private static final String FILTER = "(&(objectClass=org.mandos.api.Announcer)(mandos.announcer.name=avahi))";

    @Test
    void theBundleOffersItsAnnouncerWhileAvahiRunsAndAnnouncesThroughIt() throws Exception {
        AvahiSandbox.assumeAvailable();
        String address = System.getenv(SystemBusAddress.VARIABLE);
        Path socket = address == null ? null : SystemBusAddress.socketPath(address).orElse(null);
        Assumptions.assumeTrue(socket != null && System.getProperty("avahi.it.bundle") != null,
                "run through Maven (failsafe sets DBUS_SYSTEM_BUS_ADDRESS and avahi.it.bundle)");
        try (AvahiSandbox sandbox = AvahiSandbox.start(socket)) {
            sandbox.startAvahi("a", "mandos-a", true, null);
            Path storage = Files.createTempDirectory("mandos-avahi-felix-");
            Framework framework = startFramework(storage);
            try {
                BundleContext context = framework.getBundleContext();
                Bundle avahiBundle = null;
                for (Bundle b : context.getBundles()) {
                    assertTrue(b.getState() == Bundle.ACTIVE || b.getBundleId() == 0,
                            b.getSymbolicName() + " is not active: " + b.getState());
                    if ("org.mandos.zeroconf.avahi".equals(b.getSymbolicName())) {
                        avahiBundle = b;
                    }
                }
                assertNotNull(avahiBundle);
                ServiceTracker<Object, Object> announcers = new ServiceTracker<>(context,
                        FrameworkUtil.createFilter(FILTER), null);
                announcers.open(true);
                Object announcer = announcers.waitForService(30_000);
                assertNotNull(announcer, "no Announcer with mandos.announcer.name=avahi");

                announce(announcer, "Mandos OSGi", 10990);
                sandbox.awaitBrowse("'Mandos OSGi' on 10990", f -> f.stream()
                        .anyMatch(x -> x.name().equals("Mandos OSGi") && x.port() == 10990));

                sandbox.stopAvahi("a");
                AvahiSandbox.await("the announcer to go away with Avahi", () -> announcers.getService() == null);
                sandbox.startAvahi("a", "mandos-a", true, null);
                Object back = announcers.waitForService(30_000);
                assertNotNull(back, "the announcer did not come back with Avahi");
                announce(back, "Mandos OSGi", 10990);        // as the publisher does when it comes back
                sandbox.awaitBrowse("'Mandos OSGi' again after Avahi's restart", f -> f.stream()
                        .anyMatch(x -> x.name().equals("Mandos OSGi") && x.port() == 10990));

                avahiBundle.stop();
                assertEquals(null, announcers.getService());
                sandbox.awaitBrowse("'Mandos OSGi' withdrawn when the bundle stops",
                        f -> f.stream().noneMatch(x -> x.name().equals("Mandos OSGi")));
                AvahiSandbox.await("the mandos-avahi thread to end", () -> Thread.getAllStackTraces().keySet()
                        .stream().noneMatch(t -> t.getName().equals("mandos-avahi")));
                announcers.close();
            } finally {
                framework.stop();
                framework.waitForStop(30_000);
                try (Stream<Path> files = Files.walk(storage)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** Calls Announcer.announce with an Announcement of the API bundle's class loader. */
    private static void announce(Object announcer, String name, int port) throws Exception {
        Class<?> announcerType = Stream.of(announcer.getClass().getInterfaces())
                .filter(i -> i.getName().equals("org.mandos.api.Announcer")).findFirst().orElseThrow();
        Class<?> announcementType = announcerType.getClassLoader().loadClass("org.mandos.api.Announcement");
        Object announcement = announcementType.getConstructor(String.class, int.class, String.class, boolean.class)
                .newInstance(name, port, "", false);
        announcerType.getMethod("announce", announcementType).invoke(announcer, announcement);
    }

    private static Framework startFramework(Path storage) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // as the launcher does: SLF4J comes from the class path
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.slf4j;version=2.0.17,org.slf4j.event;version=2.0.17,"
                + "org.slf4j.helpers;version=2.0.17,org.slf4j.spi;version=2.0.17");
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.init();
        BundleContext context = framework.getBundleContext();
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("avahi.it.bundles")))) {
            s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        jars.add(Path.of(System.getProperty("avahi.it.bundle")));
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            bundles.add(context.installBundle(jar.toUri().toString()));
        }
        framework.start();
        for (Bundle b : bundles) {
            b.start();
        }
        return framework;
    }
}
