package org.mandos.sample.store.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientStore;
import org.mandos.api.ReloadableClientStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The OSGi side, with a fake BundleContext: registration, GENERATION, reconfiguration, the watcher. */
class DirectoryClientStoreTest {

    @TempDir
    Path root;

    /** One registerService call and what happened to it since. */
    static final class Registration {
        final List<String> classes;
        final Object service;
        final List<Map<String, Object>> properties = Collections.synchronizedList(new ArrayList<>());
        volatile boolean unregistered;

        Registration(String[] classes, Object service, Dictionary<String, ?> properties) {
            this.classes = List.of(classes);
            this.service = service;
            this.properties.add(copy(properties));
        }

        Map<String, Object> current() {
            return properties.get(properties.size() - 1);
        }

        Object generation() {
            return current().get(ClientStore.GENERATION);
        }
    }

    private final List<Registration> registrations = Collections.synchronizedList(new ArrayList<>());
    private final List<DirectoryClientStore> started = new ArrayList<>();

    @AfterEach
    void deactivateAll() {
        started.forEach(DirectoryClientStore::deactivate);
    }

    private static Map<String, Object> copy(Dictionary<String, ?> d) {
        Map<String, Object> m = new HashMap<>();
        for (var keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            m.put(k, d.get(k));
        }
        return m;
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] instanceof String[] classes) {
                        @SuppressWarnings("unchecked")
                        Registration r = new Registration(classes, args[1], (Dictionary<String, ?>) args[2]);
                        registrations.add(r);
                        return registration(r);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ServiceRegistration<?> registration(Registration r) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(DirectoryClientStoreTest.class.getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setProperties" -> {
                            if (r.unregistered) {
                                throw new IllegalStateException("unregistered");
                            }
                            @SuppressWarnings("unchecked")
                            Dictionary<String, ?> d = (Dictionary<String, ?>) args[0];
                            r.properties.add(copy(d));
                            return null;
                        }
                        case "unregister" -> {
                            if (r.unregistered) {
                                throw new IllegalStateException("already unregistered");
                            }
                            r.unregistered = true;
                            return null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** A configuration as Configuration Admin and DS would supply it. */
    static DirectoryStoreConfig config(String directory, String name, long settleMillis) {
        Map<String, Object> values = new HashMap<>();
        values.put("directory", directory);
        values.put("name", name);
        values.put("settle__millis", settleMillis);
        return (DirectoryStoreConfig) Proxy.newProxyInstance(DirectoryClientStoreTest.class.getClassLoader(),
                new Class<?>[] {DirectoryStoreConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> DirectoryStoreConfig.class;
                    case "toString" -> values.toString();
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.get(method.getName());
                });
    }

    /** Started without a watcher: reload() is called directly, so nothing depends on timing. */
    private DirectoryClientStore start(DirectoryStoreConfig config) throws IOException {
        return start(config, 0);
    }

    private DirectoryClientStore start(DirectoryStoreConfig config, long recheckMillis) throws IOException {
        DirectoryClientStore store = new DirectoryClientStore(context(), config,
                new ClientFileParser(Map.of(), root.resolve("passwd")), recheckMillis);
        started.add(store);
        return store;
    }

    private static void write(Path dir, String name, String keyId) throws IOException {
        Files.writeString(dir.resolve(name + ".conf"), "key_id = " + keyId + "\nsecret = aGk=\n");
    }

    @Test
    void registersAsAReloadableClientStoreWithNameAndGeneration() throws Exception {
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        write(dir, "web", "AA");
        DirectoryClientStore store = start(config(dir.toString(), "directory", 300));
        assertEquals(1, registrations.size());
        Registration r = registrations.get(0);
        assertSame(store, r.service);
        assertEquals(List.of(ClientStore.class.getName(), ReloadableClientStore.class.getName()), r.classes);
        assertEquals(Map.of(ClientStore.NAME, "directory", ClientStore.GENERATION, 0L), r.current());
        assertEquals(List.of("web"), store.clients().stream().map(ClientDefinition::name).toList());

        store.deactivate();
        assertTrue(r.unregistered);
    }

    @Test
    void generationChangesOnlyOnRealChanges() throws Exception {
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        write(dir, "web", "AA");
        DirectoryClientStore store = start(config(dir.toString(), "mine", 300));
        Registration r = registrations.get(0);

        assertFalse(store.reload());
        assertEquals(1, r.properties.size(), "no announcement without a change");

        write(dir, "db", "BB");
        assertTrue(store.reload());
        assertEquals(2, r.properties.size());
        assertEquals(1L, r.generation());
        assertEquals("mine", r.current().get(ClientStore.NAME));

        Files.writeString(dir.resolve("db.conf"), "key_id = BB\nsecret = aGk=\n# only a comment more\n");
        Files.writeString(dir.resolve("web.conf~"), "leftover");
        assertFalse(store.reload());
        Files.writeString(dir.resolve("db.conf"), "key_id = BB\nsecret = not base64!\n"); // broken: db stays
        assertFalse(store.reload());
        assertEquals(1L, r.generation());
        assertEquals(2, store.clients().size());

        Files.delete(dir.resolve("db.conf"));
        assertTrue(store.reload());
        assertEquals(2L, r.generation());
        assertEquals(3, r.properties.size());
        assertEquals(2L, store.generation());
    }

    @Test
    void aMissingDirectoryStartsEmptyAndIsPickedUpByReload() throws Exception {
        Path dir = root.resolve("later");
        DirectoryClientStore store = start(config(dir.toString(), "directory", 300));
        Registration r = registrations.get(0);
        assertEquals(List.of(), store.clients());
        assertEquals(0L, r.generation());

        IOException e = assertThrows(IOException.class, store::reload);
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());

        Files.createDirectory(dir);
        write(dir, "web", "AA");
        assertTrue(store.reload());
        assertEquals(1L, r.generation());
        assertEquals(1, store.clients().size());
    }

    @Test
    void aNewDirectoryIsReadAtOnceAndANewNameReRegisters() throws Exception {
        Path one = Files.createDirectory(root.resolve("one"));
        Path two = Files.createDirectory(root.resolve("two"));
        write(one, "a", "AA");
        write(two, "b", "BB");
        DirectoryClientStore store = start(config(one.toString(), "directory", 300));
        Registration first = registrations.get(0);

        store.modified(config(one.toString(), "directory", 300)); // the same: nothing happens
        assertEquals(1, first.properties.size());

        store.modified(config(two + "/", "directory", 100));
        assertEquals(List.of("b"), store.clients().stream().map(ClientDefinition::name).toList());
        assertEquals(1L, first.generation());

        store.modified(config("relative/path", "directory", 100)); // rejected: the old configuration stays
        assertEquals(List.of("b"), store.clients().stream().map(ClientDefinition::name).toList());

        int heardByFirst = first.properties.size();
        store.modified(config(two.toString(), "renamed", 100));
        assertTrue(first.unregistered);
        assertEquals(2, registrations.size());
        Registration second = registrations.get(1);
        assertNotSame(first, second);
        assertEquals("renamed", second.current().get(ClientStore.NAME));
        assertFalse(second.unregistered);

        write(two, "c", "CC");
        assertTrue(store.reload());
        assertEquals(2, second.properties.size());
        assertEquals(heardByFirst, first.properties.size(), "the old registration hears nothing more");
    }

    @Test
    void invalidConfigurations() {
        for (DirectoryStoreConfig bad : List.of(config("relative", "directory", 300), config(null, "directory", 300),
                config(" ", "directory", 300), config(root.toString(), " ", 300), config(root.toString(), "d", -1))) {
            assertThrows(IllegalArgumentException.class, () -> start(bad), bad.toString());
        }
        assertEquals(List.of(), registrations);
    }

    @Test
    void theWatcherAnnouncesAChangeAndStopsOnDeactivate() throws Exception {
        Path dir = root.resolve("watched");
        DirectoryClientStore store = start(config(dir.toString(), "directory", 50), 100);
        Registration r = registrations.get(0);
        // the directory appears, then a client file in it
        Files.createDirectory(dir);
        write(dir, "web", "AA");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (store.clients().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of("web"), store.clients().stream().map(ClientDefinition::name).toList());
        assertTrue((Long) r.generation() >= 1L);

        store.deactivate();
        started.remove(store);
        assertTrue(r.unregistered);
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("mandos-directory-store-watch") && t.isAlive()));
    }
}
