package dev.esae.train;

/**
 * A training loop stopped by a signal between two batches: the epoch under way was abandoned and
 * only what the last checkpoint holds is kept. Not an error: the command line reports it in one
 * line with how to continue, and exits with the signal's code (130, 143).
 */
public final class TrainingStopped extends RuntimeException {
    private final transient StopRequest.Signal signal;

    TrainingStopped(StopRequest.Signal signal, String what, int epoch, int epochs, String kept) {
        super("stopped by " + signal.name() + " in epoch " + (epoch + 1) + " of " + epochs + " (" + what + "), which is abandoned; "
                + kept, null, false, false);
        this.signal = signal;
    }

    /** The signal that stopped the run. */
    public StopRequest.Signal signal() {
        return signal;
    }
}
