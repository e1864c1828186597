package org.mandos.ctl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The command line of mandos-ctl, read the way the reference's Python {@code argparse} reads it (same
 * options, abbreviations of long options, combined short options, {@code -tVALUE}, {@code --opt=VALUE},
 * {@code --}, and the same error messages), followed by the reference's extra rules.
 *
 * <p>Errors are {@link UsageError}s (the caller prints the usage and {@code mandos-ctl: error: MESSAGE},
 * exit status 2); {@code -h} and {@code --version} are {@link EarlyExit}s.
 */
public final class Arguments {

    /** The program name argparse shows. */
    public static final String PROG = "mandos-ctl";

    /** A usage error: argparse's {@code parser.error(message)}. */
    public static final class UsageError extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageError(String message) {
            super(message);
        }
    }

    /** {@code -h} or {@code --version}: print {@code stdout} and exit 0. */
    public static final class EarlyExit extends Exception {
        private static final long serialVersionUID = 1L;
        public final String stdout;

        public EarlyExit(String stdout) {
            super(null, null, false, false);
            this.stdout = stdout;
        }
    }

    private enum Kind { HELP, VERSION, ALL, VERBOSE, DEBUG, CHECK, COMMAND }

    /** One argparse action: its option strings, metavar (null: no argument), group and help. */
    private record Action(Kind kind, Command.Kind command, List<String> options, String metavar, int group,
            String help) {
        String name() {
            return String.join("/", options);
        }
    }

    private static final List<Action> ACTIONS = List.of(
            new Action(Kind.HELP, null, List.of("-h", "--help"), null, 0, "show this help message and exit"),
            new Action(Kind.VERSION, null, List.of("--version"), null, 0, "show version number and exit"),
            new Action(Kind.ALL, null, List.of("-a", "--all"), null, 0, "Select all clients"),
            new Action(Kind.VERBOSE, null, List.of("-v", "--verbose"), null, 0, "Print all fields"),
            cmd(Command.Kind.DUMP_JSON, List.of("-j", "--dump-json"), null, 0, "Dump client data in JSON format"),
            cmd(Command.Kind.ENABLE, List.of("-e", "--enable"), null, 1, "Enable client"),
            cmd(Command.Kind.DISABLE, List.of("-d", "--disable"), null, 1, "disable client"),
            cmd(Command.Kind.BUMP_TIMEOUT, List.of("-b", "--bump-timeout"), null, 0, "Bump timeout for client"),
            cmd(Command.Kind.START_CHECKER, List.of("--start-checker"), null, 2, "Start checker for client"),
            cmd(Command.Kind.STOP_CHECKER, List.of("--stop-checker"), null, 2, "Stop checker for client"),
            cmd(Command.Kind.IS_ENABLED, List.of("-V", "--is-enabled"), null, 0, "Check if client is enabled"),
            cmd(Command.Kind.REMOVE, List.of("-r", "--remove"), null, 0, "Remove client"),
            cmd(Command.Kind.SET_CHECKER, List.of("-c", "--checker"), "COMMAND", 0, "Set checker command for client"),
            cmd(Command.Kind.SET_TIMEOUT, List.of("-t", "--timeout"), "TIME", 0, "Set timeout for client"),
            cmd(Command.Kind.SET_EXTENDED_TIMEOUT, List.of("--extended-timeout"), "TIME", 0,
                    "Set extended timeout for client"),
            cmd(Command.Kind.SET_INTERVAL, List.of("-i", "--interval"), "TIME", 0, "Set checker interval for client"),
            cmd(Command.Kind.APPROVE_BY_DEFAULT, List.of("--approve-by-default"), null, 3,
                    "Set client to be approved by default"),
            cmd(Command.Kind.DENY_BY_DEFAULT, List.of("--deny-by-default"), null, 3,
                    "Set client to be denied by default"),
            cmd(Command.Kind.SET_APPROVAL_DELAY, List.of("--approval-delay"), "TIME", 0,
                    "Set delay before client approve/deny"),
            cmd(Command.Kind.SET_APPROVAL_DURATION, List.of("--approval-duration"), "TIME", 0,
                    "Set duration of one client approval"),
            cmd(Command.Kind.SET_HOST, List.of("-H", "--host"), "STRING", 0, "Set host for client"),
            cmd(Command.Kind.SET_SECRET, List.of("-s", "--secret"), "FILENAME", 0, "Set password blob (file) for client"),
            cmd(Command.Kind.APPROVE, List.of("-A", "--approve"), null, 4, "Approve any current client request"),
            cmd(Command.Kind.DENY, List.of("-D", "--deny"), null, 4, "Deny any current client request"),
            new Action(Kind.DEBUG, null, List.of("--debug"), null, 0, "Debug mode (show D-Bus commands)"),
            new Action(Kind.CHECK, null, List.of("--check"), null, 0, "Run self-test"));

    /** Every option string, in the order argparse registers them. */
    private static final Map<String, Action> OPTION_STRINGS = new LinkedHashMap<>();

    static {
        for (Action a : ACTIONS) {
            for (String o : a.options()) {
                OPTION_STRINGS.put(o, a);
            }
        }
    }

    private static Action cmd(Command.Kind kind, List<String> options, String metavar, int group, String help) {
        return new Action(Kind.COMMAND, kind, options, metavar, group, help);
    }

    // The parsed command line.
    public final List<Command> commands = new ArrayList<>();
    public final List<String> clients = new ArrayList<>();
    public boolean all;
    public boolean verbose;
    public boolean debug;
    public boolean check;

    private final String version;
    private final InputStream stdin;
    private final Consumer<String> warning;
    private final int columns;

    private Arguments(String version, InputStream stdin, Consumer<String> warning, int columns) {
        this.version = version;
        this.stdin = stdin;
        this.warning = warning;
        this.columns = columns;
    }

    /**
     * Whether the reference would run its self-tests instead: it first looks for {@code --check} (or an
     * abbreviation such as {@code --ch}) anywhere before a {@code --}, with a parser that knows only
     * {@code --check} and {@code --prefix}.
     */
    public static boolean selfTest(List<String> args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.length() >= 3 && a.startsWith("--") && "--check".startsWith(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads {@code args}; {@code warning} receives the warnings logged while reading (time arguments),
     * {@code stdin} is read for {@code -s -}, and {@code columns} is the terminal width argparse uses.
     */
    public static Arguments parse(List<String> args, String version, InputStream stdin, Consumer<String> warning,
            int columns) throws UsageError, EarlyExit {
        Arguments a = new Arguments(version, stdin, warning, columns);
        a.parseArgs(args);
        a.checkSyntax();
        return a;
    }

    // --- argparse's _parse_known_args ---

    /** One classified argument: an option (action may be null: unknown) or a positional ("A"). */
    private record Optional(Action action, String optionString, String explicitArg) {
    }

    private void parseArgs(List<String> args) throws UsageError, EarlyExit {
        int n = args.size();
        StringBuilder pattern = new StringBuilder();
        Map<Integer, Optional> optionals = new LinkedHashMap<>();
        boolean rest = false;
        for (int i = 0; i < n; i++) {
            String arg = args.get(i);
            if (rest) {
                pattern.append('A');
            } else if (arg.equals("--")) {
                pattern.append('-');
                rest = true;
            } else {
                Optional o = classify(arg);
                if (o == null) {
                    pattern.append('A');
                } else {
                    optionals.put(i, o);
                    pattern.append('O');
                }
            }
        }
        List<String> extras = new ArrayList<>();
        Set<Action> seen = new HashSet<>();
        boolean positionalsDone = false;
        int start = 0;
        int maxOption = optionals.isEmpty() ? -1 : optionals.keySet().stream().mapToInt(Integer::intValue).max().getAsInt();
        while (start <= maxOption) {
            int nextOption = start;
            while (!optionals.containsKey(nextOption)) {
                nextOption++;
            }
            if (start != nextOption) {
                int end = positionalsDone ? start : consumePositionals(args, pattern, start);
                if (end > start) {
                    positionalsDone = true;
                    start = end;
                    continue;
                }
            }
            if (!optionals.containsKey(start)) {
                extras.addAll(args.subList(start, nextOption));
                start = nextOption;
            }
            start = consumeOptional(args, pattern, optionals, start, seen, extras);
        }
        int stop = positionalsDone ? start : consumePositionals(args, pattern, start);
        extras.addAll(args.subList(stop, n));
        if (!extras.isEmpty()) {
            throw new UsageError("unrecognized arguments: " + String.join(" ", extras));
        }
    }

    /** argparse's {@code _parse_optional}: null for a positional argument. */
    private static Optional classify(String arg) throws UsageError {
        if (arg.isEmpty() || arg.charAt(0) != '-') {
            return null;
        }
        Action exact = OPTION_STRINGS.get(arg);
        if (exact != null) {
            return new Optional(exact, arg, null);
        }
        if (arg.length() == 1) {
            return null;
        }
        int eq = arg.indexOf('=');
        if (eq >= 0 && OPTION_STRINGS.containsKey(arg.substring(0, eq))) {
            return new Optional(OPTION_STRINGS.get(arg.substring(0, eq)), arg.substring(0, eq), arg.substring(eq + 1));
        }
        List<Optional> matches = new ArrayList<>();
        if (arg.charAt(1) == '-') {
            String prefix = eq >= 0 ? arg.substring(0, eq) : arg;
            String explicit = eq >= 0 ? arg.substring(eq + 1) : null;
            for (Map.Entry<String, Action> e : OPTION_STRINGS.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    matches.add(new Optional(e.getValue(), e.getKey(), explicit));
                }
            }
        } else {
            String shortPrefix = arg.substring(0, 2);
            for (Map.Entry<String, Action> e : OPTION_STRINGS.entrySet()) {
                if (e.getKey().equals(shortPrefix)) {
                    matches.add(new Optional(e.getValue(), e.getKey(), arg.substring(2)));
                } else if (e.getKey().startsWith(arg)) {
                    matches.add(new Optional(e.getValue(), e.getKey(), null));
                }
            }
        }
        if (matches.size() > 1) {
            List<String> names = matches.stream().map(Optional::optionString).toList();
            throw new UsageError("ambiguous option: " + arg + " could match " + String.join(", ", names));
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (arg.matches("^-\\d+$|^-\\d*\\.\\d+$")) {
            return null;
        }
        if (arg.contains(" ")) {
            return null;
        }
        return new Optional(null, arg, null);
    }

    /** The client names: every argument (and {@code --}) from {@code start} up to the next option. */
    private int consumePositionals(List<String> args, CharSequence pattern, int start) throws UsageError {
        int end = start;
        while (end < pattern.length() && (pattern.charAt(end) == 'A' || pattern.charAt(end) == '-')) {
            end++;
        }
        List<String> values = new ArrayList<>(args.subList(start, end));
        values.remove("--");
        clients.clear();
        clients.addAll(values);
        return end;
    }

    private int consumeOptional(List<String> args, CharSequence pattern, Map<Integer, Optional> optionals, int start,
            Set<Action> seen, List<String> extras) throws UsageError, EarlyExit {
        Optional o = optionals.get(start);
        Action action = o.action();
        String optionString = o.optionString();
        String explicit = o.explicitArg();
        if (action == null) {
            extras.add(args.get(start));
            return start + 1;
        }
        List<Object[]> taken = new ArrayList<>();
        int stop;
        while (true) {
            if (explicit != null) {
                if (action.metavar() == null && optionString.charAt(1) != '-' && !explicit.isEmpty()) {
                    taken.add(new Object[] {action, null});
                    String next = "-" + explicit.charAt(0);
                    String newExplicit = explicit.length() > 1 ? explicit.substring(1) : null;
                    if (OPTION_STRINGS.containsKey(next)) {
                        action = OPTION_STRINGS.get(next);
                        optionString = next;
                        explicit = newExplicit;
                    } else {
                        throw argumentError(action, "ignored explicit argument " + PythonText.repr(explicit));
                    }
                } else if (action.metavar() != null) {
                    stop = start + 1;
                    taken.add(new Object[] {action, explicit});
                    break;
                } else {
                    throw argumentError(action, "ignored explicit argument " + PythonText.repr(explicit));
                }
            } else {
                int next = start + 1;
                if (action.metavar() == null) {
                    stop = next;
                    taken.add(new Object[] {action, null});
                } else {
                    if (next >= pattern.length() || pattern.charAt(next) != 'A') {
                        throw argumentError(action, "expected one argument");
                    }
                    stop = next + 1;
                    taken.add(new Object[] {action, args.get(next)});
                }
                break;
            }
        }
        for (Object[] t : taken) {
            take((Action) t[0], (String) t[1], seen);
        }
        return stop;
    }

    private static UsageError argumentError(Action action, String message) {
        return new UsageError("argument " + action.name() + ": " + message);
    }

    /** argparse's {@code take_action}: convert the value, check the exclusive groups, act. */
    private void take(Action action, String value, Set<Action> seen) throws UsageError, EarlyExit {
        Object converted = value == null ? null : convert(action, value);
        if (action.group() != 0) {
            for (Action other : ACTIONS) {
                if (other != action && other.group() == action.group() && seen.contains(other)) {
                    throw argumentError(action, "not allowed with argument " + other.name());
                }
            }
        }
        seen.add(action);
        switch (action.kind()) {
            case HELP -> throw new EarlyExit(help());
            case VERSION -> throw new EarlyExit(PROG + " " + version + "\n");
            case ALL -> all = true;
            case VERBOSE -> verbose = true;
            case DEBUG -> debug = true;
            case CHECK -> check = true;
            case COMMAND -> commands.add(new Command(action.command(), converted));
        }
    }

    private Object convert(Action action, String value) throws UsageError {
        Command.Kind kind = action.command();
        if (kind.isMilliseconds()) {
            return TimeArgument.milliseconds(value, warning);
        }
        if (kind == Command.Kind.SET_SECRET) {
            return readSecret(action, value);
        }
        return value;
    }

    private byte[] readSecret(Action action, String file) throws UsageError {
        try {
            if (file.equals("-")) {
                return stdin.readAllBytes();
            }
            Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                throw cannotOpen(action, file, "[Errno 21] Is a directory");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw cannotOpen(action, file, "[Errno 2] No such file or directory");
        } catch (AccessDeniedException e) {
            throw cannotOpen(action, file, "[Errno 13] Permission denied");
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw cannotOpen(action, file, "[Errno 5] " + e.getMessage());
        }
    }

    private static UsageError cannotOpen(Action action, String file, String error) {
        return argumentError(action, "can't open '" + file + "': " + error + ": " + PythonText.repr(file));
    }

    // --- the reference's check_option_syntax ---

    private boolean has(Command.Kind kind) {
        return commands.stream().anyMatch(c -> c.kind() == kind);
    }

    private boolean hasActions() {
        return commands.stream().anyMatch(c -> c.kind().isAction());
    }

    private void checkSyntax() throws UsageError {
        if (hasActions() && clients.isEmpty() && !all) {
            throw new UsageError("Options require clients names or --all.");
        }
        if (verbose && hasActions()) {
            throw new UsageError("--verbose can only be used alone.");
        }
        if (has(Command.Kind.DUMP_JSON) && (verbose || commands.size() > 1)) {
            throw new UsageError("--dump-json can only be used alone.");
        }
        if (all && !hasActions()) {
            throw new UsageError("--all requires an action.");
        }
        if (has(Command.Kind.IS_ENABLED) && clients.size() > 1) {
            throw new UsageError("--is-enabled requires exactly one client");
        }
        if (commands.size() > 1 && has(Command.Kind.REMOVE) && !has(Command.Kind.DENY)) {
            throw new UsageError("--remove can only be combined with --deny");
        }
    }

    /**
     * The commands to run, in order: any {@code -D} after the first {@code -r} is moved just before it,
     * and without commands the table is printed.
     */
    public List<Command> commandsToRun() {
        List<Command> result = new ArrayList<>(commands);
        int remove = -1;
        for (int i = 0; i < result.size(); i++) {
            if (result.get(i).kind() == Command.Kind.REMOVE) {
                remove = i;
                break;
            }
        }
        if (remove >= 0) {
            List<Command> before = new ArrayList<>(result.subList(0, remove));
            List<Command> after = new ArrayList<>();
            for (Command c : result.subList(remove, result.size())) {
                (c.kind() == Command.Kind.DENY ? before : after).add(c);
            }
            before.addAll(after);
            result = before;
        }
        if (result.isEmpty()) {
            result.add(Command.of(Command.Kind.PRINT_TABLE));
        }
        return result;
    }

    // --- argparse's HelpFormatter ---

    private static final List<String> OPTIONAL_USAGE = List.of("[-h]", "[--version]", "[-a]", "[-v]", "[-j]",
            "[-e | -d]", "[-b]", "[--start-checker | --stop-checker]", "[-V]", "[-r]", "[-c COMMAND]", "[-t TIME]",
            "[--extended-timeout TIME]", "[-i TIME]", "[--approve-by-default | --deny-by-default]",
            "[--approval-delay TIME]", "[--approval-duration TIME]", "[-H STRING]", "[-s FILENAME]", "[-A | -D]",
            "[--debug]", "[--check]");
    private static final List<String> POSITIONAL_USAGE = List.of("[client ...]");

    /** argparse's formatter width: the terminal's columns minus 2. */
    private static int width(int columns) {
        return columns - 2;
    }

    /** The usage text argparse prints before an error (ends with a newline). */
    public static String usage(int columns) {
        String prefix = "usage: ";
        int textWidth = width(columns);
        List<String> all = new ArrayList<>(OPTIONAL_USAGE);
        all.addAll(POSITIONAL_USAGE);
        String oneLine = PROG + " " + String.join(" ", all);
        if (prefix.length() + oneLine.length() <= textWidth) {
            return prefix + oneLine + "\n";
        }
        List<String> lines;
        if (prefix.length() + PROG.length() <= 0.75 * textWidth) {
            String indent = " ".repeat(prefix.length() + PROG.length() + 1);
            List<String> first = new ArrayList<>();
            first.add(PROG);
            first.addAll(OPTIONAL_USAGE);
            lines = new ArrayList<>(wrap(first, indent, prefix, textWidth));
            lines.addAll(wrap(POSITIONAL_USAGE, indent, null, textWidth));
        } else {
            String indent = " ".repeat(prefix.length());
            lines = new ArrayList<>(wrap(all, indent, null, textWidth));
            if (lines.size() > 1) {
                lines = new ArrayList<>(wrap(OPTIONAL_USAGE, indent, null, textWidth));
                lines.addAll(wrap(POSITIONAL_USAGE, indent, null, textWidth));
            }
            lines.add(0, PROG);
        }
        return prefix + String.join("\n", lines) + "\n";
    }

    private static List<String> wrap(List<String> parts, String indent, String prefix, int textWidth) {
        List<String> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        int lineLen = prefix != null ? prefix.length() - 1 : indent.length() - 1;
        for (String part : parts) {
            if (lineLen + 1 + part.length() > textWidth && !line.isEmpty()) {
                lines.add(indent + String.join(" ", line));
                line.clear();
                lineLen = indent.length() - 1;
            }
            line.add(part);
            lineLen += part.length() + 1;
        }
        if (!line.isEmpty()) {
            lines.add(indent + String.join(" ", line));
        }
        if (prefix != null && !lines.isEmpty()) {
            lines.set(0, lines.get(0).substring(indent.length()));
        }
        return lines;
    }

    /** The {@code -h} text. */
    private String help() {
        int width = width(columns);
        int maxHelpPosition = Math.min(24, Math.max(width - 20, 4));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"client", "Client name"});
        int longest = "client".length() + 2;
        for (Action a : ACTIONS) {
            String invocation = a.metavar() == null ? String.join(", ", a.options())
                    : String.join(", ", a.options().stream().map(o -> o + " " + a.metavar()).toList());
            rows.add(new String[] {invocation, a.help()});
            longest = Math.max(longest, invocation.length() + 2);
        }
        int helpPosition = Math.min(longest + 2, maxHelpPosition);
        int helpWidth = Math.max(width - helpPosition, 11);
        int actionWidth = helpPosition - 2 - 2;
        StringBuilder b = new StringBuilder(usage(columns)).append("\npositional arguments:\n");
        for (int i = 0; i < rows.size(); i++) {
            if (i == 1) {
                b.append("\noptions:\n");
            }
            String invocation = rows.get(i)[0];
            List<String> helpLines = wrapWords(rows.get(i)[1], helpWidth);
            if (invocation.length() <= actionWidth) {
                b.append("  ").append(invocation).append(" ".repeat(actionWidth - invocation.length())).append("  ");
            } else {
                b.append("  ").append(invocation).append('\n').append(" ".repeat(helpPosition));
            }
            for (int l = 0; l < helpLines.size(); l++) {
                if (l > 0) {
                    b.append(" ".repeat(helpPosition));
                }
                b.append(helpLines.get(l)).append('\n');
            }
        }
        return b.toString();
    }

    private static List<String> wrapWords(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
