package org.mandos.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConsoleShellSettingTest {

    @Test
    void onlyInTheForegroundOnATerminalUnlessToldOtherwise() {
        assertTrue(Main.consoleShell(true, null, true));
        assertFalse(Main.consoleShell(true, null, false), "no terminal: stdin is /dev/null, a pipe or --socket");
        assertFalse(Main.consoleShell(false, null, true), "never in the background");
        assertFalse(Main.consoleShell(false, "true", true), "never in the background");
        assertTrue(Main.consoleShell(true, "true", false));
        assertFalse(Main.consoleShell(true, "false", true));
    }
}
