package dev.esae.train;

/**
 * When a training run saves its checkpoint (and the files derived from it): after every
 * {@code everyEpochs}-th epoch, once at least {@code minSeconds} have passed since the last save
 * (or the start), and always after the last epoch. A short run (seconds per epoch) then saves a
 * few times instead of every epoch, while a long one still loses at most {@code minSeconds} plus
 * one epoch to a kill. What a run produces does not depend on the policy: a resumed run continues
 * bit for bit, and the last epoch is always saved.
 *
 * @param everyEpochs at least 1
 * @param minSeconds 0 for no wait
 */
public record CheckpointPolicy(int everyEpochs, double minSeconds) {
    /** A save after every epoch. */
    public static final CheckpointPolicy EVERY_EPOCH = new CheckpointPolicy(1, 0);

    public CheckpointPolicy {
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("checkpoints every " + everyEpochs + " epochs: expected at least 1");
        }
        if (!(minSeconds >= 0) || Double.isInfinite(minSeconds)) {
            throw new IllegalArgumentException("checkpoint wait " + minSeconds + " s: expected a finite number >= 0");
        }
    }

    /** Whether a save is due after {@code epochsDone} of {@code epochs}, {@code secondsSinceSave} after the last save. */
    public boolean due(int epochsDone, int epochs, double secondsSinceSave) {
        return epochsDone >= epochs || epochsDone % everyEpochs == 0 && secondsSinceSave >= minSeconds;
    }
}
