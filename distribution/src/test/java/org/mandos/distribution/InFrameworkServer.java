package org.mandos.distribution;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The distribution's bundles in a Felix framework inside the test JVM, so that a test can call the
 * ClientRegistry service as a front end (D-Bus, the shell) would, and listen to ClientEvents. The
 * service types live in the bundles' class loaders, so they are reached by reflection.
 */
final class InFrameworkServer implements AutoCloseable {

    private final Framework framework;
    private final Object registry;
    private final Class<?> registryType;
    final int port;
    /** Every event as "TYPE client detail". */
    final List<String> events = new CopyOnWriteArrayList<>();

    private InFrameworkServer(Framework framework, Object registry, Class<?> registryType, int port) {
        this.framework = framework;
        this.registry = registry;
        this.registryType = registryType;
        this.port = port;
    }

    static InFrameworkServer start(Path configdir, Path statedir) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, Files.createTempDirectory("mandos-itest-felix-").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.slf4j;version=2.0.17,org.slf4j.event;version=2.0.17,"
                + "org.slf4j.helpers;version=2.0.17,org.slf4j.spi;version=2.0.17");
        config.put("mandos.configdir", configdir.toString());
        config.put("mandos.statedir", statedir.toString());
        config.put("mandos.restore", "true");
        config.put("mandos.zeroconf", "false");
        config.put("mandos.line_timeout", "PT10S");
        config.put("mandos.handshake_timeout", "PT30S");
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.init();
        BundleContext context = framework.getBundleContext();
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
        Dictionary<String, Object> listen = new Hashtable<>();
        listen.put("mandos.listen", Boolean.TRUE);
        context.registerService(ServerSocketChannel.class, channel, listen);
        List<Bundle> bundles;
        try (Stream<Path> jars = Files.list(Installation.home().resolve("bundle"))) {
            bundles = jars.sorted().map(jar -> {
                try {
                    return context.installBundle(jar.toUri().toString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
        framework.start();
        for (Bundle b : bundles) {
            b.start();
        }
        ServiceTracker<Object, Object> ready = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(mandos.accepting=true)"), null);
        ready.open(true);
        if (ready.waitForService(60_000) == null) {
            throw new IllegalStateException("the server did not start");
        }
        ServiceTracker<Object, Object> registries = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(objectClass=org.mandos.api.ClientRegistry)"), null);
        registries.open(true);
        Object registry = registries.waitForService(10_000);
        Class<?> registryType = Stream.of(registry.getClass().getInterfaces())
                .filter(i -> i.getName().equals("org.mandos.api.ClientRegistry")).findFirst().orElseThrow();
        InFrameworkServer server = new InFrameworkServer(framework, registry, registryType,
                ((InetSocketAddress) channel.getLocalAddress()).getPort());
        server.listen(context, registryType.getClassLoader());
        return server;
    }

    /** Registers a ClientListener (a proxy of the bundle's interface) that records every event. */
    private void listen(BundleContext context, ClassLoader api) throws Exception {
        Class<?> listenerType = api.loadClass("org.mandos.api.ClientListener");
        Object listener = Proxy.newProxyInstance(api, new Class<?>[] {listenerType}, (proxy, method, args) -> {
            if (method.getName().equals("clientEvent")) {
                Object e = args[0];
                Class<?> c = e.getClass();
                events.add(c.getMethod("type").invoke(e) + " " + c.getMethod("clientName").invoke(e) + " "
                        + c.getMethod("detail").invoke(e));
                return null;
            }
            return method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                    : method.getName().equals("equals") ? proxy == args[0] : "test listener";
        });
        context.registerService(listenerType.getName(), listener, null);
    }

    Object call(String operation, Class<?>[] types, Object... args) throws Exception {
        Method m = registryType.getMethod(operation, types);
        return m.invoke(registry, args);
    }

    boolean approve(String name) throws Exception {
        return (Boolean) call("approve", new Class<?>[] {String.class, boolean.class}, name, true);
    }

    /** The client's status record, read by reflection: e.g. {@code status("c", "enabled")}. */
    Object status(String name, String component) throws Exception {
        Object optional = call("client", new Class<?>[] {String.class}, name);
        Object status = ((java.util.Optional<?>) optional).orElseThrow();
        return status.getClass().getMethod(component).invoke(status);
    }

    /** The framework's context, for tests that look up other services (the shell's CommandProcessor). */
    BundleContext bundleContext() {
        return framework.getBundleContext();
    }

    boolean sawEvent(String text) {
        return events.stream().anyMatch(e -> e.contains(text));
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(30_000);
    }
}
