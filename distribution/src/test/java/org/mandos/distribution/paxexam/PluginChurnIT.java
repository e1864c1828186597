package org.mandos.distribution.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mandos.api.ClientRegistry;
import org.mandos.api.ClientStatus;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Plugin churn under load, in the framework: the distribution's real bundles run in Felix (Pax Exam's
 * native container), and while the real Debian {@code mandos-client} fetches client A's password in a
 * loop, the sample checker plugin is installed, updated and uninstalled, and the sample directory store
 * is installed, configured through Configuration Admin, serves client B, and is uninstalled. Every A
 * fetch must succeed; once the store is gone, B must get nothing.
 *
 * <p>{@link #configuration()} runs outside the framework: it makes the clients' keys with the real
 * {@code mandos-keygen}, writes {@code clients.conf}, and passes paths to the probe as framework
 * properties ({@code mandos.itest.*}). The test method runs inside the framework, in the probe bundle,
 * where it uses the plugin API's types directly.
 */
@RunWith(PaxExamWithRealTools.class)
public class PluginChurnIT {

    static final String PASSWORD_A = "the password of A, served throughout";
    static final String PASSWORD_B = "the password of B, served by a plugin store";
    /** The sample checker's {@code checker_type}. */
    static final String CHECKER_TYPE = "reachability";
    static final String STORE_PID = "org.mandos.sample.store.directory";
    static final String STORE_NAME = "churn";

    private static final String KEYS_A = "mandos.itest.keys.a";
    private static final String KEYS_B = "mandos.itest.keys.b";
    private static final String CHECKER_JAR = "mandos.itest.checker.jar";
    private static final String STORE_JAR = "mandos.itest.store.jar";
    private static final String STORE_DIR = "mandos.itest.store.dir";

    /** What one run of the real client may take when it is served (it takes well under a second). */
    private static final Duration FETCH_LIMIT = Duration.ofSeconds(20);
    /** How long a refused client is given to get a password anyway. */
    private static final Duration REFUSED_LIMIT = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Outside the framework: the host client A's checker probes; it accepts and closes every connection. */
    private static ServerSocket reachable;

    /** The options, made once: the JUnit Platform may create the runner, and so call {@link #configuration()}, twice. */
    private static Option[] options;

    @Configuration
    public Option[] configuration() throws IOException {
        synchronized (PluginChurnIT.class) {
            if (options == null) {
                options = makeConfiguration();
            }
            return options.clone();
        }
    }

    private static Option[] makeConfiguration() throws IOException {
        String basedir = System.getProperty("basedir", ".");
        Path dist = Path.of(basedir, "target", "mandos").toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("mandos-paxexam-");
        Path conf = Files.createDirectories(work.resolve("conf"));
        Path state = Files.createDirectories(work.resolve("state"));
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Path storeDir = Files.createDirectories(work.resolve("clients.d"));

        Path checkerJar = sample(dist, "org.mandos.sample.checker.reachability-");
        Path storeJar = sample(dist, "org.mandos.sample.store.directory-");

        reachable = reachableHost();
        cleanUpAtExit(work);
        CompletableFuture<Path> makingB = CompletableFuture.supplyAsync(() -> RealTools.newClientKeys(work, "B"));
        Path keysA = RealTools.newClientKeys(work, "A");
        Path keysB = makingB.join();
        String checker = "checker_type = " + CHECKER_TYPE + "\nreachability_method = tcp\nreachability_port = "
                + reachable.getLocalPort() + "\n";
        // A: as mandos-keygen wrote it, but on the loopback host, checked often, and never timing out here.
        write(conf.resolve("clients.conf"), "# client A: mandos-keygen --passfile, then host and checker options\n"
                + onLoopback(RealTools.section(keysA, "A", PASSWORD_A)) + checker + "interval = PT2S\ntimeout = PT1H\n");
        // B: one file of the directory store, the same options without the section header.
        write(storeDir.resolve("B.conf"), onLoopback(RealTools.section(keysB, "B", PASSWORD_B))
                .replaceFirst("(?m)^\\[B\\]\\n", ""));

        List<Option> list = new ArrayList<>();
        list.add(cleanCaches(true));
        // As the launcher does: SLF4J comes from the class path (Logback) through the system bundle. Pax
        // Exam's own bundles import org.slf4j [1.4,2), ours [2.0,3): slf4j-api 2 exports both versions.
        list.add(systemPackages("org.slf4j;version=2.0.17", "org.slf4j.event;version=2.0.17",
                "org.slf4j.helpers;version=2.0.17", "org.slf4j.spi;version=2.0.17",
                "org.slf4j;version=1.7.36", "org.slf4j.helpers;version=1.7.36"));
        // Pax Exam's own bundles (mvn: links) come from the local repository, never from the network.
        String localRepository = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        list.add(systemProperty("org.ops4j.pax.url.mvn.localRepository").value(localRepository));
        list.add(systemProperty("org.ops4j.pax.url.mvn.defaultRepositories")
                .value(Path.of(localRepository).toUri() + "@id=local@snapshots"));
        list.add(systemProperty("org.ops4j.pax.url.mvn.repositories").value(""));
        list.add(systemProperty("org.ops4j.pax.url.mvn.useFallbackRepositories").value("false"));
        list.add(systemProperty("org.ops4j.pax.url.mvn.offline").value("true"));
        list.add(junitBundles());
        // The framework properties bin/mandos sets (Main.frameworkProperties and hotDeploy).
        list.add(frameworkProperty("mandos.configdir").value(conf.toString()));
        list.add(frameworkProperty("mandos.statedir").value(state.toString()));
        list.add(frameworkProperty("mandos.restore").value("false"));
        list.add(frameworkProperty("mandos.zeroconf").value("false"));
        list.add(frameworkProperty("mandos.line_timeout").value("PT10S"));
        list.add(frameworkProperty("mandos.handshake_timeout").value("PT30S"));
        list.add(frameworkProperty("felix.fileinstall.dir").value(plugins.toString()));
        list.add(frameworkProperty("felix.fileinstall.poll").value("1000"));
        list.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        list.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        // For the probe.
        list.add(frameworkProperty(KEYS_A).value(keysA.toString()));
        list.add(frameworkProperty(KEYS_B).value(keysB.toString()));
        list.add(frameworkProperty(CHECKER_JAR).value(checkerJar.toString()));
        list.add(frameworkProperty(STORE_JAR).value(storeJar.toString()));
        list.add(frameworkProperty(STORE_DIR).value(storeDir.toString()));
        // The distribution's bundles, as bin/mandos installs them: every jar of bundle/, in name order.
        try (Stream<Path> jars = Files.list(dist.resolve("bundle"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted()
                    .forEach(jar -> list.add(bundle(jar.toUri().toString())));
        }
        return list.toArray(new Option[0]);
    }

    /** The sample plugin jar of {@code samples/plugins/} whose name starts with {@code prefix}. */
    private static Path sample(Path dist, String prefix) throws IOException {
        Path samples = dist.resolve("samples/plugins");
        try (Stream<Path> jars = Files.list(samples)) {
            return jars.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow(
                    () -> new IllegalStateException("no " + prefix + "*.jar in " + samples + " (build the distribution first)"));
        }
    }

    private static String onLoopback(String section) {
        String s = section.replaceFirst("(?m)^host = .*$", "host = 127.0.0.1");
        return s.endsWith("\n") ? s : s + "\n";
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static ServerSocket reachableHost() throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    socket.accept().close(); // reachable: accepted, then closed
                } catch (IOException e) {
                    // closed at exit
                }
            }
        }, "mandos-itest-reachable-host");
        accepting.setDaemon(true);
        accepting.start();
        return socket;
    }

    /** Removes what {@link #configuration()} made, once the test JVM ends (the framework has stopped by then). */
    private static void cleanUpAtExit(Path work) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                reachable.close();
                try (Stream<Path> paths = Files.walk(work)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            } catch (IOException e) {
                System.err.println("PluginChurnIT: could not remove " + work + ": " + e);
            }
        }, "mandos-itest-cleanup"));
    }

    // ---- everything below runs inside the framework, in the probe bundle ----

    @Test
    public void pluginsComeAndGoWhileTheRealClientFetches() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(PluginChurnIT.class).getBundleContext();
        Path keysA = Path.of(context.getProperty(KEYS_A));
        Path keysB = Path.of(context.getProperty(KEYS_B));
        Path checkerJar = Path.of(context.getProperty(CHECKER_JAR));

        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Dictionary<String, Object> listen = new Hashtable<>();
        listen.put("mandos.listen", Boolean.TRUE);
        ServiceRegistration<ServerSocketChannel> listening = context.registerService(ServerSocketChannel.class, channel, listen);
        String connect = "127.0.0.1:" + ((InetSocketAddress) channel.getLocalAddress()).getPort();

        ServiceTracker<ClientRegistry, ClientRegistry> registries = new ServiceTracker<>(context, ClientRegistry.class, null);
        registries.open();
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> admins = new ServiceTracker<>(context, ConfigurationAdmin.class, null);
        admins.open();
        try {
            ClientRegistry registry = registries.waitForService(WAIT.toMillis());
            assertTrue("the ClientRegistry service is there", registry != null);
            Poll.until("the server accepts connections", WAIT,
                    () -> reference(context, "(mandos.accepting=true)").isPresent());
            ClientStatus a = Poll.until("client A from clients.conf", WAIT, () -> registry.client("A"));
            assertTrue("A is enabled", a.enabled());
            assertFalse("A has not been checked yet: no checker of type " + CHECKER_TYPE, a.lastCheckedOk().isPresent());

            int fetched;
            try (FetchLoop loopA = FetchLoop.start(keysA, connect, PASSWORD_A, FETCH_LIMIT)) {
                fetched = loopA.awaitFetchAfter(-1, WAIT, "before any plugin");
                progress("served before any plugin", fetched);

                // The checker plugin: installed, checks A, updated, checks A again, uninstalled.
                Bundle checker = context.installBundle(checkerJar.toUri().toString());
                checker.start();
                Poll.until("a successful " + CHECKER_TYPE + " check of A", WAIT,
                        () -> registry.client("A").flatMap(ClientStatus::lastCheckedOk));
                fetched = loopA.awaitFetchAfter(fetched, WAIT, "after the checker plugin was installed");
                progress("checker plugin installed, A checked", fetched);

                long revisionBefore = checker.getLastModified();
                Instant updated = Instant.now();
                try (InputStream jar = Files.newInputStream(checkerJar)) {
                    checker.update(jar);
                }
                assertNotEquals("the bundle was updated", revisionBefore, checker.getLastModified());
                assertEquals("the updated checker plugin runs", Bundle.ACTIVE, checker.getState());
                Poll.until("a check of A by the updated checker plugin", WAIT, () -> registry.client("A")
                        .flatMap(ClientStatus::lastCheckedOk).filter(t -> t.isAfter(updated)));
                fetched = loopA.awaitFetchAfter(fetched, WAIT, "after the checker plugin was updated");
                progress("checker plugin updated, A checked again", fetched);

                checker.uninstall();
                Poll.until("no checker of type " + CHECKER_TYPE + " any more", WAIT, () -> reference(context,
                        "(&(objectClass=org.mandos.api.Checker)(mandos.checker.type=" + CHECKER_TYPE + "))").isEmpty());
                assertTrue("A stays enabled without its checker", registry.client("A").orElseThrow().enabled());
                fetched = loopA.awaitFetchAfter(fetched, WAIT, "after the checker plugin was uninstalled");
                progress("checker plugin uninstalled", fetched);

                // The store plugin: installed, configured, serves B, uninstalled; B is refused from then on.
                Bundle store = context.installBundle(Path.of(context.getProperty(STORE_JAR)).toUri().toString());
                store.start();
                ConfigurationAdmin admin = admins.waitForService(WAIT.toMillis());
                assertTrue("Configuration Admin is there", admin != null);
                // Location "?": bound to whichever bundle registers the PID (the store), not to the probe.
                org.osgi.service.cm.Configuration storeConfiguration = admin.getConfiguration(STORE_PID, "?");
                Dictionary<String, Object> properties = new Hashtable<>();
                properties.put("directory", context.getProperty(STORE_DIR));
                properties.put("name", STORE_NAME);
                storeConfiguration.update(properties);
                ClientStatus b = Poll.until("client B from the directory store", WAIT, () -> registry.client("B"));
                assertEquals("B's store", STORE_NAME, b.store());
                RealTools.Result servedB = RealTools.fetch(keysB, connect, FETCH_LIMIT);
                assertEquals("the real client gets B's password from the plugin store: " + servedB.stderr(),
                        PASSWORD_B, servedB.stdout());
                fetched = loopA.awaitFetchAfter(fetched, WAIT, "while the store plugin serves B");
                progress("store plugin installed and configured, B served", fetched);

                store.uninstall();
                Poll.until("B is gone with its store", WAIT, () -> registry.client("B").isEmpty());
                RealTools.Result refusedB = RealTools.fetch(keysB, connect, REFUSED_LIMIT);
                assertEquals("a client of the removed store gets nothing (its fetch runs out of time)",
                        "", refusedB.stdout());
                assertEquals("mandos-client was still trying when timeout ended it", 124, refusedB.exitCode());
                storeConfiguration.delete();
                fetched = loopA.awaitFetchAfter(fetched, WAIT, "after the store plugin was uninstalled");
                progress("store plugin uninstalled, B refused", fetched);

                loopA.stop();
                assertEquals("every fetch of A succeeded", List.of(), loopA.failures());
                assertTrue("several fetches of A during the churn: " + loopA.successes(), loopA.successes() >= 10);
                System.out.println("PluginChurnIT: " + loopA.successes() + " fetches of A by the real mandos-client, all served");
            }
        } finally {
            admins.close();
            registries.close();
            listening.unregister();
            channel.close();
        }
    }

    private static void progress(String step, int fetchesOfA) {
        System.out.println("PluginChurnIT: " + step + " (" + fetchesOfA + " fetches of A so far)");
    }

    private static Optional<ServiceReference<?>> reference(BundleContext context, String filter) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, filter);
            return refs == null ? Optional.empty() : Optional.of(refs[0]);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
