package dev.esae;

/**
 * A problem with what the user gave esae (a file, a shape, an option value), as opposed to a bug.
 *
 * <p>The command line prints its message as one line and exits with code 2, without a stack trace,
 * so the message must name the input and say what was expected.
 */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
