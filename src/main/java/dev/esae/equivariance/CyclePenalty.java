package dev.esae.equivariance;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;

/**
 * The penalty {@code W · ‖M^n − I‖²_F / d} that pushes {@code g^n = 1} onto M (the paper's open
 * question), and its gradient {@code (2W/d) Σ_{k=0}^{n-1} (M^k)^T E (M^{n-1-k})^T} with
 * {@code E = M^n − I}, all on the backend (2n + n−1 products of d×d matrices per step).
 */
final class CyclePenalty implements AutoCloseable {
    private final Backend backend;
    private final int d;
    private final int n;
    private final float weight;
    private final Tensor identity;
    private final Tensor[] powers;
    private final Tensor error;
    private final Tensor temp;
    private final Tensor sum;

    CyclePenalty(Backend backend, DType dtype, int d, int n, float weight) {
        this.backend = backend;
        this.d = d;
        this.n = n;
        this.weight = weight;
        this.identity = dtype == DType.F64 ? backend.uploadDoubles(TransformReport.identityDoubles(d), d, d)
                : backend.upload(TransformReport.identity(d), d, d);
        this.powers = new Tensor[n + 1];
        powers[0] = identity;
        for (int k = 1; k <= n; k++) {
            powers[k] = backend.zeros(dtype, d, d);
        }
        this.error = backend.zeros(dtype, d, d);
        this.temp = backend.zeros(dtype, d, d);
        this.sum = backend.zeros(dtype, 1);
    }

    /** Adds the penalty to {@code lossSum[0]} and its gradient to {@code grad}. */
    void addLossAndGradient(Tensor m, Tensor grad, Tensor lossSum) {
        backend.copy(m, powers[1]);
        for (int k = 2; k <= n; k++) {
            backend.gemm(false, false, 1f, powers[k - 1], m, 0f, powers[k]);
        }
        backend.copy(powers[n], error);
        backend.axpy(-1f, identity, error);
        backend.sumSquares(error, sum);
        backend.axpy(weight / d, sum, lossSum);
        float scale = 2f * weight / d;
        for (int k = 0; k < n; k++) {
            backend.gemm(true, false, 1f, powers[k], error, 0f, temp);
            backend.gemm(false, true, scale, temp, powers[n - 1 - k], 1f, grad);
        }
    }

    /** {@code ‖M^n − I‖_F / √d} of a host matrix, in double. */
    static double cycleError(float[] m, int d, int n) {
        double[] p = new double[d * d];
        for (int i = 0; i < d; i++) {
            p[i * d + i] = 1;
        }
        for (int k = 0; k < n; k++) {
            double[] next = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int l = 0; l < d; l++) {
                    double pil = p[i * d + l];
                    if (pil != 0) {
                        for (int j = 0; j < d; j++) {
                            next[i * d + j] += pil * m[l * d + j];
                        }
                    }
                }
            }
            p = next;
        }
        double s = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double e = p[i * d + j] - (i == j ? 1 : 0);
                s += e * e;
            }
        }
        return Math.sqrt(s / d);
    }

    @Override
    public void close() {
        for (int k = 1; k <= n; k++) {
            powers[k].close();
        }
        identity.close();
        error.close();
        temp.close();
        sum.close();
    }
}
