package org.mandos.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mandos.api.ReloadOutcome;

class MandosCommandsTest {

    private final FakeRegistry registry = new FakeRegistry().add("alpha", true).add("beta", false);
    private final List<String> levels = new ArrayList<>();
    private final MandosCommands commands = new MandosCommands(registry, () -> List.of("plugin line"),
            (logger, level) -> levels.add(logger + "=" + level));

    @Test
    void clientsIsATableInLookupOrder() {
        String[] lines = commands.clients().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("NAME"), lines[0]);
        assertTrue(lines[0].contains("ENABLED") && lines[0].contains("EXPIRES") && lines[0].contains("LAST CHECKED OK")
                && lines[0].contains("CHECKER") && lines[0].contains("APPROVAL"), lines[0]);
        assertTrue(lines[1].matches("alpha +yes +2026-01-02T03:09:05Z +- +- +-"), lines[1]);
        assertTrue(lines[2].matches("beta +no +- +- +- +-"), lines[2]);
    }

    @Test
    void clientsWithNoClients() {
        assertEquals("no clients", new MandosCommands(new FakeRegistry(), List::of, null).clients());
    }

    @Test
    void clientShowsEveryProperty() {
        String text = commands.client("alpha");
        for (String expected : List.of("name:", "enabled:", "key_id:", "fingerprint:", "host:", "store:",
                "approval_pending:", "created:", "last_enabled:", "last_checked_ok:", "expires:", "timeout:",
                "interval:", "checker_running:", "last_checker_status:")) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith(expected)), expected + " in\n" + text);
        }
        assertTrue(text.lines().anyMatch(l -> l.matches("enabled: +yes")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("host: +alpha.example")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("timeout: +PT5M")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("last_checker_status: +none")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("created: +2026-01-02T03:04:05Z")), text);
    }

    @Test
    void eachClientCommandCallsTheRegistry() {
        assertEquals("beta: enabled", commands.enable("beta"));
        assertEquals("alpha: disabled", commands.disable("alpha"));
        assertTrue(commands.approve("alpha").startsWith("alpha: approved"));
        assertTrue(commands.deny("alpha").startsWith("alpha: denied"));
        assertEquals("alpha: checked OK now", commands.bump("alpha"));
        assertEquals("alpha: timeout PT2H", commands.timeout("alpha", "2h"));
        assertEquals("alpha: timeout PT10M", commands.timeout("alpha", "PT10M"));
        assertEquals("alpha: checker started", commands.startchecker("alpha"));
        assertEquals("alpha: checker stopped", commands.stopchecker("alpha"));
        assertEquals(List.of("enable beta", "disable alpha", "approve true alpha", "approve false alpha",
                "checkedOk alpha", "setTimeout PT2H alpha", "setTimeout PT10M alpha", "startChecker alpha",
                "stopChecker alpha"), registry.calls);
        assertTrue(registry.clients.get("beta").enabled());
        assertFalse(registry.clients.get("alpha").enabled());
    }

    @Test
    void removeCallsTheRegistryAndTheClientIsGone() {
        assertTrue(commands.remove("beta").startsWith("beta: removed"));
        assertEquals(List.of("remove beta"), registry.calls);
        assertFalse(commands.clients().contains("beta"));
    }

    @Test
    void anUnknownClientIsAClearError() {
        List<Function<String, String>> all = List.of(commands::client, commands::enable, commands::disable,
                commands::approve, commands::deny, commands::bump, n -> commands.timeout(n, "5m"),
                commands::startchecker, commands::stopchecker, commands::remove);
        for (Function<String, String> command : all) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> command.apply("nobody"));
            assertEquals("no client named \"nobody\"", e.getMessage());
        }
    }

    @Test
    void aBadTimeoutIsRejectedBeforeTheRegistry() {
        assertThrows(IllegalArgumentException.class, () -> commands.timeout("alpha", "soon"));
        assertThrows(IllegalArgumentException.class, () -> commands.timeout("alpha", "0s"));
        assertTrue(registry.calls.isEmpty());
    }

    @Test
    void reloadPrintsEachOutcome() {
        registry.outcomes = List.of(new ReloadOutcome("clients.conf", true, ""),
                new ReloadOutcome("directory", false, ""), new ReloadOutcome("other", false, "line 3: bad"));
        assertEquals(List.of("clients.conf: changed", "directory: unchanged", "other: rejected: line 3: bad"),
                commands.reload());
        registry.outcomes = List.of();
        assertEquals(List.of("no reloadable client stores"), commands.reload());
    }

    @Test
    void pluginsComesFromTheFramework() {
        assertEquals(List.of("plugin line"), commands.plugins());
    }

    @Test
    void loglevelCallsTheLaunchersService() {
        assertEquals("org.mandos.core: DEBUG", commands.loglevel("org.mandos.core", "debug"));
        assertEquals(List.of("org.mandos.core=debug"), levels);
        MandosCommands without = new MandosCommands(registry, List::of, null);
        assertThrows(IllegalStateException.class, () -> without.loglevel("ROOT", "INFO"));
    }
}
