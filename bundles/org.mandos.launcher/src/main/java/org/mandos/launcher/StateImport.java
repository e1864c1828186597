package org.mandos.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mandos.config.ClientSettings;
import org.mandos.config.ClientsFile;
import org.mandos.state.ClientState;
import org.mandos.state.ConfiguredClient;
import org.mandos.state.ReferenceStateImport;
import org.mandos.state.StateFile;

/**
 * {@code mandos --import-state FILE}: converts the reference server's {@code clients.pickle} to
 * {@code <statedir>/clients.json} once, then exits. The imported runtime state is saved with the
 * reference's own configuration snapshot ({@code client_settings}), so the next start merges it with
 * the current clients.conf exactly as a restart of the reference would: a setting edited in
 * clients.conf since then wins, otherwise the run-time value (e.g. a client disabled by a failed
 * checker) is kept.
 */
final class StateImport {

    private StateImport() {
    }

    static int run(Path pickle, Path statedir, ClientsFile clients, PrintStream out) throws StartupError {
        Path target = statedir.resolve(StateFile.FILE_NAME);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new StartupError(target + " already exists: refusing to overwrite this server's state"
                    + " (move it away first to import " + pickle + ")");
        }
        ReferenceStateImport.Imported imported;
        try {
            imported = ReferenceStateImport.load(pickle);
        } catch (IOException e) {
            throw new StartupError(e.getMessage());
        }
        Set<String> configured = new LinkedHashSet<>();
        for (ClientSettings c : clients.clients()) {
            configured.add(c.name());
        }
        List<ConfiguredClient> snapshot = new ArrayList<>(imported.configAtSave());
        try {
            StateFile.save(statedir, imported.clients(), snapshot);
        } catch (IOException | RuntimeException e) {
            throw new StartupError("cannot write " + target + ": " + e.getMessage());
        }
        Set<String> imports = new LinkedHashSet<>();
        for (ClientState s : imported.clients()) {
            imports.add(s.name());
            out.println(line(s, configured.contains(s.name())));
        }
        for (String name : configured) {
            if (!imports.contains(name)) {
                out.println(name + ": not in " + pickle.getFileName() + ", starts from clients.conf");
            }
        }
        out.println("Imported " + imported.clients().size() + " client(s) from " + pickle + " into " + target);
        return 0;
    }

    static String line(ClientState s, boolean inConfig) {
        StringBuilder b = new StringBuilder(s.name()).append(": ").append(s.enabled() ? "enabled" : "disabled");
        b.append(", last checked OK ").append(time(s.lastCheckedOk()));
        b.append(", last checker status ").append(status(s.lastCheckerStatus()));
        if (s.enabled()) {
            b.append(", expires ").append(time(s.expires()));
        }
        if (!inConfig) {
            b.append(" (not in clients.conf: dropped at the next start)");
        }
        return b.toString();
    }

    private static String time(Instant t) {
        return t == null ? "never" : t.toString();
    }

    private static String status(int status) {
        return switch (status) {
            case ClientState.STATUS_NONE -> "none";
            case ClientState.STATUS_SIGNAL -> "killed by a signal";
            default -> Integer.toString(status);
        };
    }
}
