package dev.esae.equivariance;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.nn.Adam;
import dev.esae.nn.Parameter;
import dev.esae.train.EpochLoop;
import dev.esae.train.CompactCurvatureMemory;
import dev.esae.train.Lbfgs;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import dev.esae.train.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fits the matrix M with {@code M^p ψ(x) ≈ ψ(g^p x)} (SPEC §3), starting from the identity: by
 * Adam over mini-batches ({@link #fit}, the paper's procedure) or by full-batch L-BFGS on the same
 * loss ({@link #fitLbfgs}).
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

    /** Fits M by Adam, writing nothing. */
    public static Result fit(Backend backend, ActivationSet acts, TransformConfig config, TrainingListener listener) {
        try {
            return fit(backend, acts, config, TrainingRun.NONE, listener);
        } catch (java.io.IOException e) {
            // TrainingRun.NONE writes nothing; EpochLoop only declares the exception for runs that do.
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Fits M by Adam from the identity, continuing what {@code run} restores (M is the parameter
     * {@code "M"}) and handing it the state after each epoch.
     */
    public static Result fit(Backend backend, ActivationSet acts, TransformConfig config, TrainingRun run, TrainingListener listener)
            throws java.io.IOException {
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
            Tensor[] data = orientations(backend, acts, owned);
            Tensor[] a = zeros(backend, n, batch, d, owned);
            Tensor[] y = zeros(backend, n, batch, d, owned);
            Tensor[] g = zeros(backend, n, batch, d, owned);
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
            Map<String, Parameter> params = Map.of("M", m);
            LossHistory start = run.start(backend, params, adam, new LossHistory(count));
            LossHistory history = EpochLoop.run(backend, config.seed(), config.epochs(), count, batch, start, listener, "fitting M",
                    () -> " (try a smaller --lr or --cycle-weight)" + run.keptHint(), run::stoppedHint, step,
                    (h, epochRan) -> run.epochEnd(backend, params, adam, h, epochRan));
            return new Result(backend.download(m.value()), history);
        } finally {
            owned.forEach(Tensor::close);
            if (cycle != null) {
                cycle.close();
            }
        }
    }

    /**
     * Full-batch L-BFGS on the loss Adam minimises ({@code Σ_p mean((M^p ψ(x) − ψ(g^p x))²)} over
     * every input, plus the cycle penalty when {@code cycleWeight} > 0), from the identity, for at
     * most {@code iterations} iterations. The loss and gradient are computed on the backend, in
     * float64 from the data's second moments where it computes in float64 ({@link PowerLossMoments}),
     * else over the data in float32; the iterate is kept in double on the host, the curvature pairs in float32 on the backend
     * ({@link CompactCurvatureMemory}). The history holds one row per
     * iteration (row 0 is not kept: the loss at the identity is the first row's predecessor).
     *
     * @param listener told {@code onStart(0, 1, iterations, N)}, {@code onBatch} per iteration and
     *     {@code onEpoch} once at the end, so a progress bar shows iterations
     */
    public static LbfgsResult fitLbfgs(Backend backend, ActivationSet acts, int iterations, int history, float cycleWeight,
            TrainingListener listener) {
        int n = acts.order();
        int d = acts.dim();
        int count = acts.count();
        List<Tensor> owned = new ArrayList<>();
        // In float64 from the data's moments where the backend computes in float64 (d×d products per
        // evaluation, whatever N); else over the data itself in float32.
        boolean moments = backend.computesDouble();
        CyclePenalty cycle = cycleWeight > 0 ? new CyclePenalty(backend, moments ? DType.F64 : DType.F32, d, n, cycleWeight) : null;
        PowerLossMoments momentLoss = null;
        try {
            Lbfgs.Objective objective;
            if (moments) {
                PowerLossMoments pm = new PowerLossMoments(backend, acts);
                momentLoss = pm;
                objective = (x, gradient) -> pm.evaluate(x, gradient, cycle);
            } else {
                // Full batch: the data itself is the batch.
                Tensor m = own(owned, backend.zeros(DType.F32, d, d));
                Tensor grad = own(owned, backend.zeros(DType.F32, d, d));
                Tensor loss = own(owned, backend.zeros(DType.F32, 1));
                Tensor lossSum = own(owned, backend.zeros(DType.F32, 1));
                Tensor[] a = orientations(backend, acts, owned);
                Tensor[] y = zeros(backend, n, count, d, owned);
                Tensor[] g = zeros(backend, n, count, d, owned);
                float[] host = new float[d * d];
                objective = (x, gradient) -> {
                    for (int i = 0; i < host.length; i++) {
                        host[i] = (float) x[i];
                    }
                    try (Tensor up = backend.upload(host, d, d)) {
                        backend.copy(up, m);
                    }
                    backend.fill(lossSum, 0f);
                    PowerLoss.forwardBackward(backend, m, grad, a, y, g, loss, lossSum);
                    if (cycle != null) {
                        cycle.addLossAndGradient(m, grad, lossSum);
                    }
                    float[] gr = backend.download(grad);
                    for (int i = 0; i < gr.length; i++) {
                        gradient[i] = gr[i];
                    }
                    return backend.download(lossSum)[0];
                };
            }
            LossHistory losses = new LossHistory(count);
            listener.onStart(0, 1, iterations, count);
            long start = System.nanoTime();
            long[] last = {start};
            // The history is d² numbers a pair: kept on the backend, where two matrix products replace the two loops.
            Lbfgs.Result r = new Lbfgs(objective, () -> new CompactCurvatureMemory(backend, history, d * d), 0).minimize(
                    TransformReport.identityDoubles(d), iterations, (it, value) -> {
                        long now = System.nanoTime();
                        losses.add(value, (now - last[0]) / 1e9);
                        last[0] = now;
                        listener.onBatch(0, it, () -> value);
                    });
            if (!Double.isFinite(r.loss())) {
                throw new dev.esae.InputException("fitting M by L-BFGS: the loss is not finite at the identity (check the activations)");
            }
            listener.onEpoch(0, r.loss(), (System.nanoTime() - start) / 1e9);
            float[] mOut = new float[d * d];
            for (int i = 0; i < mOut.length; i++) {
                mOut[i] = (float) r.x()[i];
            }
            return new LbfgsResult(mOut, losses, r.iterations(), r.evaluations(), r.stop(), r.losses().get(0));
        } finally {
            owned.forEach(Tensor::close);
            if (momentLoss != null) {
                momentLoss.close();
            }
            if (cycle != null) {
                cycle.close();
            }
        }
    }

    /** Curvature pairs L-BFGS keeps by default. */
    public static final int LBFGS_HISTORY_DEFAULT = 100;

    /**
     * An L-BFGS fit: M, the loss after each iteration, how many iterations and loss evaluations it
     * took, why it stopped, and the loss at the identity it started from.
     */
    public record LbfgsResult(float[] m, LossHistory history, int iterations, int evaluations, String stop, double startLoss) {}

    /** Each orientation of the activations on the backend, {@code [N, d]}. */
    private static Tensor[] orientations(Backend backend, ActivationSet acts, List<Tensor> owned) {
        Tensor[] t = new Tensor[acts.order()];
        for (int p = 0; p < t.length; p++) {
            t[p] = own(owned, backend.upload(acts.orientation(p), acts.count(), acts.dim()));
        }
        return t;
    }

    /** {@code n} zero tensors {@code [rows, d]}. */
    private static Tensor[] zeros(Backend backend, int n, int rows, int d, List<Tensor> owned) {
        Tensor[] t = new Tensor[n];
        for (int p = 0; p < n; p++) {
            t[p] = own(owned, backend.zeros(DType.F32, rows, d));
        }
        return t;
    }

    private static Tensor own(List<Tensor> owned, Tensor t) {
        owned.add(t);
        return t;
    }
}
