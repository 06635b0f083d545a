package dev.esae.equivariance;

import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.nn.Adam;
import dev.esae.nn.Parameter;
import dev.esae.train.EpochRandom;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fits the matrix M with {@code M^p ψ(x) ≈ ψ(g^p x)} (SPEC §3), starting from the identity.
 *
 * <p>Per batch of inputs, rows {@code Y_p = ψ(x) (M^T)^p} by repeated products; the loss is
 * {@code Σ_{p=1}^{n-1} mean((Y_p − ψ(g^p x))²)} (each term a mean over batch and dimensions, as the
 * PyTorch peer writes it), plus the cycle penalty when asked. Gradients flow through every power:
 * with {@code G_p} the gradient of term p at {@code Y_p}, {@code D_{n-1} = G_{n-1}},
 * {@code D_p = G_p + D_{p+1} M} and {@code ∂L/∂M = Σ_p D_p^T Y_{p-1}}.
 */
public final class TransformFit {
    /** The fitted M ({@code d×d} row-major: {@code y = M x}) and the loss per epoch. */
    public record Result(float[] m, LossHistory history) {}

    private TransformFit() {}

    public static Result fit(Backend backend, ActivationSet acts, TransformConfig config, TrainingListener listener) {
        int n = acts.order();
        int d = acts.dim();
        int count = acts.count();
        int batch = Math.min(config.batch(), count);
        int batches = (count + batch - 1) / batch;
        double[] identity = new double[d * d];
        for (int i = 0; i < d; i++) {
            identity[i * d + i] = 1;
        }
        List<Tensor> owned = new ArrayList<>();
        CyclePenalty cycle = null;
        try (Parameter m = new Parameter(backend, DType.F32, "M", new int[] {d, d}, identity);
             Adam adam = new Adam(backend, List.of(m), config.learningRate());
             Tensor order = backend.zeros(DType.I32, count);
             Tensor loss = backend.zeros(DType.F32, 1);
             Tensor lossSum = backend.zeros(DType.F32, 1)) {
            Tensor[] data = new Tensor[n];
            Tensor[] a = new Tensor[n];
            Tensor[] y = new Tensor[n];
            Tensor[] g = new Tensor[n];
            for (int p = 0; p < n; p++) {
                data[p] = own(owned, backend.upload(acts.orientation(p), count, d));
                a[p] = own(owned, backend.zeros(DType.F32, batch, d));
                y[p] = p == 0 ? a[0] : own(owned, backend.zeros(DType.F32, batch, d));
                g[p] = own(owned, backend.zeros(DType.F32, batch, d));
            }
            if (config.cycleWeight() > 0) {
                cycle = new CyclePenalty(backend, DType.F32, d, n, config.cycleWeight());
            }
            LossHistory history = new LossHistory(count);
            listener.onStart(0, config.epochs(), batches, count);
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                SplittableRandom rng = EpochRandom.of(config.seed(), epoch);
                try (Tensor perm = backend.uploadInts(EpochRandom.permutation(rng, count), count)) {
                    backend.copy(perm, order);
                }
                backend.fill(lossSum, 0f);
                for (int b = 0; b < batches; b++) {
                    int start = b * batch;
                    int size = Math.min(batch, count - start);
                    Tensor idx = order.rows(start, size);
                    Tensor[] av = new Tensor[n];
                    Tensor[] yv = new Tensor[n];
                    Tensor[] gv = new Tensor[n];
                    for (int p = 0; p < n; p++) {
                        av[p] = size == batch ? a[p] : a[p].rows(0, size);
                        yv[p] = p == 0 ? av[0] : size == batch ? y[p] : y[p].rows(0, size);
                        gv[p] = size == batch ? g[p] : g[p].rows(0, size);
                        backend.gatherRows(data[p], idx, av[p]);
                    }
                    PowerLoss.forwardBackward(backend, m.value(), m.grad(), av, yv, gv, loss, lossSum);
                    if (cycle != null) {
                        cycle.addLossAndGradient(m.value(), m.grad(), lossSum);
                    }
                    adam.step();
                    int done = b + 1;
                    listener.onBatch(epoch, done, () -> backend.download(lossSum)[0] / done);
                }
                double epochLoss = backend.download(lossSum)[0] / batches;
                if (!Double.isFinite(epochLoss)) {
                    throw new InputException("fitting M diverged: the loss of epoch " + (epoch + 1) + " is " + epochLoss
                            + " (try a smaller --lr or --cycle-weight)");
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                history.add(epochLoss, secs);
                listener.onEpoch(epoch, epochLoss, secs);
            }
            return new Result(backend.download(m.value()), history);
        } finally {
            owned.forEach(Tensor::close);
            if (cycle != null) {
                cycle.close();
            }
        }
    }

    private static Tensor own(List<Tensor> owned, Tensor t) {
        owned.add(t);
        return t;
    }
}
