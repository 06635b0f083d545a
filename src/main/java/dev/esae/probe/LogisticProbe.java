package dev.esae.probe;

import dev.esae.train.Lbfgs;

/**
 * L2-regularised logistic regression (SPEC §5: strength 1e-4), trained to convergence with L-BFGS
 * in double precision.
 *
 * <p>Features are standardised on the training rows (mean 0, standard deviation 1; constant
 * features only centred), so that one strength means the same for every input. The objective is
 * {@code (1/n) Σ log(1 + e^{s_i}) − y_i s_i + (λ/2)‖w‖²} with {@code s = w·x + b} and the
 * intercept not penalised. L-BFGS ({@link Lbfgs}) keeps the last 10 pairs and takes strong-Wolfe
 * steps; it stops when the largest gradient component is at most {@code 1e-6}, when no step lowers
 * the loss, or after 1000 iterations.
 * The objective is strictly convex, so its minimum is unique and the fit does not depend on a
 * seed.
 */
public final class LogisticProbe implements Probe {
    public static final double DEFAULT_L2 = 1e-4;
    static final double GRADIENT_TOLERANCE = 1e-6;
    static final int MAX_ITERATIONS = 1000;
    private static final int MEMORY = 10;

    private final double l2;

    public LogisticProbe(double l2) {
        if (!(l2 > 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("L2 strength " + l2 + " must be a positive number");
        }
        this.l2 = l2;
    }

    public LogisticProbe() {
        this(DEFAULT_L2);
    }

    @Override
    public String name() {
        return "logreg";
    }

    /** A fitted model: weights on standardised features, intercept, and how the fit ended. */
    public record Model(double[] mean, double[] scale, double[] weights, double intercept, int iterations, double gradientNorm)
            implements ProbeModel {
        /** The decision value {@code w·((x − mean)/scale) + b} of row {@code r}. */
        public double decision(Features x, int r) {
            float[] v = x.values();
            int cols = x.cols();
            double s = intercept;
            for (int j = 0; j < cols; j++) {
                s += weights[j] * ((v[r * cols + j] - mean[j]) / scale[j]);
            }
            return s;
        }

        @Override
        public boolean[] predict(Features x) {
            if (x.cols() != weights.length) {
                throw new IllegalArgumentException("trained on " + weights.length + " features, given " + x.cols());
            }
            boolean[] out = new boolean[x.rows()];
            for (int r = 0; r < x.rows(); r++) {
                out[r] = decision(x, r) > 0;
            }
            return out;
        }

        /** Whether L-BFGS met its gradient tolerance. */
        public boolean converged() {
            return gradientNorm <= GRADIENT_TOLERANCE;
        }
    }

    @Override
    public Model fit(Features x, boolean[] y) {
        int n = x.rows();
        int cols = x.cols();
        if (n != y.length || n == 0) {
            throw new IllegalArgumentException(n + " rows, " + y.length + " labels");
        }
        double[] mean = new double[cols];
        double[] scale = new double[cols];
        double[] z = standardise(x, mean, scale);
        Objective f = new Objective(z, n, cols, y, l2);
        Lbfgs.Result r = new Lbfgs(f::evaluate, MEMORY, GRADIENT_TOLERANCE).minimize(new double[cols + 1], MAX_ITERATIONS, null);
        double[] w = r.x();
        return new Model(mean, scale, java.util.Arrays.copyOf(w, cols), w[cols], r.iterations(), r.gradientMax());
    }

    private static double[] standardise(Features x, double[] mean, double[] scale) {
        int n = x.rows();
        int cols = x.cols();
        float[] v = x.values();
        double[] sq = new double[cols];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < cols; j++) {
                mean[j] += v[r * cols + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            mean[j] /= n;
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < cols; j++) {
                double c = v[r * cols + j] - mean[j];
                sq[j] += c * c;
            }
        }
        for (int j = 0; j < cols; j++) {
            double sd = Math.sqrt(sq[j] / n);
            scale[j] = sd > 1e-12 ? sd : 1;
        }
        double[] z = new double[n * cols];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < cols; j++) {
                z[r * cols + j] = (v[r * cols + j] - mean[j]) / scale[j];
            }
        }
        return z;
    }

    /**
     * The regularised mean log-loss and its gradient; the last parameter is the intercept.
     *
     * <p>Every row's decision value is summed in the same order as the plain loop
     * {@code s = b; s += w_j z_rj for j = 0, 1, …} (Java never fuses or reorders these), but over a
     * column-major copy of z, so the loop runs across rows, whose sums are independent, and
     * vectorises; the scalar loop over j is one chain of dependent additions. The results are the
     * same bits. Each row's {@code e^{-|s|}} is computed once for the loss and the sigmoid (both
     * used it).
     */
    static final class Objective {
        private final double[] z;
        private final double[] zt;
        private final int n;
        private final int cols;
        private final boolean[] y;
        private final double l2;
        private final double[] s;

        Objective(double[] z, int n, int cols, boolean[] y, double l2) {
            this.z = z;
            this.n = n;
            this.cols = cols;
            this.y = y;
            this.l2 = l2;
            this.zt = new double[n * cols];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < cols; j++) {
                    zt[j * n + r] = z[r * cols + j];
                }
            }
            this.s = new double[n];
        }

        double evaluate(double[] w, double[] grad) {
            java.util.Arrays.fill(grad, 0);
            java.util.Arrays.fill(s, w[cols]);
            for (int j = 0; j < cols; j++) {
                double wj = w[j];
                int at = j * n;
                for (int r = 0; r < n; r++) {
                    s[r] += wj * zt[at + r];
                }
            }
            double loss = 0;
            for (int r = 0; r < n; r++) {
                double sr = s[r];
                // e^{-|s|}: e^{-s} for s > 0, e^{s} otherwise (the same number both formulas below took).
                double e = Math.exp(-Math.abs(sr));
                // log(1 + e^s) without overflow.
                loss += (sr > 0 ? sr + Math.log1p(e) : Math.log1p(e)) - (y[r] ? sr : 0);
                double err = (sr >= 0 ? 1 / (1 + e) : e / (1 + e)) - (y[r] ? 1 : 0);
                int at = r * cols;
                for (int j = 0; j < cols; j++) {
                    grad[j] += err * z[at + j];
                }
                grad[cols] += err;
            }
            double reg = 0;
            for (int j = 0; j <= cols; j++) {
                grad[j] /= n;
            }
            for (int j = 0; j < cols; j++) {
                grad[j] += l2 * w[j];
                reg += w[j] * w[j];
            }
            return loss / n + 0.5 * l2 * reg;
        }
    }
}
