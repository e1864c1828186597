package org.mandos.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * §2.2 secfile: Python's {@code os.path.expandvars} then {@code os.path.expanduser}. Expected
 * values were taken from Python 3.11 with the same environment.
 */
class PathExpansionTest {

    private static final Map<String, String> ENV = Map.of("A", "x", "B", "$A", "HOME", "/home/me");

    private static final UserHomes USERS = user -> user.equals("root") ? Optional.of("/root") : Optional.empty();

    private static String expand(String path) {
        return PathExpansion.expandUser(PathExpansion.expandVars(path, ENV), ENV, USERS);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "$A/y|x/y", "${A}y|xy", "$Ay|$Ay", "${}|${}", "${A|${A", "$|$", "$$A|$x", "a$A$A|axx",
        "${a b}|${a b}", "$NOPE-$A|$NOPE-x", "$1|$1", "/plain/path|/plain/path",
    })
    void variablesAreExpandedAndUnknownOnesLeftAlone(String path, String expected) {
        assertEquals(expected, expand(path));
    }

    @Test
    void substitutedTextIsNotExpandedAgain() {
        assertEquals("$A", expand("$B"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "~|/home/me", "~/x|/home/me/x", "~/|/home/me/", "~root|/root", "~root/x|/root/x",
        "~nosuchuser/x|~nosuchuser/x", "x/~|x/~", "$HOME/~|/home/me/~",
    })
    void aLeadingTildeIsAHomeDirectory(String path, String expected) {
        assertEquals(expected, expand(path));
    }

    @Test
    void aHomeOfSlashDoesNotDoubleTheSlash() {
        Map<String, String> env = Map.of("HOME", "/");
        assertEquals("/", PathExpansion.expandUser("~", env, USERS));
        assertEquals("/x", PathExpansion.expandUser("~/x", env, USERS));
        assertEquals("/home/me/x", PathExpansion.expandUser("~/x", Map.of("HOME", "/home/me/"), USERS));
    }

    @Test
    void withoutHomeTheJvmUsersHomeIsUsed() {
        assertEquals(System.getProperty("user.home").replaceAll("/+$", "") + "/x",
                PathExpansion.expandUser("~/x", Map.of(), USERS));
    }

    @Test
    void usersAreLookedUpInAPasswdFile(@TempDir Path dir) throws IOException {
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\n"
                + "_mandos:x:108:113::/nonexistent:/usr/sbin/nologin\nbroken line\n");
        PasswdFile users = new PasswdFile(passwd);
        assertEquals(Optional.of("/nonexistent"), users.home("_mandos"));
        assertEquals(Optional.empty(), users.home("nobody-here"));
        assertEquals(Optional.empty(), new PasswdFile(dir.resolve("missing")).home("root"));
    }
}
