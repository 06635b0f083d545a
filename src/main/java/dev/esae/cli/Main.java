package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.train.TrainingStopped;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The {@code esae} entry point. Exit codes: 0 success, 2 bad input or usage (one line on stderr, no
 * stack trace), 1 an internal failure (a bug: the stack trace is printed), 130 / 143 stopped by
 * SIGINT / SIGTERM (one line saying what is kept and how to continue).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // The handlers write past the quiet writers: their line is the one that must get out.
        SignalHandlers.install(new PrintWriter(System.err, true));
        PrintWriter out = new PrintWriter(new QuietOnExitWriter(new java.io.OutputStreamWriter(System.out)), true);
        PrintWriter err = new PrintWriter(new QuietOnExitWriter(new java.io.OutputStreamWriter(System.err)), true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line with the given streams and returns its exit code (used by tests too). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int mark = dev.esae.io.FolderLock.mark();
        DEPTH.set(DEPTH.get() + 1);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("esae: " + outOfMemory());
            return ExitCodes.USAGE;
        } finally {
            DEPTH.set(DEPTH.get() - 1);
            dev.esae.io.FolderLock.releaseTo(mark);
        }
    }

    /**
     * {@link #execute} as a command nested in another on a thread of its own (reproduce's steps run
     * side by side): a stop inside it is handed to {@link #takeNestedStop} on this thread, not reported.
     */
    static int executeNested(PrintWriter out, PrintWriter err, String... args) {
        DEPTH.set(DEPTH.get() + 1);
        try {
            return execute(out, err, args);
        } finally {
            DEPTH.set(DEPTH.get() - 1);
        }
    }

    /** How deep {@link #execute} calls nest on this thread: reproduce runs its steps through it. */
    private static final ThreadLocal<Integer> DEPTH = ThreadLocal.withInitial(() -> 0);
    /** A stop inside a nested command, handed to the command that ran it (reproduce) to report. */
    private static final ThreadLocal<TrainingStopped> NESTED_STOP = new ThreadLocal<>();

    /** The stop that ended the last nested command on this thread, once; null if it was not stopped. */
    static TrainingStopped takeNestedStop() {
        TrainingStopped s = NESTED_STOP.get();
        NESTED_STOP.remove();
        return s;
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new EsaeCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        Choices.register(cl);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            String message = ex.getMessage();
            // A mistyped option usually also leaves a required one missing: name the typo, the real cause.
            java.util.List<String> unknown = c.getUnmatchedArguments();
            // A choice that is none of the choices: "--kind: expected topk, ..., got 'x'".
            if (ex.getCause() instanceof CommandLine.TypeConversionException tce && ex.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
                message = o.longestName() + ": " + tce.getMessage();
            }
            if (ex instanceof CommandLine.MissingParameterException && !unknown.isEmpty() && unknown.get(0).startsWith("-")) {
                message = "Unknown option: '" + unknown.get(0) + "'";
            }
            c.getErr().println("esae: " + oneLine(message) + " (see '"
                    + c.getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            TrainingStopped stop = find(ex, TrainingStopped.class);
            if (stop != null) {
                if (DEPTH.get() > 1) {
                    NESTED_STOP.set(stop); // the outer command says how to continue it
                } else {
                    c.getErr().println("esae: " + oneLine(stop.getMessage()) + "; " + howToContinue(c, parseResult));
                }
                return stop.signal().exitCode();
            }
            if (find(ex, OutOfMemoryError.class) != null) {
                c.getErr().println("esae: " + outOfMemory());
                return ExitCodes.USAGE;
            }
            InputException input = findInputException(ex);
            if (input != null) {
                c.getErr().println("esae: " + oneLine(input.getMessage()));
                return ExitCodes.USAGE;
            }
            c.getErr().println("esae: internal error (this is a bug; please report it with the trace below)");
            ex.printStackTrace(c.getErr());
            return ExitCodes.INTERNAL;
        });
        return cl;
    }

    /** A study continues when run again; a training command needs --resume (unless it had it). */
    private static String howToContinue(CommandLine c, CommandLine.ParseResult parseResult) {
        boolean resumes = c.getCommand() instanceof ReproduceCommand || parseResult.originalArgs().contains("--resume");
        return resumes ? "run the same command again to continue" : "run the same command with --resume to continue";
    }

    private static String outOfMemory() {
        return "out of memory (the JVM may use " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB); give it more, e.g. "
                + "JAVA_OPTS=-Xmx8g ./esae ..., or use smaller inputs";
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable e = t; e != null; e = e.getCause()) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }

    private static InputException findInputException(Throwable t) {
        for (Throwable e = t; e != null; e = e.getCause()) {
            if (e instanceof InputException ie) {
                return ie;
            }
        }
        return null;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace('\n', ' ').replace('\r', ' ').strip();
    }
}
