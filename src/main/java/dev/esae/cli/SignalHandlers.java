package dev.esae.cli;

import dev.esae.train.StopRequest;
import java.io.PrintWriter;

/**
 * SIGINT (Ctrl-C) and SIGTERM for the {@code esae} process. During training epochs the loop stops
 * at the next batch and the command reports what is kept ({@link dev.esae.train.TrainingStopped});
 * anywhere else the process exits at once with the signal's code: every file is written to a
 * temporary name and renamed, so none is left half-written, and the temporaries in flight are
 * removed on the way out. A second signal exits at once too.
 */
final class SignalHandlers {
    private SignalHandlers() {}

    /** Set once a handler has begun to exit the process (System.exit is running its shutdown hooks). */
    private static volatile boolean exiting;

    /** Whether a handler has begun to exit the process. */
    static boolean isExiting() {
        return exiting;
    }

    /**
     * Blocks for good when a signal is exiting the process, so that the caller (the study's loop of
     * steps) neither reports more nor starts another step while the shutdown hooks remove the
     * temporaries in flight; returns at once otherwise.
     */
    static void awaitExitIfStopping() {
        while (exiting) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // keep waiting: the exit ends this thread
            }
        }
    }

    /** Installs both handlers; where the JVM forbids it (-Xrs), the default handling stays. */
    static void install(PrintWriter err) {
        for (StopRequest.Signal s : new StopRequest.Signal[] {StopRequest.Signal.INT, StopRequest.Signal.TERM}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(s.name().substring(3)), sig -> onSignal(s, err));
            } catch (IllegalArgumentException e) {
                // The JVM reserves it (-Xrs or a debugger): its default handling (exit 128 + n) stays.
            }
        }
    }

    private static void onSignal(StopRequest.Signal s, PrintWriter err) {
        StopRequest.Signal earlier = StopRequest.requested();
        if (StopRequest.request(s)) {
            return; // the training loop stops at its next batch and reports
        }
        if (earlier != null) {
            err.println("esae: stopped at once by a second " + s.name());
            err.flush();
            // A shutdown may be under way already (System.exit would wait for it forever).
            Runtime.getRuntime().halt(s.exitCode());
        }
        // From here on the commands' own output is dropped: this line is the last. A write under way
        // finishes first, unless it is stuck on a full pipe.
        boolean locked = false;
        try {
            locked = QuietOnExitWriter.LOCK.tryLock(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exiting = true;
        if (locked) {
            QuietOnExitWriter.LOCK.unlock();
        }
        err.println("esae: stopped by " + s.name() + "; every file written so far is complete (none is left half-written); "
                + "run the same command again to continue");
        err.flush();
        System.exit(s.exitCode());
    }
}
