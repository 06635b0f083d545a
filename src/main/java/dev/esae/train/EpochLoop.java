package dev.esae.train;

import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The epoch loop every trainer shares: each epoch visits the samples in an order drawn from
 * (seed, epoch) in batches, sums the batch losses on the device, stops with a clear message when
 * the loss is not finite, records the epoch's loss and time, and hands over to the trainer after
 * each epoch (for checkpoints) before telling the listener; a resumed run hands over once before
 * its first epoch too. A stop by a signal ({@link StopRequest}) is honoured before each batch, or
 * as the loop ends when it came after the last one.
 */
public final class EpochLoop {
    /** One training step on the samples {@code indices} (an int tensor of {@code size}); adds its loss to {@code lossSum}. */
    @FunctionalInterface
    public interface Step {
        void run(Tensor indices, int size, SplittableRandom epochRandom, Tensor lossSum);
    }

    /**
     * Called after each finished epoch, before the listener, with {@code epochRan} true: the
     * checkpoint and the files derived from it go here. A resumed run also calls it once before its
     * first epoch with {@code epochRan} false: the checkpoint is already there, only what is derived
     * from it is to be written again.
     */
    @FunctionalInterface
    public interface EpochEnd {
        void run(LossHistory history, boolean epochRan) throws IOException;
    }

    private EpochLoop() {}

    /**
     * Runs epochs {@code history.epochs() .. epochs-1}.
     *
     * @param what names the run in the divergence message, e.g. "training"
     * @param keptHint appended to the divergence message after the first epoch (where the last checkpoint is), asked when it happens
     * @param stopKept what a stop by a signal keeps ({@link TrainingRun#stoppedHint}), asked when it happens
     */
    public static LossHistory run(Backend backend, long seed, int epochs, int count, int batch, LossHistory history,
            TrainingListener listener, String what, java.util.function.Supplier<String> keptHint,
            java.util.function.Supplier<String> stopKept, Step step, EpochEnd end) throws IOException {
        int batches = (count + batch - 1) / batch;
        listener.onStart(history.epochs(), epochs, batches, count);
        if (history.epochs() > 0) {
            // Resumed from a checkpoint: a kill can land after the checkpoint was written and before
            // the files derived from it, so derive them again from the state just loaded (the same
            // bytes when they were complete; the only way to get them when no epoch is left to run).
            end.run(history, false);
        }
        try (StopRequest.Window window = StopRequest.open(what, epochs, stopKept);
             Tensor order = backend.zeros(DType.I32, count); Tensor lossSum = backend.zeros(DType.F32, 1)) {
            for (int epoch = history.epochs(); epoch < epochs; epoch++) {
                long t0 = System.nanoTime();
                SplittableRandom rng = EpochRandom.of(seed, epoch);
                try (Tensor perm = backend.uploadInts(EpochRandom.permutation(rng, count), count)) {
                    backend.copy(perm, order);
                }
                backend.fill(lossSum, 0f);
                for (int b = 0; b < batches; b++) {
                    // Between batches: a stop abandons this epoch, the last checkpoint is what is kept.
                    window.check(epoch);
                    int start = b * batch;
                    int size = Math.min(batch, count - start);
                    step.run(order.rows(start, size), size, rng, lossSum);
                    int done = b + 1;
                    listener.onBatch(epoch, done, () -> backend.download(lossSum)[0] / done);
                }
                double loss = backend.download(lossSum)[0] / batches;
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (!Double.isFinite(loss)) {
                    // Before the first epoch ends there is no checkpoint to keep.
                    throw new InputException(what + " diverged: the loss of epoch " + (epoch + 1) + " is " + loss
                            + (epoch > 0 ? keptHint.get() : "; nothing was saved"));
                }
                history.add(loss, seconds);
                end.run(history, true);
                listener.onEpoch(epoch, loss, seconds);
            }
        }
        return history;
    }
}
