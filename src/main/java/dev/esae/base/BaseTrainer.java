package dev.esae.base;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.data.CyclicGroup;
import dev.esae.nn.Adam;
import dev.esae.nn.Parameter;
import dev.esae.train.EpochLoop;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import dev.esae.train.TrainingRun;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;

/**
 * Trains a base autoencoder (SPEC §2): MSE to the input, Adam, each epoch over the images in a
 * seeded random order, each batch rotated by a random power of g. The images stay on the backend
 * for the whole run; a step reads nothing back (the loss is summed on the device and read when the
 * listener draws or the epoch ends). It writes nothing itself: its state goes to a
 * {@link TrainingRun} after each epoch ({@link BaseTraining} gives it the model folder).
 */
public final class BaseTrainer {
    /** The config fields a resumed run must share with its checkpoint. */
    public static final java.util.List<String> RUN_KEYS = java.util.List.of("arch", "batch", "lr", "seed", "images", "orientations");

    /** A trained model (the caller closes it) and its loss history. */
    public record Trained(Autoencoder model, LossHistory history) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    private final Backend backend;
    private final BaseModelConfig config;
    private final float[] images;
    private final int count;

    /** @param images all training images as floats in [0, 1], {@code [count, 4096]} row-major */
    public BaseTrainer(Backend backend, BaseModelConfig config, float[] images) {
        this.backend = backend;
        this.config = config;
        this.images = images;
        this.count = images.length / Autoencoder.IMAGE;
        if (count * Autoencoder.IMAGE != images.length || count < 1) {
            throw new IllegalArgumentException("images must be [N, 4096], got " + images.length + " values");
        }
    }

    /** Number of batches per epoch (the last may be smaller). */
    public int batchesPerEpoch() {
        return (count + config.batch() - 1) / config.batch();
    }

    /**
     * Trains until {@code config.epochs()} epochs are done, continuing what {@code run} restores
     * and handing it the state after each epoch. Seconds per epoch count training only, not what
     * the run writes.
     */
    public Trained train(TrainingRun run, TrainingListener listener) throws IOException {
        int batch = config.batch();
        CyclicGroup group = CyclicGroup.C4;
        Autoencoder model = Autoencoder.create(backend, DType.F32, config.architecture(), config.seed());
        try (Tensor data = backend.upload(images, count, Autoencoder.IMAGE);
             Tensor gathered = backend.zeros(DType.F32, batch, Autoencoder.SIDE, Autoencoder.SIDE);
             Tensor input = backend.zeros(DType.F32, batch, Autoencoder.SIDE, Autoencoder.SIDE);
             Tensor grad = backend.zeros(DType.F32, batch, Autoencoder.IMAGE);
             Tensor loss = backend.zeros(DType.F32, 1);
             Adam adam = new Adam(backend, new ArrayList<>(model.namedParameters().values()), config.learningRate())) {
            Map<String, Parameter> params = model.namedParameters();
            LossHistory history = run.start(backend, params, adam, new LossHistory(count));
            EpochLoop.Step step = (indices, size, rng, lossSum) -> {
                int power = rng.nextInt(group.order());
                Tensor g = size == batch ? gathered : gathered.rows(0, size);
                Tensor x = size == batch ? input : input.rows(0, size);
                backend.gatherRows(data, indices, g.reshape(size, Autoencoder.IMAGE));
                backend.rot90(g, group.quarterTurns(power), x);
                Tensor flat = x.reshape(size, Autoencoder.IMAGE);
                Tensor gr = size == batch ? grad : grad.rows(0, size);
                backend.mseLoss(model.forward(flat), flat, gr, loss);
                model.backward(gr);
                adam.step();
                backend.axpy(1f, loss, lossSum);
            };
            EpochLoop.run(backend, config.seed(), config.epochs(), count, batch, history, listener, "training", run::keptHint, run::stoppedHint, step,
                    (h, epochRan) -> run.epochEnd(backend, params, adam, h, epochRan));
            return new Trained(model, history);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
