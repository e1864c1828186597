package org.mandos.launcher;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Felix framework: installs every bundle in {@code bundle/}, hands it the listening
 * sockets as services, and waits until the server says it accepts connections.
 */
final class EmbeddedFramework {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFramework.class);

    /** The SLF4J packages bundles import from the class path, where Logback lives. */
    private static final String SYSTEM_PACKAGES_EXTRA = "org.slf4j;version=2.0.17,org.slf4j.event;version=2.0.17,"
            + "org.slf4j.helpers;version=2.0.17,org.slf4j.spi;version=2.0.17";

    private static final long READY_TIMEOUT_SECONDS = 60;

    private final Framework framework;
    private final Path storage;
    /** The bundles in the order they were started. */
    private volatile List<Bundle> started = List.of();

    private EmbeddedFramework(Framework framework, Path storage) {
        this.framework = framework;
        this.storage = storage;
    }

    /**
     * The property of the {@code Consumer<String>} service through which a bundle reports a problem that
     * stops start-up (the store's first load of {@code clients.conf} does); registered only while starting.
     */
    static final String STARTUP_PROBLEMS = "mandos.startup.problems";

    /**
     * The manifest header that orders a Mandos bundle's start: lower first (the clients.conf store has 1, so
     * its first read of the file, which is the start-up check, comes before any other Mandos bundle can
     * log or act). Bundles from elsewhere (the framework's services, libraries) have 0; Mandos bundles
     * without the header 2; ties go by file name.
     */
    static final String START_RANK = "Mandos-Start-Rank";

    /** The first problem reported while starting. */
    private static final class StartupProblems implements Consumer<String> {
        private volatile String first;

        @Override
        public synchronized void accept(String problem) {
            if (first == null) {
                first = problem;
            }
        }

        void check() throws StartupError {
            if (first != null) {
                throw new StartupError(first);
            }
        }
    }

    /**
     * Starts the framework, installs, resolves and starts the bundles; returns once the server accepts on
     * every socket. A problem a bundle reports while starting (a bad {@code clients.conf}) is the
     * StartupError, with the bundle's message as it is.
     */
    static EmbeddedFramework start(Path bundleDir, Map<String, String> serverProperties,
            List<ServerSocketChannel> channels) throws StartupError {
        Path storage;
        try {
            storage = FrameworkCache.create();
        } catch (IOException e) {
            throw new StartupError("Cannot create the framework cache directory: " + e.getMessage());
        }
        Map<String, String> config = new HashMap<>(serverProperties);
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES_EXTRA);
        config.put("felix.log.level", "1");
        Framework framework = new FrameworkFactory().newFramework(config);
        EmbeddedFramework embedded = new EmbeddedFramework(framework, storage);
        try {
            framework.init();
            BundleContext context = framework.getBundleContext();
            for (ServerSocketChannel channel : channels) {
                Dictionary<String, Object> props = new Hashtable<>();
                props.put("mandos.listen", Boolean.TRUE);
                context.registerService(ServerSocketChannel.class, channel, props);
            }
            // The shell's loglevel command: Logback is not visible to bundles, a JDK-typed service is.
            Dictionary<String, Object> logLevels = new Hashtable<>();
            logLevels.put(RuntimeLogLevels.PROPERTY, Boolean.TRUE);
            context.registerService(java.util.function.BiConsumer.class.getName(), new RuntimeLogLevels(), logLevels);
            StartupProblems problems = new StartupProblems();
            Dictionary<String, Object> problemProps = new Hashtable<>();
            problemProps.put(STARTUP_PROBLEMS, Boolean.TRUE);
            ServiceRegistration<?> problemChannel = context.registerService(Consumer.class.getName(), problems,
                    problemProps);
            List<Bundle> bundles = install(context, bundleDir);
            framework.start();
            framework.adapt(FrameworkWiring.class).resolveBundles(bundles);
            // The store starts first among the Mandos bundles; its first read of clients.conf is the check.
            embedded.started = startAll(bundles, problems);
            awaitReady(context, bundles, problems);
            problemChannel.unregister();
            return embedded;
        } catch (StartupError e) {
            embedded.stop();
            throw e;
        } catch (BundleException | RuntimeException e) {
            embedded.stop();
            throw new StartupError("The OSGi framework did not start: " + e.getMessage());
        }
    }

    private static List<Bundle> install(BundleContext context, Path bundleDir) throws StartupError, BundleException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(bundleDir, "*.jar")) {
            dir.forEach(jars::add);
        } catch (IOException e) {
            throw new StartupError("Cannot read the bundle directory " + bundleDir + ": " + e.getMessage());
        }
        if (jars.isEmpty()) {
            throw new StartupError("No bundles in " + bundleDir);
        }
        jars.sort(Comparator.naturalOrder());
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            bundles.add(context.installBundle(jar.toUri().toString()));
        }
        return bundles;
    }

    /**
     * Starts the bundles in {@link #START_RANK} order. Starting a bundle activates its immediate components
     * on this thread, so a problem a component reports while starting is known when its start returns; then
     * no later bundle is started.
     */
    private static List<Bundle> startAll(List<Bundle> bundles, StartupProblems reported) throws StartupError {
        List<Bundle> ordered = new ArrayList<>(bundles);
        ordered.sort(Comparator.comparingInt(EmbeddedFramework::startRank));
        ordered.removeIf(bundle -> bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null);
        List<String> problems = new ArrayList<>();
        for (Bundle bundle : ordered) {
            try {
                bundle.start();
            } catch (BundleException e) {
                problems.add(bundle.getSymbolicName() + ": " + e.getMessage());
            }
            reported.check();
        }
        if (!problems.isEmpty()) {
            throw new StartupError("Bundles failed to start: " + String.join("; ", problems));
        }
        return ordered;
    }

    static int startRank(Bundle bundle) {
        String rank = bundle.getHeaders().get(START_RANK);
        if (rank != null) {
            try {
                return Integer.parseInt(rank.trim());
            } catch (NumberFormatException e) {
                LOG.warn("{}: {} is not a number: {}", bundle.getSymbolicName(), START_RANK, rank);
            }
        }
        String name = bundle.getSymbolicName();
        return name != null && name.startsWith("org.mandos.") ? 2 : 0;
    }

    private static void awaitReady(BundleContext context, List<Bundle> bundles, StartupProblems problems)
            throws StartupError {
        ServiceTracker<Object, Object> ready;
        try {
            ready = new ServiceTracker<>(context, FrameworkUtil.createFilter("(mandos.accepting=true)"), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        ready.open(true);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
            while (ready.waitForService(100) == null) {
                problems.check();
                if (System.nanoTime() - deadline > 0) {
                    throw new StartupError("The server did not start within " + READY_TIMEOUT_SECONDS
                            + " s; see the log for the component that failed");
                }
            }
            problems.check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupError("Interrupted while starting");
        } finally {
            ready.close();
        }
        LOG.debug("{} bundles active", bundles.size());
    }

    /**
     * Stops every bundle (components deactivate, connections close) and removes the framework cache. The
     * bundles stop in the reverse of their start order: the server stops taking connections first, and the
     * client registry is gone before the store it reads, so a shutdown is not taken for the removal of
     * every client (the framework alone would stop them by bundle id, the store among the first).
     */
    void stop() {
        List<Bundle> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        for (Bundle bundle : reverse) {
            try {
                bundle.stop(Bundle.STOP_TRANSIENT);
            } catch (BundleException | IllegalStateException e) {
                LOG.debug("Stopping {}: {}", bundle.getSymbolicName(), e.toString());
            }
        }
        try {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        } catch (BundleException | InterruptedException e) {
            LOG.warn("Stopping the OSGi framework: {}", e.toString());
        }
        if (!FrameworkCache.deleteTree(storage)) {
            LOG.debug("Could not remove all of {}", storage);
        }
    }

    /**
     * Asks the client registry to reload every reloadable client store (what SIGHUP does). The registry
     * lives in a bundle, whose API classes this class path does not share, so it is called reflectively.
     *
     * @return one line per store: its name and what happened
     */
    List<String> reloadClients() {
        BundleContext context = framework.getBundleContext();
        ServiceReference<?> ref = context == null ? null : context.getServiceReference("org.mandos.api.ClientRegistry");
        if (ref == null) {
            return List.of("no client registry is running");
        }
        Object registry = context.getService(ref);
        try {
            Class<?> api = ref.getBundle().loadClass("org.mandos.api.ClientRegistry");
            List<String> lines = new ArrayList<>();
            for (Object outcome : (List<?>) api.getMethod("reload").invoke(registry)) {
                Class<?> type = outcome.getClass();
                String store = String.valueOf(type.getMethod("store").invoke(outcome));
                String error = String.valueOf(type.getMethod("error").invoke(outcome));
                boolean changed = (Boolean) type.getMethod("changed").invoke(outcome);
                lines.add(store + ": " + (!error.isEmpty() ? "rejected: " + error : changed ? "changed" : "unchanged"));
            }
            return lines;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException i ? i.getCause() : e;
            return List.of("reload failed: " + cause);
        } finally {
            context.ungetService(ref);
        }
    }

    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }
}
