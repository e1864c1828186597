package org.mandos.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.shell.client.ShellClientAccess;

/** The commands through a real Gogo command processor, on the Unix-domain socket. */
class ShellSocketTest {

    @TempDir
    Path statedir;

    private final FakeRegistry registry = new FakeRegistry().add("alpha", true).add("beta", false);
    private TestGogo gogo;
    private CommandProcessorImpl processor;

    @BeforeEach
    void gogo() {
        gogo = new TestGogo(registry);
        processor = gogo.processor;
    }

    @AfterEach
    void stop() {
        gogo.close();
    }

    @Test
    void aSessionRunsCommandsUntilExit() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String input = "clients\ndisable alpha\nclient alpha\nenable beta\nclient nobody\nnosuch\nexit\nclients\n";
        ShellSession.run(processor, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("NAME"), text);
        assertTrue(text.contains("alpha: disabled"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("(mandos> )*enabled: +no")), text);
        assertTrue(text.contains("beta: enabled"), text);
        assertTrue(text.contains("Error: no client named \"nobody\""), text);
        assertTrue(text.contains("Error: "), text);
        assertEquals(1, text.split("NAME", -1).length - 1, "nothing runs after exit: " + text);
        assertFalse(registry.clients.get("alpha").enabled());
    }

    /** Felix SCR's Gogo commands (scr:enable, scr:disable) must not shadow ours. */
    public static final class OtherScope {
        public String enable(String name) {
            return "the other enable";
        }
    }

    @Test
    void ourScopeComesFirst() throws Exception {
        processor.addCommand("scr", new OtherScope(), "enable");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShellSession.run(processor, new ByteArrayInputStream("enable beta\nscr:enable x\ntimeout alpha \"5m 30s\"\n".getBytes(StandardCharsets.UTF_8)), out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("alpha: timeout PT5M30S"), "a quoted duration is one argument: " + text);
        assertTrue(text.contains("beta: enabled"), text);
        assertTrue(text.contains("the other enable"), text);
    }

    @Test
    void theSocketIsOwnerOnlyAndServesSessions() throws Exception {
        Path path = statedir.resolve("shell.sock");
        ShellSocket socket = new ShellSocket(processor, path);
        try {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            // only the socket is left: the private staging directory is gone
            try (java.util.stream.Stream<Path> files = Files.list(statedir)) {
                assertEquals(List.of("shell.sock"), files.map(p -> p.getFileName().toString()).toList());
            }
            String text = converse(path, "disable alpha\nclient alpha\nexit\n");
            assertTrue(text.contains("alpha: disabled"), text);
            assertTrue(text.lines().anyMatch(l -> l.matches("(mandos> )*enabled: +no")), text);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = ShellClientAccess.run(new String[] {"--statedir", statedir.toString(), "enable", "alpha"},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, status);
            assertEquals("alpha: enabled\n", out.toString(StandardCharsets.UTF_8));
            ByteArrayOutputStream failed = new ByteArrayOutputStream();
            assertEquals(2, ShellClientAccess.run(new String[] {"--socket", path.toString(), "client", "nobody"},
                    new PrintStream(failed, true, StandardCharsets.UTF_8)), "an error answer is exit status 2");
            assertEquals("Error: no client named \"nobody\"\n", failed.toString(StandardCharsets.UTF_8));
            assertEquals(1, ShellClientAccess.run(new String[] {"--socket", statedir.resolve("none").toString(),
                "clients"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        } finally {
            socket.close();
        }
        assertFalse(Files.exists(path), "the socket is removed when the component stops");
    }

    private static String converse(Path path, String input) throws Exception {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(path));
            c.write(ByteBuffer.wrap(input.getBytes(StandardCharsets.UTF_8)));
            c.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (c.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
