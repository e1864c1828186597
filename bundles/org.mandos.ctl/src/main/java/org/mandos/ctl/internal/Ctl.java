package org.mandos.ctl.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Consumer;

/** mandos-ctl's main program, with its streams and its bus given (for the tests). */
public final class Ctl {

    /** What {@code --check} says: the reference's self-tests are Python unit tests of its own code. */
    public static final String CHECK_NOTE = "mandos-ctl: --check: this mandos-ctl has no built-in self-tests"
            + " (its tests run when it is built); nothing to do";

    private final String version;
    private final int columns;
    private final InputStream stdin;
    private final PrintStream stdout;
    private final PrintStream stderr;
    private final Function<Consumer<String>, MandosBus> buses;

    /**
     * {@code columns} is the terminal width argparse would use; {@code buses} makes the bus, given the
     * {@code --debug} log (or null).
     */
    public Ctl(String version, int columns, InputStream stdin, PrintStream stdout, PrintStream stderr,
            Function<Consumer<String>, MandosBus> buses) {
        this.version = version;
        this.columns = columns;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.buses = buses;
    }

    /** Runs mandos-ctl with {@code args}; returns its exit status. */
    public int run(List<String> args) {
        try {
            return runOrFail(args);
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    private int runOrFail(List<String> args) {
        if (Arguments.selfTest(args)) {
            stderr.println(CHECK_NOTE);
            return 0;
        }
        Arguments options;
        try {
            options = Arguments.parse(args, version, stdin, stderr::println, columns);
        } catch (Arguments.UsageError e) {
            stdout.flush();
            stderr.print(Arguments.usage(columns));
            stderr.print(Arguments.PROG + ": error: " + e.getMessage() + "\n");
            return 2;
        } catch (Arguments.EarlyExit e) {
            stdout.print(e.stdout);
            return 0;
        }
        try (MandosBus bus = buses.apply(options.debug ? stderr::println : null)) {
            LinkedHashMap<String, Map<String, Object>> all;
            try {
                all = bus.clientsAndProperties();
            } catch (MandosBus.ConnectFailed e) {
                stderr.println("Could not connect to Mandos server: " + e.getMessage());
                return 1;
            } catch (MandosBus.BusError e) {
                stderr.println("Failed to access Mandos server through D-Bus:\n" + e.getMessage());
                return 1;
            }
            LinkedHashMap<String, Map<String, Object>> clients;
            if (options.clients.isEmpty()) {
                clients = all;
            } else {
                clients = new LinkedHashMap<>();
                for (String name : options.clients) {
                    Map.Entry<String, Map<String, Object>> found = all.entrySet().stream()
                            .filter(e -> name.equals(e.getValue().get("Name"))).findFirst().orElse(null);
                    if (found == null) {
                        stderr.println("Client not found on server: " + PythonText.repr(name));
                        return 1;
                    }
                    clients.put(found.getKey(), found.getValue());
                }
            }
            try {
                for (Command command : options.commandsToRun()) {
                    Integer exit = run(command, options, clients, bus);
                    if (exit != null) {
                        return exit;
                    }
                }
            } catch (MandosBus.ConnectFailed | MandosBus.BusError e) {
                stdout.flush();
                stderr.println("Failed to access Mandos server through D-Bus:\n" + e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    /** Runs one command on the selected clients; a non-null result ends the program with that status. */
    private Integer run(Command command, Arguments options, LinkedHashMap<String, Map<String, Object>> clients,
            MandosBus bus) throws MandosBus.ConnectFailed, MandosBus.BusError {
        switch (command.kind()) {
            case PRINT_TABLE -> stdout.println(Output.table(clients.values(), options.verbose));
            case DUMP_JSON -> stdout.println(Output.json(clients.values()));
            case IS_ENABLED -> {
                return clients.isEmpty() || !Boolean.TRUE.equals(clients.values().iterator().next().get("Enabled")) ? 1
                        : 0;
            }
            case REMOVE -> {
                for (String path : new ArrayList<>(clients.keySet())) {
                    bus.callServerMethod("RemoveClient", path);
                }
            }
            case APPROVE, DENY -> {
                for (String path : clients.keySet()) {
                    bus.callClientMethod(path, "Approve", command.valueToSet());
                }
            }
            default -> {
                for (String path : clients.keySet()) {
                    bus.setClientProperty(path, command.kind().property, command.valueToSet());
                }
            }
        }
        return null;
    }
}
