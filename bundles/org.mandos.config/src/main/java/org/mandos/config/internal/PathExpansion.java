package org.mandos.config.internal;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code os.path.expandvars} and {@code os.path.expanduser} (POSIX), which the reference
 * server applies, in that order, to {@code secfile}, but with the environment passed in.
 */
public final class PathExpansion {

    /** Python's {@code _varprog}, {@code \$(\w+|\{[^}]*\})} with ASCII {@code \w}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z0-9_]+|\\{[^}]*\\})");

    private PathExpansion() {
    }

    /**
     * Replaces {@code $NAME} and {@code ${NAME}} with their values in {@code env}; unknown
     * variables are left as they are, and substituted text is not scanned again.
     */
    public static String expandVars(String path, Map<String, String> env) {
        if (path.indexOf('$') < 0) {
            return path;
        }
        int i = 0;
        Matcher m = VARIABLE.matcher(path);
        while (m.find(i)) {
            String name = m.group(1);
            if (name.startsWith("{") && name.endsWith("}")) {
                name = name.substring(1, name.length() - 1);
            }
            String value = env.get(name);
            if (value == null) {
                i = m.end();
                continue;
            }
            String tail = path.substring(m.end());
            path = path.substring(0, m.start()) + value;
            i = path.length();
            path += tail;
            m = VARIABLE.matcher(path);
        }
        return path;
    }

    /**
     * Replaces a leading {@code ~} with {@code HOME} from {@code env} (or, if unset, the JVM
     * user's home directory) and a leading {@code ~user} with that user's home directory; an
     * unknown user leaves the path unchanged.
     */
    public static String expandUser(String path, Map<String, String> env, UserHomes homes) {
        if (!path.startsWith("~")) {
            return path;
        }
        int slash = path.indexOf('/', 1);
        int end = slash < 0 ? path.length() : slash;
        Optional<String> home;
        if (end == 1) {
            home = Optional.ofNullable(env.get("HOME")).or(() -> Optional.ofNullable(System.getProperty("user.home")));
        } else {
            home = homes.home(path.substring(1, end));
        }
        if (home.isEmpty()) {
            return path;
        }
        String expanded = stripTrailingSlashes(home.get()) + path.substring(end);
        return expanded.isEmpty() ? "/" : expanded;
    }

    private static String stripTrailingSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }
}
