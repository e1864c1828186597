package org.mandos.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.mandos.api.ClientRegistry;
import org.mandos.api.ClientStatus;
import org.mandos.api.ReloadOutcome;
import org.mandos.config.Durations;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The operator's commands, scope {@code mandos}, for Felix Gogo. Each one calls only the
 * {@link ClientRegistry} (and the framework, for {@code plugins}; the launcher's log-level service, for
 * {@code loglevel}), and returns a string or a list of strings for the shell to print. An unknown client
 * is an {@link IllegalArgumentException} naming it.
 */
@Component(service = MandosCommands.class, property = {
    "osgi.command.scope=mandos",
    "osgi.command.function=clients",
    "osgi.command.function=client",
    "osgi.command.function=enable",
    "osgi.command.function=disable",
    "osgi.command.function=approve",
    "osgi.command.function=deny",
    "osgi.command.function=bump",
    "osgi.command.function=timeout",
    "osgi.command.function=startchecker",
    "osgi.command.function=stopchecker",
    "osgi.command.function=remove",
    "osgi.command.function=reload",
    "osgi.command.function=plugins",
    "osgi.command.function=loglevel"
})
public final class MandosCommands {

    /** The service filter of the launcher's log-level setter (a {@code BiConsumer<String, String>}). */
    static final String LOGLEVEL_TARGET = "(mandos.loglevel=true)";

    private final ClientRegistry registry;
    private final Supplier<List<String>> plugins;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = LOGLEVEL_TARGET)
    private volatile BiConsumer<String, String> logLevels;

    @Activate
    public MandosCommands(@Reference ClientRegistry registry, BundleContext context) {
        this(registry, () -> Plugins.describe(context), null);
    }

    MandosCommands(ClientRegistry registry, Supplier<List<String>> plugins, BiConsumer<String, String> logLevels) {
        this.registry = registry;
        this.plugins = plugins;
        this.logLevels = logLevels;
    }

    /** A table of every client, in lookup order. */
    public String clients() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ENABLED", "EXPIRES", "LAST CHECKED OK", "CHECKER", "APPROVAL"});
        for (ClientStatus c : registry.clients()) {
            rows.add(new String[] {c.name(), yesNo(c.enabled()), time(c.expires()), time(c.lastCheckedOk()),
                c.checkerRunning() ? "running" : "-", c.approvalPending() ? "pending" : "-"});
        }
        if (rows.size() == 1) {
            return "no clients";
        }
        return table(rows);
    }

    /** Every property of one client, one per line. */
    public String client(String name) {
        ClientStatus c = status(name);
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("name", c.name());
        p.put("enabled", yesNo(c.enabled()));
        p.put("key_id", c.keyId());
        p.put("fingerprint", c.fingerprint());
        p.put("host", c.host());
        p.put("store", c.store());
        p.put("approval_pending", yesNo(c.approvalPending()));
        p.put("created", time(Optional.of(c.created())));
        p.put("last_enabled", time(c.lastEnabled()));
        p.put("last_checked_ok", time(c.lastCheckedOk()));
        p.put("expires", time(c.expires()));
        p.put("timeout", String.valueOf(c.timeout()));
        p.put("interval", String.valueOf(c.interval()));
        p.put("checker_running", yesNo(c.checkerRunning()));
        p.put("last_checker_status", c.lastCheckerStatus() == -2 ? "none"
                : c.lastCheckerStatus() == -1 ? "killed" : Integer.toString(c.lastCheckerStatus()));
        int width = p.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder();
        p.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(pad(k + ":", width + 1)).append(' ').append(v == null || v.isEmpty() ? "-" : v);
        });
        return out.toString();
    }

    public String enable(String name) {
        return done(registry.enable(name), name, "enabled");
    }

    public String disable(String name) {
        return done(registry.disable(name), name, "disabled");
    }

    public String approve(String name) {
        return done(registry.approve(name, true), name, "approved (every connection waiting now)");
    }

    public String deny(String name) {
        return done(registry.approve(name, false), name, "denied (every connection waiting now)");
    }

    /** Records a successful check now: the client's timeout starts again. */
    public String bump(String name) {
        return done(registry.checkedOk(name), name, "checked OK now");
    }

    /** Changes a client's timeout: {@code PT1H}, {@code 1h}, {@code 5m30s}, … */
    public String timeout(String name, String duration) {
        Duration d = Durations.parse(duration);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive: " + duration);
        }
        return done(registry.setTimeout(name, d), name, "timeout " + d);
    }

    public String startchecker(String name) {
        return done(registry.startChecker(name), name, "checker started");
    }

    public String stopchecker(String name) {
        return done(registry.stopChecker(name), name, "checker stopped");
    }

    /**
     * Removes a client from the running server (as {@code mandos-ctl -r}): it stays removed, across
     * reloads and restarts, until its store gives it a new key or secret, or stops defining it.
     */
    public String remove(String name) {
        return done(registry.remove(name), name, "removed (until its key or secret changes in its store)");
    }

    /** Reloads every reloadable client store (what SIGHUP does): one line per store. */
    public List<String> reload() {
        List<String> lines = new ArrayList<>();
        for (ReloadOutcome o : registry.reload()) {
            lines.add(o.store() + ": " + (!o.ok() ? "rejected: " + o.error() : o.changed() ? "changed" : "unchanged"));
        }
        if (lines.isEmpty()) {
            lines.add("no reloadable client stores");
        }
        return lines;
    }

    /** The plugin bundles and the bundles offering checkers, client stores and announcers. */
    public List<String> plugins() {
        return plugins.get();
    }

    /** Sets a logger's level ({@code ROOT} or a name like {@code org.mandos.core}) in the server's log. */
    public String loglevel(String logger, String level) {
        BiConsumer<String, String> setter = logLevels;
        if (setter == null) {
            throw new IllegalStateException("log levels cannot be changed here (no mandos.loglevel service)");
        }
        setter.accept(logger, level);
        return logger + ": " + level.toUpperCase(java.util.Locale.ROOT);
    }

    private ClientStatus status(String name) {
        return registry.client(name).orElseThrow(() -> unknown(name));
    }

    private static String done(boolean known, String name, String what) {
        if (!known) {
            throw unknown(name);
        }
        return name + ": " + what;
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("no client named \"" + name + "\"");
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    static String time(Optional<Instant> t) {
        return t.map(i -> i.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-");
    }

    static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            if (out.length() > 0) {
                out.append('\n');
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            out.append(line.toString().stripTrailing());
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
