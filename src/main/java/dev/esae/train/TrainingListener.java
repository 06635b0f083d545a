package dev.esae.train;

import java.util.function.DoubleSupplier;

/** What a trainer reports as it goes; the command line draws a progress bar from it. */
public interface TrainingListener {
    /** Before the first epoch of this run ({@code firstEpoch} > 0 when resuming). */
    default void onStart(int firstEpoch, int epochs, int batchesPerEpoch, int samplesPerEpoch) {}

    /**
     * After each batch. {@code runningLoss} reads the mean loss of the epoch so far; calling it may
     * cost a device-to-host copy, so a listener calls it only when it draws.
     */
    default void onBatch(int epoch, int batchesDone, DoubleSupplier runningLoss) {}

    /** After each epoch (and its checkpoint). */
    default void onEpoch(int epoch, double loss, double seconds) {}

    /** A listener that reports nothing. */
    TrainingListener SILENT = new TrainingListener() {};
}
