package dev.esae.train;

import dev.esae.compute.Backend;
import dev.esae.io.Json;
import dev.esae.nn.Adam;
import dev.esae.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one folder layout of a training run (train-base, train-sae, fit-m): a {@link Checkpoint}
 * every {@code checkpointEvery} epochs and after the last, then the files derived from that state
 * (weights and config, written by the caller's {@link Derived}), then {@code loss.csv} and
 * {@code timing.csv}. Resuming loads the checkpoint after checking it belongs to the same run
 * ({@code runKeys} of the config equal). The derived files are only ever written from a state that
 * is also checkpointed, so after a kill a resume re-derives exactly the same bytes.
 */
public final class RunFolder implements TrainingRun {
    /** Writes the files derived from the state now in {@code params}, with {@code config} describing it. */
    @FunctionalInterface
    public interface Derived {
        /** Writes into {@code dir} what follows from {@code params} after {@code history}'s epochs, described by {@code config}. */
        void write(Path dir, Map<String, Parameter> params, Object config, LossHistory history) throws IOException;
    }

    private final Path dir;
    private final String tag;
    private final boolean resume;
    private final CheckpointPolicy checkpoints;
    private final int epochs;
    private final String firstColumn;
    private final Function<LossHistory, Object> configAt;
    private final Object requested;
    private final List<String> runKeys;
    private final Derived derived;
    /** Epochs done in the checkpoint last written or loaded; -1 while there is none. */
    private int checkpointed = -1;
    /** When the last save (or the run) started, for {@link CheckpointPolicy#minSeconds}. */
    private long savedAt = System.nanoTime();

    /**
     * @param dir the folder (made and checked by the caller)
     * @param resume continue from the checkpoint in {@code dir} when there is one
     * @param checkpoints when to save (always after the last of {@code epochs})
     * @param epochs the epochs asked for
     * @param firstColumn the name of loss.csv's first column ("epoch", or "iteration")
     * @param configAt the run's config after the epochs of a history (a record; stored in the checkpoint and given to {@code derived})
     * @param runKeys the config fields a resumed run must share with its checkpoint
     */
    public RunFolder(Path dir, boolean resume, CheckpointPolicy checkpoints, int epochs, String firstColumn,
            Function<LossHistory, Object> configAt, List<String> runKeys, Derived derived) {
        this(dir, "", resume, checkpoints, epochs, firstColumn, configAt, runKeys, derived);
    }

    /**
     * A run that shares its folder with another: {@code tag} names its files apart
     * ({@code train-state-TAG.safetensors}, {@code loss-TAG.csv}, {@code timing-TAG.csv}; "" for the
     * folder's main run).
     */
    public RunFolder(Path dir, String tag, boolean resume, CheckpointPolicy checkpoints, int epochs, String firstColumn,
            Function<LossHistory, Object> configAt, List<String> runKeys, Derived derived) {
        this.checkpoints = Objects.requireNonNull(checkpoints);
        this.dir = Objects.requireNonNull(dir);
        this.tag = tag;
        this.resume = resume;
        this.epochs = epochs;
        this.firstColumn = firstColumn;
        this.configAt = configAt;
        this.requested = configAt.apply(null);
        this.runKeys = runKeys;
        this.derived = derived;
    }

    /** This run's checkpoint file name. */
    public String checkpointName() {
        return named(tag, "train-state", ".safetensors");
    }

    private static String named(String tag, String base, String ext) {
        return tag.isEmpty() ? base + ext : base + "-" + tag + ext;
    }

    @Override
    public LossHistory start(Backend backend, Map<String, Parameter> params, Adam adam, LossHistory fresh) {
        if (!resume || !Checkpoint.exists(dir, checkpointName())) {
            return fresh;
        }
        Checkpoint.State st = Checkpoint.read(dir, checkpointName(), backend, params, adam, fresh.samplesPerEpoch());
        Checkpoint.requireSameRun(dir, st.config(), Json.untypedObject(requested), runKeys);
        checkpointed = st.history().epochs();
        return st.history();
    }

    @Override
    public void epochEnd(Backend backend, Map<String, Parameter> params, Adam adam, LossHistory h, boolean epochRan) throws IOException {
        boolean due = checkpoints.due(h.epochs(), epochs, (System.nanoTime() - savedAt) / 1e9);
        if (epochRan && !due) {
            return;
        }
        savedAt = System.nanoTime();
        Object config = configAt.apply(h);
        if (epochRan) {
            Checkpoint.write(dir, checkpointName(), backend, params, adam, h.epochs(), h, Json.untypedObject(config));
            checkpointed = h.epochs();
        }
        derived.write(dir, params, config, h);
        writeCsvs(dir, tag, h, firstColumn);
    }

    /**
     * {@code loss.csv} and {@code timing.csv} of a history ({@code loss-TAG.csv}, {@code timing-TAG.csv}
     * for a tagged run), also for runs without a checkpoint, such as an L-BFGS fit.
     */
    public static void writeCsvs(Path dir, String tag, LossHistory h, String firstColumn) throws IOException {
        h.writeCsv(dir.resolve(named(tag, "loss", ".csv")), firstColumn);
        h.writeTimingCsv(dir.resolve(named(tag, "timing", ".csv")));
    }

    /** Where the last good state is, once a checkpoint has been written or loaded; with {@code --checkpoint-every} > 1 there may be none yet. */
    @Override
    public String keptHint() {
        return Checkpoint.exists(dir, checkpointName()) ? "; the last good checkpoint in " + dir + " is kept" : "; nothing was saved";
    }

    @Override
    public String stoppedHint() {
        return checkpointed < 0 ? "no checkpoint was written yet (one is written every " + checkpoints.everyEpochs() + " epoch(s)"
                + (checkpoints.minSeconds() > 0 ? " once " + checkpoints.minSeconds() + " s have passed" : "") + "), so nothing is kept"
                : "the checkpoint after epoch " + checkpointed + " is kept in " + dir.resolve(checkpointName());
    }
}
