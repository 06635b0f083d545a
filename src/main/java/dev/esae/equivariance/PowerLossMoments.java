package dev.esae.equivariance;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The full-batch loss of {@link PowerLoss}, {@code Σ_{p=1}^{n-1} mean((ψ(x) (M^p)ᵀ − ψ(g^p x))²)},
 * and its gradient from the data's second moments, in float64: with {@code X = ψ(x)} and
 * {@code B_p = ψ(g^p x)} ({@code [N, d]}), {@code C = XᵀX} and {@code F_p = B_pᵀX},
 * <pre>
 *   L_p = (⟨M^p C, M^p⟩ − 2⟨M^p, F_p⟩ + ‖B_p‖²) / (N d),   ∂L_p/∂M^p = 2 (M^p C − F_p) / (N d),
 * </pre>
 * and the chain through the powers {@code T_{n-1} = G_{n-1}}, {@code T_p = G_p + T_{p+1} Mᵀ},
 * {@code ∂L/∂M = T_1 + Σ_{p=1}^{n-2} (M^p)ᵀ T_{p+1}}.
 *
 * <p>An evaluation is 3n − 3 products of {@code d×d} matrices whatever the number of inputs N,
 * where the data path costs 5(n − 1) products of {@code [N, d]} by {@code [d, d]}; the L-BFGS
 * solver of M evaluates about a thousand times. In double, the loss keeps its precision although
 * it is a difference of larger terms (near the minimum the three terms are ~100× the loss). It
 * needs a backend that computes in float64 ({@link Backend#computesDouble}).
 */
final class PowerLossMoments implements AutoCloseable {
    private final Backend backend;
    private final int n;
    private final int d;
    private final double norm;
    private final Tensor c;
    private final double[][] f;
    private final double[] t;
    private final Tensor[] a;
    private final Tensor[] g;
    private final Tensor[] tt;
    private final Tensor product;
    private final Tensor grad;
    private final Tensor lossSum;
    private final List<Tensor> owned = new ArrayList<>();

    PowerLossMoments(Backend backend, ActivationSet acts) {
        if (!backend.computesDouble()) {
            throw new IllegalArgumentException("the " + backend.name() + " backend does not compute in float64");
        }
        this.backend = backend;
        this.n = acts.order();
        this.d = acts.dim();
        int count = acts.count();
        this.norm = (double) count * d;
        this.f = new double[n][];
        this.t = new double[n];
        this.a = new Tensor[n];
        this.g = new Tensor[n];
        this.tt = new Tensor[n];
        try {
            c = own(backend.zeros(DType.F64, d, d));
            try (Tensor x = backend.uploadDoubles(toDouble(acts.orientation(0)), count, d);
                 Tensor fp = backend.zeros(DType.F64, d, d)) {
                backend.gemm(true, false, 1f, x, x, 0f, c);
                for (int p = 1; p < n; p++) {
                    double[] bp = toDouble(acts.orientation(p));
                    double sq = 0;
                    for (double v : bp) {
                        sq += v * v;
                    }
                    t[p] = sq;
                    try (Tensor b = backend.uploadDoubles(bp, count, d)) {
                        backend.gemm(true, false, 1f, b, x, 0f, fp);
                    }
                    f[p] = backend.downloadDoubles(fp);
                }
            }
            for (int p = 1; p < n; p++) {
                a[p] = own(backend.zeros(DType.F64, d, d));
                g[p] = own(backend.zeros(DType.F64, d, d));
                tt[p] = own(backend.zeros(DType.F64, d, d));
            }
            product = own(backend.zeros(DType.F64, d, d));
            grad = own(backend.zeros(DType.F64, d, d));
            lossSum = own(backend.zeros(DType.F64, 1));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Tensor own(Tensor x) {
        owned.add(x);
        return x;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /**
     * The loss at {@code m} ({@code d×d} row-major, {@code y = M x}) and its gradient, written into
     * {@code gradient}; with {@code cycle} (float64) its penalty and gradient added.
     */
    double evaluate(double[] m, double[] gradient, CyclePenalty cycle) {
        double loss = 0;
        try (Tensor mt = backend.uploadDoubles(m, d, d)) {
            backend.copy(mt, a[1]);
            for (int p = 2; p < n; p++) {
                backend.gemm(false, false, 1f, a[p - 1], mt, 0f, a[p]);
            }
            double[] gp = new double[d * d];
            for (int p = 1; p < n; p++) {
                backend.gemm(false, false, 1f, a[p], c, 0f, product);
                double[] pc = backend.downloadDoubles(product);
                double[] ap = p == 1 ? m : backend.downloadDoubles(a[p]);
                double[] fp = f[p];
                double quad = 0;
                double cross = 0;
                for (int i = 0; i < gp.length; i++) {
                    quad += pc[i] * ap[i];
                    cross += ap[i] * fp[i];
                    gp[i] = 2 * (pc[i] - fp[i]) / norm;
                }
                loss += (quad - 2 * cross + t[p]) / norm;
                try (Tensor up = backend.uploadDoubles(gp, d, d)) {
                    backend.copy(up, g[p]);
                }
            }
            backend.copy(g[n - 1], tt[n - 1]);
            for (int p = n - 2; p >= 1; p--) {
                backend.copy(g[p], tt[p]);
                backend.gemm(false, true, 1f, tt[p + 1], mt, 1f, tt[p]);
            }
            backend.copy(tt[1], grad);
            for (int p = 1; p <= n - 2; p++) {
                backend.gemm(true, false, 1f, a[p], tt[p + 1], 1f, grad);
            }
            if (cycle != null) {
                backend.fill(lossSum, 0f);
                cycle.addLossAndGradient(mt, grad, lossSum);
                loss += backend.downloadDoubles(lossSum)[0];
            }
        }
        double[] out = backend.downloadDoubles(grad);
        System.arraycopy(out, 0, gradient, 0, out.length);
        return loss;
    }

    @Override
    public void close() {
        owned.forEach(Tensor::close);
        owned.clear();
    }
}
