package dev.esae.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each probe on a separable task (F1 ≈ 1) and on shuffled labels (chance), and each fast path against a naive one. */
class ProbesTest {
    private static List<Probe> probes() {
        // nthread 1: tests run native libraries single-threaded.
        return List.of(new KnnProbe(), new LogisticProbe(), new XgboostProbe(1, 0));
    }

    /** Two Gaussian clouds in 12 dimensions, 6 standard deviations apart along a random direction. */
    private static Features clouds(SplittableRandom rng, boolean[] y, int cols) {
        double[] dir = new double[cols];
        double norm = 0;
        for (int j = 0; j < cols; j++) {
            dir[j] = rng.nextGaussian();
            norm += dir[j] * dir[j];
        }
        float[] v = new float[y.length * cols];
        for (int r = 0; r < y.length; r++) {
            y[r] = rng.nextBoolean();
            for (int j = 0; j < cols; j++) {
                v[r * cols + j] = (float) (rng.nextGaussian() + (y[r] ? 3 : -3) * dir[j] / Math.sqrt(norm));
            }
        }
        return new Features(v, y.length, cols);
    }

    @Test
    void everyProbeSeparatesASeparableTaskAndIsAtChanceOnShuffledLabels() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 1000;
        boolean[] y = new boolean[n];
        Features x = clouds(rng, y, 12);
        StratifiedSplit split = StratifiedSplit.of(y, 0.2, 1);
        boolean[] shuffled = y.clone();
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            boolean t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        for (Probe p : probes()) {
            ProbeModel m = p.fit(x.select(split.train()), Features.select(y, split.train()));
            double f1 = F1.score(Features.select(y, split.test()), m.predict(x.select(split.test())));
            assertTrue(f1 > 0.98, p.name() + " on a separable task: F1 " + f1);

            StratifiedSplit s2 = StratifiedSplit.of(shuffled, 0.2, 1);
            ProbeModel noise = p.fit(x.select(s2.train()), Features.select(shuffled, s2.train()));
            boolean[] truth = Features.select(shuffled, s2.test());
            boolean[] pred = noise.predict(x.select(s2.test()));
            int right = 0;
            for (int i = 0; i < truth.length; i++) {
                right += truth[i] == pred[i] ? 1 : 0;
            }
            double accuracy = right / (double) truth.length;
            double noiseF1 = F1.score(truth, pred);
            // Balanced classes: chance is accuracy 0.5; F1 of a coin flip is 0.5, of "always positive" 0.67.
            assertTrue(Math.abs(accuracy - 0.5) < 0.1, p.name() + " on shuffled labels: accuracy " + accuracy);
            assertTrue(noiseF1 < 0.7, p.name() + " on shuffled labels: F1 " + noiseF1);
        }
    }

    @Test
    void knnMatchesAFullSortInDoubleIncludingTies() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int trial = 0; trial < 5; trial++) {
            int rows = 50 + rng.nextInt(60);
            int cols = 1 + rng.nextInt(40);
            float[] v = new float[rows * cols];
            boolean[] y = new boolean[rows];
            for (int i = 0; i < v.length; i++) {
                // Small integers: many exact ties in distance, which the tie rule must settle as the naive sort does.
                v[i] = rng.nextInt(3);
            }
            for (int i = 0; i < rows; i++) {
                y[i] = rng.nextInt(3) == 0;
            }
            Features train = new Features(v, rows, cols);
            float[] tv = new float[17 * cols];
            for (int i = 0; i < tv.length; i++) {
                tv[i] = rng.nextInt(3);
            }
            Features test = new Features(tv, 17, cols);
            boolean[] fast = new KnnProbe(16).fit(train, y).predict(test);
            for (int r = 0; r < 17; r++) {
                List<double[]> d = new ArrayList<>();
                for (int t = 0; t < rows; t++) {
                    double s = 0;
                    for (int j = 0; j < cols; j++) {
                        double diff = (double) tv[r * cols + j] - v[t * cols + j];
                        s += diff * diff;
                    }
                    d.add(new double[] {s, t});
                }
                d.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> a[1]));
                int pos = 0;
                for (int i = 0; i < 16; i++) {
                    pos += y[(int) d.get(i)[1]] ? 1 : 0;
                }
                assertEquals(pos > 8, fast[r], "trial " + trial + " row " + r);
            }
        }
    }

    @Test
    void logisticObjectiveGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 40;
        int cols = 6;
        double[] z = new double[n * cols];
        boolean[] y = new boolean[n];
        for (int i = 0; i < z.length; i++) {
            z[i] = rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextBoolean();
        }
        LogisticProbe.Objective f = new LogisticProbe.Objective(z, n, cols, y, 0.3);
        double[] w = new double[cols + 1];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextGaussian();
        }
        double[] g = new double[cols + 1];
        f.evaluate(w, g);
        double h = 1e-5;
        for (int i = 0; i < w.length; i++) {
            double[] up = w.clone();
            double[] down = w.clone();
            up[i] += h;
            down[i] -= h;
            double fd = (f.evaluate(up, new double[cols + 1]) - f.evaluate(down, new double[cols + 1])) / (2 * h);
            assertEquals(fd, g[i], 1e-8, "component " + i);
        }
    }

    @Test
    void logisticRegressionConvergesToTheNewtonSolution() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 300;
        boolean[] y = new boolean[n];
        Features x = clouds(rng, y, 5);
        // Overlapping classes too: flip a tenth of the labels so the optimum is finite even without L2.
        for (int i = 0; i < n; i += 10) {
            y[i] = !y[i];
        }
        LogisticProbe.Model m = new LogisticProbe().fit(x, y);
        assertTrue(m.converged(), "gradient " + m.gradientNorm() + " after " + m.iterations() + " iterations");
        // Newton's method on the same standardised problem, in double, as the reference.
        int cols = 5;
        double[] z = new double[n * cols];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < cols; j++) {
                z[r * cols + j] = (x.values()[r * cols + j] - m.mean()[j]) / m.scale()[j];
            }
        }
        double[] w = new double[cols + 1];
        for (int it = 0; it < 50; it++) {
            double[] g = new double[cols + 1];
            double[][] hess = new double[cols + 1][cols + 1];
            for (int r = 0; r < n; r++) {
                double s = w[cols];
                for (int j = 0; j < cols; j++) {
                    s += w[j] * z[r * cols + j];
                }
                double p = 1 / (1 + Math.exp(-s));
                double[] row = Arrays.copyOf(Arrays.copyOfRange(z, r * cols, (r + 1) * cols), cols + 1);
                row[cols] = 1;
                for (int a = 0; a <= cols; a++) {
                    g[a] += (p - (y[r] ? 1 : 0)) * row[a] / n;
                    for (int b = 0; b <= cols; b++) {
                        hess[a][b] += p * (1 - p) * row[a] * row[b] / n;
                    }
                }
            }
            for (int j = 0; j < cols; j++) {
                g[j] += LogisticProbe.DEFAULT_L2 * w[j];
                hess[j][j] += LogisticProbe.DEFAULT_L2;
            }
            double[] step = solve(hess, g);
            for (int a = 0; a <= cols; a++) {
                w[a] -= step[a];
            }
        }
        for (int j = 0; j < cols; j++) {
            assertEquals(w[j], m.weights()[j], 1e-4, "weight " + j);
        }
        assertEquals(w[cols], m.intercept(), 1e-4, "intercept");
    }

    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c] / m[c][c];
                    for (int k = c; k <= n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n] / m[i][i];
        }
        return x;
    }

    @Test
    void stratifiedSplitKeepsEachClassRatioAndDependsOnlyOnTheSeed() {
        SplittableRandom rng = new SplittableRandom(2);
        boolean[] y = new boolean[1003];
        int pos = 0;
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(7) == 0;
            pos += y[i] ? 1 : 0;
        }
        StratifiedSplit s = StratifiedSplit.of(y, 0.2, 42);
        int testPos = 0;
        for (int i : s.test()) {
            testPos += y[i] ? 1 : 0;
        }
        assertEquals(Math.round(0.2 * pos), testPos);
        assertEquals(Math.round(0.2 * pos) + Math.round(0.2 * (y.length - pos)), s.test().length);
        boolean[] seen = new boolean[y.length];
        for (int[] part : new int[][] {s.train(), s.test()}) {
            for (int i : part) {
                assertTrue(!seen[i], "index " + i + " in both splits");
                seen[i] = true;
            }
        }
        for (boolean b : seen) {
            assertTrue(b);
        }
        assertArrayEquals(s.test(), StratifiedSplit.of(y, 0.2, 42).test());
        assertTrue(!Arrays.equals(s.test(), StratifiedSplit.of(y, 0.2, 43).test()));
    }
}
