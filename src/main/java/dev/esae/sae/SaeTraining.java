package dev.esae.sae;

import dev.esae.BuildInfo;
import dev.esae.compute.Backend;
import dev.esae.equivariance.ActivationSet;
import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import dev.esae.train.CheckpointPolicy;
import dev.esae.train.LossHistory;
import dev.esae.train.Provenance;
import dev.esae.train.RunFolder;
import dev.esae.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code esae train-sae} as a library call: trains one SAE into a folder ({@link RunFolder}:
 * checkpoint, {@code cfg.json} and {@code sae_weights.safetensors} in SAELens's layout,
 * {@code loss.csv}, {@code timing.csv}), then scores it over every row and writes
 * {@code metrics.json}.
 */
public final class SaeTraining {
    private SaeTraining() {}

    /**
     * One SAE to train.
     *
     * @param inputFiles the files the activations (and M) were read from, for the provenance
     * @param transform M for the equivariant kind, else null
     * @param unknownP also score the equivariant kind with each row's p picked by the closest M^p reconstruction
     */
    public record Request(SaeKind kind, ActivationSet acts, SaeConfig config, SaeTrainer.Config schedule, float[] transform,
            boolean unknownP, List<Path> inputFiles) {
        /** The request for {@code kind} with K = {@code k} on {@code acts}; {@code training} says how. */
        public static Request of(SaeKind kind, int k, ActivationSet acts, SaeConfig.Training training, float[] transform,
                boolean unknownP, List<Path> inputFiles) {
            int latents = kind.latents(acts.dim(), acts.order());
            SaeConfig cfg = SaeConfig.of(kind, acts.dim(), latents, k, acts.order(), training, BuildInfo.version());
            SaeTrainer.Config schedule = new SaeTrainer.Config(latents, k, kind.hidden(), kind.invariantTargets(), training.epochs(),
                    training.batch(), training.lr(), training.seed(), training.auxk(), training.auxkCoef());
            return new Request(kind, acts, cfg, schedule, transform, unknownP, new ArrayList<>(inputFiles));
        }
    }

    /** What training gave: the scores written to metrics.json and the loss history. */
    public record Outcome(SaeScores metrics, LossHistory history) {}

    /** Trains {@code r} into {@code out} (made and checked by the caller), continuing its checkpoint with {@code resume}. */
    public static Outcome run(Backend backend, Request r, Path out, boolean resume, CheckpointPolicy checkpoints, TrainingListener listener)
            throws IOException {
        Provenance provenance = Provenance.of(backend, r.schedule().seed(), r.inputFiles());
        int dim = r.acts().dim();
        RunFolder folder = new RunFolder(out, resume, checkpoints, r.schedule().epochs(), "epoch",
                h -> h == null ? r.config() : r.config().trained(backend.name(), h.epochs(), h.last(), provenance), SaeTrainer.RUN_KEYS,
                (dir, params, cfg, h) -> SaeFiles.save(dir, backend, params, dim, r.transform(), (SaeConfig) cfg));
        LossHistory h = new LossHistory(r.acts().count());
        try (TopKSae sae = SaeTrainer.train(backend, r.acts(), r.schedule(), folder, listener, h)) {
            SaeScores metrics = SaeMetrics.evaluate(backend, sae, r.kind(), r.acts(), r.transform(), r.unknownP())
                    .withTraining(h.last(), h.epochs(), provenance);
            AtomicFiles.writeString(out.resolve(SaeFiles.METRICS), Json.pretty(metrics));
            return new Outcome(metrics, h);
        }
    }
}
