package dev.esae.testutil;

import java.util.SplittableRandom;

/** Synthetic data with known structure, shared by tests. */
public final class Synthetic {
    private Synthetic() {}

    /** A random orthogonal Q (Gram–Schmidt), times 2x2 rotations by multiples of 2π/n, times Qᵀ: M*ⁿ = I. */
    public static double[] cyclicOrthogonal(SplittableRandom rng, int d, int n, double extraAngle) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                q[i][j] = rng.nextGaussian();
            }
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += q[i][j] * q[k][j];
                }
                for (int j = 0; j < d; j++) {
                    q[i][j] -= dot * q[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += q[i][j] * q[i][j];
            }
            for (int j = 0; j < d; j++) {
                q[i][j] /= Math.sqrt(norm);
            }
        }
        double[][] r = new double[d][d];
        for (int b = 0; b + 1 < d; b += 2) {
            double angle = 2 * Math.PI * rng.nextInt(n) / n + extraAngle;
            r[b][b] = Math.cos(angle);
            r[b][b + 1] = -Math.sin(angle);
            r[b + 1][b] = Math.sin(angle);
            r[b + 1][b + 1] = Math.cos(angle);
        }
        if (d % 2 == 1) {
            r[d - 1][d - 1] = 1;
        }
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    for (int l = 0; l < d; l++) {
                        s += q[k][i] * r[k][l] * q[l][j];
                    }
                }
                m[i * d + j] = s;
            }
        }
        return m;
    }

}
