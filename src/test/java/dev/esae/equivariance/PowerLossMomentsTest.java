package dev.esae.equivariance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.testutil.TestBackends;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The moments form of the full-batch loss of M against the loss written over the data (every row,
 * every power, in double) and against central differences, on fresh random data and M.
 */
class PowerLossMomentsTest {
    private static final Backend cpu = TestBackends.cpu();
    private final long seed = System.nanoTime();

    private static double[] randomM(SplittableRandom rng, int d) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i * d + j] = (i == j ? 0.9 : 0) + 0.15 * rng.nextGaussian();
            }
        }
        return m;
    }

    /** Σ_p mean((M^p x − ψ(g^p x))²) over the data, and its gradient by the backward recursion over rows, in double. */
    private static double directLoss(ActivationSet acts, double[] m, double[] grad) {
        int d = acts.dim();
        int n = acts.order();
        int rows = acts.count();
        double[][] y = new double[n][rows * d];
        double[][] g = new double[n][rows * d];
        float[] a0 = acts.orientation(0);
        for (int i = 0; i < a0.length; i++) {
            y[0][i] = a0[i];
        }
        double loss = 0;
        double norm = (double) rows * d;
        for (int p = 1; p < n; p++) {
            float[] b = acts.orientation(p);
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d; i++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += m[i * d + j] * y[p - 1][r * d + j];
                    }
                    y[p][r * d + i] = s;
                    double e = s - b[r * d + i];
                    loss += e * e / norm;
                    g[p][r * d + i] = 2 * e / norm;
                }
            }
        }
        java.util.Arrays.fill(grad, 0);
        double[] dp = new double[rows * d];
        for (int p = n - 1; p >= 1; p--) {
            double[] next = new double[rows * d];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < d; j++) {
                    double s = g[p][r * d + j];
                    if (p < n - 1) {
                        for (int i = 0; i < d; i++) {
                            s += dp[r * d + i] * m[i * d + j];
                        }
                    }
                    next[r * d + j] = s;
                }
            }
            dp = next;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        grad[i * d + j] += dp[r * d + i] * y[p - 1][r * d + j];
                    }
                }
            }
        }
        return loss;
    }

    @Test
    void matchesTheLossAndGradientWrittenOverTheData() {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 6 + rng.nextInt(10);
        int n = 2 + rng.nextInt(4);
        double[] mStar = dev.esae.testutil.Synthetic.cyclicOrthogonal(rng, d, n, 0.1);
        ActivationSet acts = TransformFitTest.synthetic(rng, mStar, 40 + rng.nextInt(60), n, d, 0.05);
        double[] m = randomM(rng, d);
        double[] want = new double[d * d];
        double wantLoss = directLoss(acts, m, want);
        double[] got = new double[d * d];
        double gotLoss;
        try (PowerLossMoments pm = new PowerLossMoments(cpu, acts)) {
            gotLoss = pm.evaluate(m, got, null);
        }
        assertEquals(wantLoss, gotLoss, 1e-10 * wantLoss, "loss (d " + d + ", n " + n + ", seed " + seed + ")");
        double scale = 0;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-9 * scale, "gradient entry " + i + " (d " + d + ", n " + n + ", seed " + seed + ")");
        }
    }

    @Test
    void itsGradientWithTheCyclePenaltyMatchesCentralDifferences() {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 5;
        int n = 4;
        double[] mStar = dev.esae.testutil.Synthetic.cyclicOrthogonal(rng, d, n, 0.2);
        ActivationSet acts = TransformFitTest.synthetic(rng, mStar, 50, n, d, 0.05);
        double[] m = randomM(rng, d);
        double[] grad = new double[d * d];
        double[] scratch = new double[d * d];
        try (PowerLossMoments pm = new PowerLossMoments(cpu, acts); CyclePenalty cycle = new CyclePenalty(cpu, DType.F64, d, n, 3f)) {
            pm.evaluate(m, grad, cycle);
            double h = 1e-6;
            for (int trial = 0; trial < 8; trial++) {
                int i = rng.nextInt(d * d);
                double[] up = m.clone();
                double[] down = m.clone();
                up[i] += h;
                down[i] -= h;
                double fd = (pm.evaluate(up, scratch, cycle) - pm.evaluate(down, scratch, cycle)) / (2 * h);
                assertEquals(fd, grad[i], 1e-6 * Math.max(1, Math.abs(fd)), "entry " + i + " (seed " + seed + ")");
            }
        }
    }
}
