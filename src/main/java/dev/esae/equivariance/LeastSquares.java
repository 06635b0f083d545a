package dev.esae.equivariance;

import dev.esae.InputException;

/**
 * The closed-form least-squares map from one orientation to the next: {@code M = argmin Σ_i
 * ‖ψ(g x_i) − M ψ(x_i)‖²} with no intercept (the form M has), from the normal equations
 * {@code (XᵀX) Mᵀ = XᵀY} solved by Cholesky in double precision. A ridge of 1e-10 × the mean
 * diagonal of XᵀX keeps it defined when some directions of ψ never vary.
 */
public final class LeastSquares {
    private LeastSquares() {}

    /** M ({@code d×d}, {@code y = M x}) from rows {@code x [rows, d]} and {@code y [rows, d]}. */
    public static float[] fit(float[] x, float[] y, int rows, int d) {
        double[] gram = new double[d * d];
        double[] cross = new double[d * d];
        double[] xr = new double[d];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < d; i++) {
                xr[i] = x[r * d + i];
            }
            for (int i = 0; i < d; i++) {
                double xi = xr[i];
                if (xi == 0) {
                    continue;
                }
                int gi = i * d;
                for (int j = i; j < d; j++) {
                    gram[gi + j] += xi * xr[j];
                }
                int yo = r * d;
                for (int j = 0; j < d; j++) {
                    cross[gi + j] += xi * y[yo + j];
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += gram[i * d + i];
            for (int j = 0; j < i; j++) {
                gram[i * d + j] = gram[j * d + i];
            }
        }
        double ridge = 1e-10 * Math.max(trace / d, Double.MIN_NORMAL);
        for (int i = 0; i < d; i++) {
            gram[i * d + i] += ridge;
        }
        double[] l = cholesky(gram, d);
        // Solve L Lᵀ B = C column by column; B = Mᵀ.
        float[] m = new float[d * d];
        double[] col = new double[d];
        for (int c = 0; c < d; c++) {
            for (int i = 0; i < d; i++) {
                double s = cross[i * d + c];
                for (int k = 0; k < i; k++) {
                    s -= l[i * d + k] * col[k];
                }
                col[i] = s / l[i * d + i];
            }
            for (int i = d - 1; i >= 0; i--) {
                double s = col[i];
                for (int k = i + 1; k < d; k++) {
                    s -= l[k * d + i] * col[k];
                }
                col[i] = s / l[i * d + i];
            }
            for (int i = 0; i < d; i++) {
                m[c * d + i] = (float) col[i];
            }
        }
        return m;
    }

    private static double[] cholesky(double[] a, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new InputException("least squares: the activations' Gram matrix is not positive definite"
                                + " (dimension " + i + "); are the activations all zero?");
                    }
                    l[i * d + i] = Math.sqrt(s);
                } else {
                    l[i * d + j] = s / l[j * d + j];
                }
            }
        }
        return l;
    }
}
