package dev.esae.sae;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.equivariance.ActivationSet;
import dev.esae.nn.Adam;
import dev.esae.train.EpochLoop;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
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

    /** Trains a new SAE (the caller closes it), writing nothing; {@code history} receives the losses. */
    public static TopKSae train(Backend backend, ActivationSet acts, Config c, TrainingListener listener, LossHistory history) {
        return train(backend, acts, c, null, false, null, null, listener, history);
    }

    /**
     * Trains an SAE; with {@code out}, writes after every epoch the checkpoint, the SAE folder
     * ({@link SaeFiles}, with {@code transform} for the equivariant kind) and {@code loss.csv},
     * and with {@code resume} continues from the checkpoint there ({@code history} is then
     * replaced by the checkpoint's).
     */
    public static TopKSae train(Backend backend, ActivationSet acts, Config c, java.nio.file.Path out, boolean resume,
            java.util.Map<String, Object> cfgJson, float[] transform, TrainingListener listener, LossHistory history) {
        int n = acts.order();
        int d = acts.dim();
        int count = acts.count();
        int batch = Math.min(c.batch(), count);
        TopKSae sae = new TopKSae(backend, d, c.latents(), c.k(), c.hidden(), c.seed());
        float[] targets = acts.data();
        if (c.invariant()) {
            targets = new float[acts.data().length];
            float[] canonical = acts.orientation(0);
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < n; p++) {
                    System.arraycopy(canonical, i * d, targets, (i * n + p) * d, d);
                }
            }
        }
        // b_dec starts at the targets' mean: centred inputs keep one shared direction from
        // winning every TopK (which leaves most latents dead from the first step).
        double[] mean = new double[d];
        for (int i = 0; i < targets.length; i++) {
            mean[i % d] += targets[i];
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
        try (Tensor inputs = backend.upload(acts.data(), count, n * d);
             Tensor targetRows = backend.upload(targets, count, n * d);
             Tensor in = backend.zeros(DType.F32, batch, n * d);
             Tensor tgt = backend.zeros(DType.F32, batch, n * d);
             Tensor grad = backend.zeros(DType.F32, batch * n, d);
             Tensor loss = backend.zeros(DType.F32, 1);
             Adam adam = new Adam(backend, sae.parameters(), c.learningRate())) {
            EpochLoop.Step step = (indices, size, rng, lossSum) -> {
                Tensor x = size == batch ? in : in.rows(0, size);
                Tensor t = size == batch ? tgt : tgt.rows(0, size);
                backend.gatherRows(inputs, indices, x);
                backend.gatherRows(targetRows, indices, t);
                Tensor rowsIn = x.reshape(size * n, d);
                Tensor g = size == batch ? grad : grad.rows(0, size * n);
                Tensor tr = t.reshape(size * n, d);
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
            LossHistory h0 = history;
            if (resume && out != null && dev.esae.train.Checkpoint.exists(out)) {
                dev.esae.train.Checkpoint.State st = dev.esae.train.Checkpoint.read(out, backend, sae.namedParameters(), adam, count);
                dev.esae.train.Checkpoint.requireSameRun(out, st.config(), cfgJson, RUN_KEYS);
                h0 = st.history();
            }
            EpochLoop.run(backend, c.seed(), c.epochs(), count, batch, h0, listener, "training the SAE",
                    out == null ? " (try a smaller --lr)" : "; the last good checkpoint in " + out + " is kept", step, (h, epochRan) -> {
                        if (out != null) {
                            java.util.Map<String, Object> json = new java.util.LinkedHashMap<>(cfgJson);
                            json.put("epochs_done", h.epochs());
                            json.put("final_loss", h.last());
                            if (epochRan) {
                                dev.esae.train.Checkpoint.write(out, backend, sae.namedParameters(), adam, h.epochs(), h, json);
                            }
                            SaeFiles.save(out, backend, sae, transform, json);
                            h.writeCsv(out.resolve("loss.csv"));
                            h.writeTimingCsv(out.resolve("timing.csv"));
                        }
                    });
            if (h0 != history) {
                history.replaceWith(h0);
            }
            return sae;
        } catch (IOException e) {
            sae.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            sae.close();
            throw e;
        }
    }
}
