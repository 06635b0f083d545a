package dev.esae.train;

/**
 * A request to stop (SIGINT or SIGTERM) and where it may be honoured. A training loop
 * ({@link EpochLoop}) opens a {@link Window} for its epochs: a stop requested inside it is
 * honoured at the next batch boundary, so the epoch under way is abandoned and the last checkpoint
 * is all that is kept. Outside a window (probing, writing files, an L-BFGS fit, which keeps no
 * checkpoint) nothing is gained by waiting, so {@link #request} tells its caller to exit now.
 */
public final class StopRequest {
    /** A signal and the exit code a process stopped by it returns (128 + its number, as shells do). */
    public record Signal(String name, int exitCode) {
        /** SIGINT (Ctrl-C). */
        public static final Signal INT = new Signal("SIGINT", 130);
        /** SIGTERM (kill, a scheduler, a container stop). */
        public static final Signal TERM = new Signal("SIGTERM", 143);
    }

    /** An open stretch of epochs where a stop is honoured at the next batch; closing it ends the stretch. */
    public interface Window extends AutoCloseable {
        @Override
        void close();
    }

    private static Signal requested;
    private static int openWindows;

    private StopRequest() {}

    /**
     * Records {@code signal}; returns true when a training window is open and will stop at its next
     * batch, false when the caller should exit now (no window, or a second request).
     */
    public static synchronized boolean request(Signal signal) {
        boolean first = requested == null;
        requested = first ? signal : requested;
        return first && openWindows > 0;
    }

    /** The signal requested so far, or null. */
    public static synchronized Signal requested() {
        return requested;
    }

    /** Opens a window; a stop requested before it opened is honoured at its first check. */
    public static synchronized Window open() {
        openWindows++;
        return () -> {
            synchronized (StopRequest.class) {
                openWindows--;
            }
        };
    }

    /**
     * Throws {@link TrainingStopped} if a stop was requested: called by the loop between batches,
     * where abandoning the epoch loses nothing a checkpoint holds.
     */
    public static void check(String what, int epoch, int epochs, java.util.function.Supplier<String> kept) {
        Signal s = requested();
        if (s != null) {
            throw new TrainingStopped(s, what, epoch, epochs, kept.get());
        }
    }
}
