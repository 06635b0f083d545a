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

    /** Characters of an input's text that {@link #printable} shows at most. */
    public static final int PRINTABLE_LENGTH = 80;

    /**
     * Text taken from an input (a name, a dtype, a fragment of a header) made fit for a one-line
     * message: control characters escaped (a newline as backslash-n, others as Java's Unicode
     * escapes) and cut to {@link #PRINTABLE_LENGTH} characters, so that a broken file cannot break
     * the message's line or flood it.
     */
    public static String printable(Object fromInput) {
        String s = String.valueOf(fromInput);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < s.length() && sb.length() < PRINTABLE_LENGTH; i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return i < s.length() ? sb.append("...").toString() : sb.toString();
    }
}
