package org.mandos.shell.internal;

import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;

/** A real Gogo command processor with every command of {@link MandosCommands} over a registry. */
final class TestGogo implements AutoCloseable {

    static final List<String> FUNCTIONS = List.of("clients", "client", "enable", "disable", "approve", "deny", "bump",
            "timeout", "startchecker", "stopchecker", "remove", "reload", "plugins", "loglevel");

    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    final CommandProcessorImpl processor;

    TestGogo(FakeRegistry registry) {
        threadIo.start();
        processor = new CommandProcessorImpl(threadIo);
        MandosCommands commands = new MandosCommands(registry, () -> List.of("p"), null);
        for (String f : FUNCTIONS) {
            processor.addCommand("mandos", commands, f);
        }
    }

    @Override
    public void close() {
        processor.stop();
        threadIo.stop();
    }
}
