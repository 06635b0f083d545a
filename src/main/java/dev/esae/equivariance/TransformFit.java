package dev.esae.equivariance;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.nn.Adam;
import dev.esae.nn.Parameter;
import dev.esae.train.EpochLoop;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;

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
        double[] identity = TransformReport.identityDoubles(d);
        List<Tensor> owned = new ArrayList<>();
        CyclePenalty cycle = config.cycleWeight() > 0 ? new CyclePenalty(backend, DType.F32, d, n, config.cycleWeight()) : null;
        try (Parameter m = new Parameter(backend, DType.F32, "M", new int[] {d, d}, identity);
             Adam adam = new Adam(backend, List.of(m), config.learningRate());
             Tensor loss = backend.zeros(DType.F32, 1)) {
            Tensor[] data = new Tensor[n];
            Tensor[] a = new Tensor[n];
            Tensor[] y = new Tensor[n];
            Tensor[] g = new Tensor[n];
            for (int p = 0; p < n; p++) {
                data[p] = own(owned, backend.upload(acts.orientation(p), count, d));
                a[p] = own(owned, backend.zeros(DType.F32, batch, d));
                y[p] = own(owned, backend.zeros(DType.F32, batch, d));
                g[p] = own(owned, backend.zeros(DType.F32, batch, d));
            }
            EpochLoop.Step step = (indices, size, rng, lossSum) -> {
                Tensor[] av = new Tensor[n];
                Tensor[] yv = new Tensor[n];
                Tensor[] gv = new Tensor[n];
                for (int p = 0; p < n; p++) {
                    av[p] = size == batch ? a[p] : a[p].rows(0, size);
                    yv[p] = size == batch ? y[p] : y[p].rows(0, size);
                    gv[p] = size == batch ? g[p] : g[p].rows(0, size);
                    backend.gatherRows(data[p], indices, av[p]);
                }
                PowerLoss.forwardBackward(backend, m.value(), m.grad(), av, yv, gv, loss, lossSum);
                if (cycle != null) {
                    cycle.addLossAndGradient(m.value(), m.grad(), lossSum);
                }
                adam.step();
            };
            LossHistory history = EpochLoop.run(backend, config.seed(), config.epochs(), count, batch, new LossHistory(count),
                    listener, "fitting M", " (try a smaller --lr or --cycle-weight)", step, (h, epochRan) -> { });
            return new Result(backend.download(m.value()), history);
        } catch (java.io.IOException e) {
            // The epoch hook writes nothing here; EpochLoop only declares the exception for trainers that do.
            throw new java.io.UncheckedIOException(e);
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
