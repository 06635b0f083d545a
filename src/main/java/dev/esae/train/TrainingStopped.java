package dev.esae.train;

/**
 * A training loop stopped by a signal: between two batches (the epoch under way abandoned) or, for
 * a signal that came while the last epoch was saved, as the loop ended. Only what the last
 * checkpoint holds is kept. Not an error: the command line reports it in one line with how to
 * continue, and exits with the signal's code (130, 143).
 */
public final class TrainingStopped extends RuntimeException {
    private final transient StopRequest.Signal signal;

    TrainingStopped(StopRequest.Signal signal, String message) {
        super(message, null, false, false);
        this.signal = signal;
    }

    /** The signal that stopped the run. */
    public StopRequest.Signal signal() {
        return signal;
    }
}
