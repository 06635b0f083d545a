package dev.esae.train;

import java.util.function.Supplier;

/**
 * A request to stop (SIGINT or SIGTERM) and where it may be honoured. A training loop
 * ({@link EpochLoop}) opens a {@link Window} for its epochs: a stop requested inside it is
 * honoured at the next batch boundary, so the epoch under way is abandoned and the last checkpoint
 * is all that is kept, or, when it came after the last batch, as the window closes. Outside a
 * window (probing, writing files, an L-BFGS fit, which keeps no checkpoint) nothing is gained by
 * waiting, so {@link #request} tells its caller to exit now.
 */
public final class StopRequest {
    /** A signal and the exit code a process stopped by it returns (128 + its number, as shells do). */
    public record Signal(String name, int exitCode) {
        /** SIGINT (Ctrl-C). */
        public static final Signal INT = new Signal("SIGINT", 130);
        /** SIGTERM (kill, a scheduler, a container stop). */
        public static final Signal TERM = new Signal("SIGTERM", 143);
    }

    /**
     * An open stretch of epochs where a stop is honoured: {@link #check} before each batch, and
     * {@link #close} for a request that came after the last check (while the last epoch was saved),
     * which was told the loop would stop.
     */
    public static final class Window implements AutoCloseable {
        private final String what;
        private final int epochs;
        private final Supplier<String> kept;
        private boolean stopped;

        private Window(String what, int epochs, Supplier<String> kept) {
            this.what = what;
            this.epochs = epochs;
            this.kept = kept;
        }

        /**
         * Throws {@link TrainingStopped} if a stop was requested: called by the loop between batches
         * of epoch {@code epoch} (0-based), where abandoning the epoch loses nothing a checkpoint holds.
         */
        public void check(int epoch) {
            Signal s = requested;
            if (s != null) {
                stopped = true;
                throw new TrainingStopped(s, "stopped by " + s.name() + " in epoch " + (epoch + 1) + " of " + epochs + " (" + what
                        + "), which is abandoned; " + kept.get());
            }
        }

        /** Closes the window; throws {@link TrainingStopped} for a request that no {@link #check} has honoured. */
        @Override
        public void close() {
            Signal s;
            synchronized (StopRequest.class) {
                openWindows--;
                s = requested;
            }
            if (s != null && !stopped) {
                throw new TrainingStopped(s, "stopped by " + s.name() + " after the last of " + epochs + " epochs (" + what + "); "
                        + kept.get());
            }
        }
    }

    private static volatile Signal requested;
    private static int openWindows;

    private StopRequest() {}

    /**
     * Records {@code signal}; returns true when a training window is open and will stop (at its next
     * batch, or as it closes), false when the caller should exit now (no window, or a second request).
     */
    public static synchronized boolean request(Signal signal) {
        boolean first = requested == null;
        requested = first ? signal : requested;
        return first && openWindows > 0;
    }

    /** The signal requested so far, or null. */
    public static Signal requested() {
        return requested;
    }

    /**
     * Opens a window for a loop of {@code epochs} epochs, named {@code what} in its message;
     * {@code kept} says what a stop keeps (asked when it happens). A stop requested before it opened
     * is honoured at its first check.
     */
    public static synchronized Window open(String what, int epochs, Supplier<String> kept) {
        openWindows++;
        return new Window(what, epochs, kept);
    }

    /** Forgets a request: for tests that request stops inside one JVM. */
    static synchronized void reset() {
        requested = null;
    }
}
