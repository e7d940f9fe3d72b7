package org.brainfm;

/**
 * A failure the user can act on: bad input, a missing file, an impossible setting.
 * The CLI prints it as one line, {@code brainfm: <what>: <problem>}, and exits 2;
 * {@code what} names the file, option or field, {@code problem} says what is wrong with it.
 */
public class BrainfmException extends RuntimeException {
    private final String what;
    private final String problem;

    public BrainfmException(String what, String problem) {
        this(what, problem, null);
    }

    public BrainfmException(String what, String problem, Throwable cause) {
        super(what + ": " + problem, cause);
        this.what = what;
        this.problem = problem;
    }

    public String what() {
        return what;
    }

    public String problem() {
        return problem;
    }
}
