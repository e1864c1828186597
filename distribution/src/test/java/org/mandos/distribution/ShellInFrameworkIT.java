package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The shell in a real framework: Felix + SCR + Gogo runtime + every org.mandos bundle of the
 * distribution; each command runs through Gogo's CommandProcessor (reached by reflection: its types live
 * in the Gogo bundle).
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ShellInFrameworkIT {

    private static InFrameworkServer server;
    private static Path statedir;
    private static Object session;
    private static final List<String> levels = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        statedir = TestFiles.newWritableDirectory("mandos-shell-st-");
        server = InFrameworkServer.start(Installation.home().resolve("demo/conf"), statedir);
        BundleContext context = server.bundleContext();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("mandos.loglevel", Boolean.TRUE);
        BiConsumer<String, String> setter = (logger, level) -> levels.add(logger + "=" + level);
        context.registerService(BiConsumer.class.getName(), setter, props);
        ServiceReference<?> ref = null;
        for (int i = 0; i < 100 && ref == null; i++) {
            // All references: the test class path has its own copy of the Gogo API (a distribution
            // dependency), which the framework's class-space check would reject.
            ServiceReference<?>[] refs = context.getAllServiceReferences(
                    "org.apache.felix.service.command.CommandProcessor", null);
            ref = refs == null ? null : refs[0];
            if (ref == null) {
                Thread.sleep(100);
            }
        }
        assertNotNull(ref, "Gogo's CommandProcessor is registered");
        Object processor = context.getService(ref);
        Class<?> type = ref.getBundle().loadClass("org.apache.felix.service.command.CommandProcessor");
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        session = type.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class)
                .invoke(processor, new ByteArrayInputStream(new byte[0]), sink, sink);
        // As the shell's sessions do: our scope first (Felix SCR has its own enable/disable commands).
        session.getClass().getMethod("put", String.class, Object.class).invoke(session, "SCOPE", "mandos:*");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Runs one command line through Gogo; returns the result as text, or "Error: message". */
    private static String run(String line) throws Exception {
        try {
            Object result = session.getClass().getMethod("execute", CharSequence.class).invoke(session, line);
            return result instanceof List<?> list ? String.join("\n", list.stream().map(String::valueOf).toList())
                    : String.valueOf(result);
        } catch (InvocationTargetException e) {
            return "Error: " + e.getCause().getMessage();
        }
    }

    @Test
    void clientsListsTheDemoClients() throws Exception {
        String table = run("clients");
        assertTrue(table.startsWith("NAME"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("demo +yes .*")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("demo-disabled +no .*")), table);
    }

    @Test
    void clientCommandsChangeTheRegistry() throws Exception {
        assertTrue(run("client demo-disabled").lines().anyMatch(l -> l.matches("enabled: +no")));
        assertEquals("demo-disabled: enabled", run("enable demo-disabled"));
        assertEquals(Boolean.TRUE, server.status("demo-disabled", "enabled"));
        assertEquals("demo-disabled: disabled", run("mandos:disable demo-disabled"));
        assertEquals(Boolean.FALSE, server.status("demo-disabled", "enabled"));
        assertTrue(run("approve demo-disabled").startsWith("demo-disabled: approved"));
        assertTrue(run("deny demo-disabled").startsWith("demo-disabled: denied"));
        assertEquals("demo-disabled: checked OK now", run("bump demo-disabled"));
        assertTrue(server.status("demo-disabled", "lastCheckedOk") instanceof java.util.Optional<?> o && o.isPresent());
        assertEquals("demo-disabled: timeout PT2H", run("timeout demo-disabled 2h"));
        assertEquals(java.time.Duration.ofHours(2), server.status("demo-disabled", "timeout"));
        assertEquals("demo-disabled: checker started", run("startchecker demo-disabled"));
        assertEquals("demo-disabled: checker stopped", run("stopchecker demo-disabled"));
        assertTrue(run("client demo-disabled").lines().anyMatch(l -> l.matches("timeout: +PT2H")));
    }

    @Test
    void unknownClientsAndCommandsAreErrors() throws Exception {
        assertEquals("Error: no client named \"nobody\"", run("client nobody"));
        assertEquals("Error: no client named \"nobody\"", run("disable nobody"));
        assertTrue(run("frobnicate").startsWith("Error: "));
    }

    @Test
    void reloadReportsEachStore() throws Exception {
        assertEquals("clients.conf: unchanged", run("reload"));
    }

    @Test
    void pluginsShowsTheBundlesOfferingPluginServices() throws Exception {
        String text = run("plugins");
        assertTrue(text.contains("org.mandos.store.file"), text);
        assertTrue(text.contains("ClientStore mandos.store.name=clients.conf"), text);
        assertTrue(text.contains("org.mandos.checker.shell"), text);
        assertTrue(text.contains("Checker mandos.checker.type=shell"), text);
        assertTrue(text.contains("[ACTIVE]"), text);
    }

    @Test
    void loglevelCallsTheLaunchersService() throws Exception {
        assertEquals("org.mandos.core: DEBUG", run("loglevel org.mandos.core debug"));
        assertTrue(levels.contains("org.mandos.core=debug"), levels.toString());
    }

    /** Last: the other tests use demo-disabled. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void removeTakesTheClientOutAndAReloadDoesNotBringItBack() throws Exception {
        assertTrue(run("remove demo-disabled").startsWith("demo-disabled: removed"), run("clients"));
        assertFalse(run("clients").contains("demo-disabled"));
        assertEquals("Error: no client named \"demo-disabled\"", run("client demo-disabled"));
        assertEquals("clients.conf: unchanged", run("reload"));
        assertFalse(run("clients").contains("demo-disabled"));
        assertEquals("Error: no client named \"demo-disabled\"", run("remove demo-disabled"));
    }

    @Test
    void theShellSocketIsOwnerOnly() throws Exception {
        Path socket = statedir.resolve("shell.sock");
        assertTrue(Files.exists(socket));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }
}
