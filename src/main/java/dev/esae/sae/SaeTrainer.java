package dev.esae.sae;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.equivariance.ActivationSet;
import dev.esae.nn.Adam;
import dev.esae.train.EpochLoop;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import dev.esae.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Trains a {@link TopKSae} on activation sets (SPEC §4): each step takes a batch of inputs in all
 * n orientations; the SAE reconstructs each row ({@code ψ(g^p x) → ψ(g^p x)}) or, for the
 * invariant kinds, maps every orientation to the canonical one ({@code ψ(g^p x) → ψ(x)}). MSE
 * (mean over elements), Adam, {@code b_dec} initialised to the targets' mean, and the decoder
 * rows kept at unit norm (the gradient's parallel component removed before each step, the rows
 * renormalised after). Optionally AuxK ({@link TopKSae#enableAuxK}): latents that have not fired
 * over the last epoch's worth of rows count as dead; the epoch loss then includes the auxiliary
 * term, and a resumed run starts counting dead latents afresh.
 */
public final class SaeTrainer {
    /** What to train: the SAE's shape, whether targets are the canonical orientation, and the schedule. */
    public record Config(int latents, int k, int hidden, boolean invariant, int epochs, int batch, float learningRate, long seed,
            int auxK, float auxCoef) {
        /** Without AuxK. */
        public Config(int latents, int k, int hidden, boolean invariant, int epochs, int batch, float learningRate, long seed) {
            this(latents, k, hidden, invariant, epochs, batch, learningRate, seed, 0, 0f);
        }
    }

    /** The cfg.json fields a resumed run must share with its checkpoint. */
    public static final java.util.List<String> RUN_KEYS = java.util.List.of("esae_kind", "d_sae", "k", "batch", "lr", "seed", "inputs",
            "auxk", "auxk_coef");

    private SaeTrainer() {}

    /** For each of a batch's {@code batch · n} rows (input i's orientations at i·n …), the row of its input's canonical orientation. */
    private static int[] canonicalRows(int batch, int n) {
        int[] rows = new int[batch * n];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = (r / n) * n;
        }
        return rows;
    }

    /** Trains a new SAE (the caller closes it), writing nothing; {@code history} receives the losses. */
    public static TopKSae train(Backend backend, ActivationSet acts, Config c, TrainingListener listener, LossHistory history) {
        try {
            return train(backend, acts, c, TrainingRun.NONE, listener, history);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Trains an SAE (the caller closes it), continuing what {@code run} restores and handing it the
     * state after each epoch; {@code history} receives the losses (a resumed run's included).
     */
    public static TopKSae train(Backend backend, ActivationSet acts, Config c, TrainingRun run, TrainingListener listener,
            LossHistory history) throws IOException {
        int n = acts.order();
        int d = acts.dim();
        int count = acts.count();
        int batch = Math.min(c.batch(), count);
        TopKSae sae = new TopKSae(backend, d, c.latents(), c.k(), c.hidden(), c.seed());
        // b_dec starts at the targets' mean: centred inputs keep one shared direction from
        // winning every TopK (which leaves most latents dead from the first step). For the
        // invariant kinds every orientation's target is the canonical row, counted n times.
        float[] data = acts.data();
        double[] mean = new double[d];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < n; p++) {
                int at = (i * n + (c.invariant() ? 0 : p)) * d;
                for (int j = 0; j < d; j++) {
                    mean[j] += data[at + j];
                }
            }
        }
        float[] bias = new float[d];
        for (int j = 0; j < d; j++) {
            bias[j] = (float) (mean[j] / ((double) count * n));
        }
        sae.setDecoderBias(bias);
        // AuxK: a latent is dead when it has not fired over the last epoch's worth of rows (the
        // SAE counts on the backend; count · n rows fit an int, as the activations' array does).
        if (c.auxK() > 0) {
            sae.enableAuxK(c.auxK(), c.auxCoef(), Math.multiplyExact(count, n));
        }
        // The activations are on the backend once. The invariant kinds' targets are not stored: each
        // step copies every input's canonical row (row i·n of the batch's [B·n, d] rows) to its n
        // rows, by a gather with indices fixed for the run, so training holds no second copy.
        boolean sameTargets = !c.invariant();
        try (Tensor inputs = backend.upload(data, count, n * d);
             Tensor canonical = sameTargets ? null : backend.uploadInts(canonicalRows(batch, n), batch * n);
             Tensor in = backend.zeros(DType.F32, batch, n * d);
             Tensor tgt = sameTargets ? null : backend.zeros(DType.F32, batch * n, d);
             Tensor grad = backend.zeros(DType.F32, batch * n, d);
             Tensor loss = backend.zeros(DType.F32, 1);
             Adam adam = new Adam(backend, sae.parameters(), c.learningRate())) {
            EpochLoop.Step step = (indices, size, rng, lossSum) -> {
                Tensor x = size == batch ? in : in.rows(0, size);
                backend.gatherRows(inputs, indices, x);
                Tensor rowsIn = x.reshape(size * n, d);
                Tensor tr = rowsIn;
                if (!sameTargets) {
                    tr = size == batch ? tgt : tgt.rows(0, size * n);
                    backend.gatherRows(rowsIn, size == batch ? canonical : canonical.rows(0, size * n), tr);
                }
                Tensor g = size == batch ? grad : grad.rows(0, size * n);
                backend.mseLoss(sae.forward(rowsIn), tr, g, loss);
                if (c.auxK() > 0) {
                    sae.backward(g, tr, lossSum);
                } else {
                    sae.backward(g);
                }
                sae.constrainDecoderGradient();
                adam.step();
                sae.normalizeDecoder();
                backend.axpy(1f, loss, lossSum);
            };
            java.util.Map<String, dev.esae.nn.Parameter> params = sae.namedParameters();
            LossHistory h0 = run.start(backend, params, adam, history);
            EpochLoop.run(backend, c.seed(), c.epochs(), count, batch, h0, listener, "training the SAE",
                    () -> run == TrainingRun.NONE ? " (try a smaller --lr)" : run.keptHint(), run::stoppedHint, step,
                    (h, epochRan) -> run.epochEnd(backend, params, adam, h, epochRan));
            if (h0 != history) {
                history.replaceWith(h0);
            }
            return sae;
        } catch (IOException | RuntimeException e) {
            sae.close();
            throw e;
        }
    }
}
