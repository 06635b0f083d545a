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
 * (mean over elements), Adam, and the decoder rows kept at unit norm (the gradient's parallel
 * component removed before each step, the rows renormalised after).
 */
public final class SaeTrainer {
    /** What to train: the SAE's shape, whether targets are the canonical orientation, and the schedule. */
    public record Config(int latents, int k, int hidden, boolean invariant, int epochs, int batch, float learningRate, long seed) {}

    private SaeTrainer() {}

    /** Trains a new SAE (the caller closes it) and returns it with the loss history. */
    public static TopKSae train(Backend backend, ActivationSet acts, Config c, TrainingListener listener, LossHistory history) {
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
        try (Tensor inputs = backend.upload(acts.data(), count, n * d);
             Tensor targetRows = backend.upload(targets, count, n * d);
             Tensor in = backend.zeros(DType.F32, batch, n * d);
             Tensor out = backend.zeros(DType.F32, batch, n * d);
             Tensor grad = backend.zeros(DType.F32, batch * n, d);
             Tensor loss = backend.zeros(DType.F32, 1);
             Adam adam = new Adam(backend, sae.parameters(), c.learningRate())) {
            EpochLoop.Step step = (indices, size, rng, lossSum) -> {
                Tensor x = size == batch ? in : in.rows(0, size);
                Tensor t = size == batch ? out : out.rows(0, size);
                backend.gatherRows(inputs, indices, x);
                backend.gatherRows(targetRows, indices, t);
                Tensor rowsIn = x.reshape(size * n, d);
                Tensor g = size == batch ? grad : grad.rows(0, size * n);
                backend.mseLoss(sae.forward(rowsIn), t.reshape(size * n, d), g, loss);
                sae.backward(g);
                sae.constrainDecoderGradient();
                adam.step();
                sae.normalizeDecoder();
                backend.axpy(1f, loss, lossSum);
            };
            EpochLoop.run(backend, c.seed(), c.epochs(), count, batch, history, listener, "training the SAE",
                    " (try a smaller --lr)", step, h -> { });
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
