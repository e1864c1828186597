package org.mandos.shell.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console shell: commands from standard input, results on standard output, which stay open. */
class ConsoleShellTest {

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
    void runsCommandsFromTheInputAndLeavesTheStreamsOpen() throws Exception {
        AtomicBoolean inClosed = new AtomicBoolean();
        InputStream in = new ByteArrayInputStream("clients\ndisable alpha\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() throws IOException {
                inClosed.set(true);
            }
        };
        AtomicBoolean outClosed = new AtomicBoolean();
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                outClosed.set(true);
            }
        };
        ConsoleShell shell = new ConsoleShell(processor, true, in, out);
        shell.thread().join(30_000);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("mandos> "), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("(mandos> )?alpha +yes .*")), text);
        assertTrue(text.contains("alpha: disabled"), text);
        assertFalse(registry.clients.get("alpha").enabled());
        assertFalse(inClosed.get(), "standard input is not closed");
        assertFalse(outClosed.get(), "standard output is not closed");
        shell.close();
    }

    @Test
    void offUnlessTheLauncherAsks() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleShell shell = new ConsoleShell(processor, false, new ByteArrayInputStream(new byte[0]), out);
        assertNull(shell.thread());
        assertTrue(out.size() == 0);
    }
}
