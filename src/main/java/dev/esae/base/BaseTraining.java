package dev.esae.base;

import dev.esae.compute.Backend;
import dev.esae.train.CheckpointPolicy;
import dev.esae.train.LossHistory;
import dev.esae.train.Provenance;
import dev.esae.train.RunFolder;
import dev.esae.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code esae train-base} as a library call: trains a base autoencoder into a model folder
 * ({@link RunFolder}: checkpoint, {@code model.safetensors}, {@code config.json}, {@code loss.csv},
 * {@code timing.csv}) and draws {@code reconstructions.png} at the end.
 */
public final class BaseTraining {
    public static final String RECONSTRUCTIONS = "reconstructions.png";

    private BaseTraining() {}

    /** The config a resumed run in a folder is checked against. */
    public static BaseModelInfo requested(BaseModelConfig config) {
        return config.toInfo(null, null, null);
    }

    /**
     * Trains {@code config} on {@code images} (read from {@code inputFiles}, for the provenance) into {@code out} (made and
     * checked by the caller), continuing its checkpoint with {@code resume}.
     */
    public static LossHistory run(Backend backend, BaseModelConfig config, float[] images, List<Path> inputFiles, Path out, boolean resume,
            CheckpointPolicy checkpoints, TrainingListener listener) throws IOException {
        Provenance provenance = Provenance.of(backend, config.seed(), inputFiles);
        RunFolder folder = new RunFolder(out, resume, checkpoints, config.epochs(), "epoch",
                h -> h == null ? requested(config) : config.toInfo(h.epochs(), h.last(), provenance), BaseTrainer.RUN_KEYS,
                (dir, params, info, h) -> ModelFiles.save(dir, backend, params, config.architecture(), (BaseModelInfo) info));
        BaseTrainer trainer = new BaseTrainer(backend, config, images);
        try (BaseTrainer.Trained t = trainer.train(folder, listener)) {
            Reconstructions.write(out.resolve(RECONSTRUCTIONS), backend, t.model(), images, Math.min(16, images.length / Autoencoder.IMAGE));
            return t.history();
        }
    }
}
