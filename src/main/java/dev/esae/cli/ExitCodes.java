package dev.esae.cli;

/** The exit codes of every esae command (SPEC: the command line). */
public final class ExitCodes {
    public static final int OK = 0;
    /** An internal failure (a bug), or a check that failed (selftest). */
    public static final int INTERNAL = 1;
    /** Bad input or usage. */
    public static final int USAGE = 2;

    private ExitCodes() {}
}
