package dev.esae.base;

import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.data.CyclicGroup;
import dev.esae.nn.Adam;
import dev.esae.train.Checkpoint;
import dev.esae.train.EpochLoop;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

/**
 * Trains a base autoencoder (SPEC §2): MSE to the input, Adam, each epoch over the images in a
 * seeded random order, each batch rotated by a random power of g. The images stay on the backend
 * for the whole run; a step reads nothing back (the loss is summed on the device and read when the
 * listener draws or the epoch ends).
 *
 * <p>After every epoch it writes, in this order, the checkpoint ({@link Checkpoint}), then
 * {@code model.safetensors}, {@code config.json} and {@code loss.csv}, each atomically; at the end,
 * {@code reconstructions.png}.
 */
public final class BaseTrainer {
    public static final String RECONSTRUCTIONS = "reconstructions.png";
    /** The config fields a resumed run must share with its checkpoint. */
    public static final java.util.List<String> RUN_KEYS = java.util.List.of("arch", "batch", "lr", "seed", "images", "orientations");

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
     * Trains until {@code config.epochs()} epochs are done, writing into {@code out} ({@code null}:
     * write nothing, for benchmarks); with {@code resume}, continues from the checkpoint there.
     * Returns the loss history (seconds per epoch count training only, not the file writes).
     */
    public LossHistory train(Path out, boolean resume, TrainingListener listener) throws IOException {
        int batch = config.batch();
        CyclicGroup group = CyclicGroup.C4;
        try (Autoencoder model = Autoencoder.create(backend, DType.F32, config.architecture(), config.seed());
             Tensor data = backend.upload(images, count, Autoencoder.IMAGE);
             Tensor gathered = backend.zeros(DType.F32, batch, Autoencoder.SIDE, Autoencoder.SIDE);
             Tensor input = backend.zeros(DType.F32, batch, Autoencoder.SIDE, Autoencoder.SIDE);
             Tensor grad = backend.zeros(DType.F32, batch, Autoencoder.IMAGE);
             Tensor loss = backend.zeros(DType.F32, 1);
             Adam adam = new Adam(backend, new ArrayList<>(model.namedParameters().values()), config.learningRate())) {
            LossHistory history = new LossHistory(count);
            if (resume && out != null && Checkpoint.exists(out)) {
                Checkpoint.State state = Checkpoint.read(out, backend, model.namedParameters(), adam, count);
                Checkpoint.requireSameRun(out, state.config(), config.toJson(0, null), RUN_KEYS);
                history = state.history();
            }
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
            EpochLoop.EpochEnd end = (h, epochRan) -> {
                if (out != null) {
                    Map<String, Object> json = config.toJson(h.epochs(), h.last());
                    if (epochRan) {
                        Checkpoint.write(out, backend, model.namedParameters(), adam, h.epochs(), h, json);
                    }
                    ModelFiles.save(out, backend, model, json);
                    h.writeCsv(out.resolve("loss.csv"));
                    h.writeTimingCsv(out.resolve("timing.csv"));
                }
            };
            EpochLoop.run(backend, config.seed(), config.epochs(), count, batch, history, listener, "training",
                    out == null ? "" : "; the last good checkpoint in " + out + " is kept", step, end);
            if (out != null) {
                Reconstructions.write(out.resolve(RECONSTRUCTIONS), backend, model, images, Math.min(16, count));
            }
            return history;
        }
    }
}
