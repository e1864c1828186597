package org.mandos.sample.store.directory;

import java.nio.file.Path;

/**
 * A client file that cannot be used, located: {@code FILE:LINE: PROBLEM} (without {@code :LINE} when
 * no line is at fault). The message never contains the value of {@code secret} or the contents of a
 * {@code secfile}.
 */
final class ClientFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String problem;

    /**
     * @param line    1-based, or 0 when the problem has no line
     * @param problem what is wrong, one line
     */
    ClientFileException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    Path file() {
        return file;
    }

    /** The 1-based line at fault, or 0. */
    int line() {
        return line;
    }

    /** The message without the location. */
    String problem() {
        return problem;
    }
}
