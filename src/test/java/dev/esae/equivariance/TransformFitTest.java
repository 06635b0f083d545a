package dev.esae.equivariance;

import dev.esae.testutil.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.nn.GradCheck;
import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import dev.esae.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformFitTest {
    private static final Backend cpu = TestBackends.cpu();
    private final long seed = System.nanoTime();

    /**
     * Powers below 0 made n (the largest power + 1) 0, and the orbit check divided by it: an
     * ArithmeticException for powers [-1, -1]. Powers beyond the rows made n overflow.
     */
    @Test
    void flatActivationsWithPowersOutOfRangeAreRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path acts = dir.resolve("acts.npy");
        Path powers = dir.resolve("powers.npy");
        Npy.write(acts, HostArray.ofFloats(new float[] {1, 2, 3, 4}, 2, 2));
        Npy.write(powers, HostArray.ofLongs(new long[] {-1, -1}, 2));
        InputException e = assertThrows(InputException.class, () -> ActivationSet.read(acts, powers));
        assertEquals(powers + ": row 0 has power -1; expected powers 0..n-1 of n orientations, n at most the 2 rows", e.getMessage());
        Npy.write(powers, HostArray.ofLongs(new long[] {0, Long.MAX_VALUE}, 2));
        e = assertThrows(InputException.class, () -> ActivationSet.read(acts, powers));
        assertEquals(powers + ": row 1 has power 9223372036854775807; expected powers 0..n-1 of n orientations, n at most the 2 rows",
                e.getMessage());
    }

    /** Activations [count, n, d]: ψ(x) Gaussian with varied scales, ψ(g^p x) = M*^p ψ(x) + noise. */
    static ActivationSet synthetic(SplittableRandom rng, double[] mStar, int count, int n, int d, double noise) {
        float[] data = new float[count * n * d];
        for (int i = 0; i < count; i++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = rng.nextGaussian() * (0.5 + j % 4);
            }
            for (int p = 0; p < n; p++) {
                for (int j = 0; j < d; j++) {
                    data[(i * n + p) * d + j] = (float) (v[j] + noise * rng.nextGaussian());
                }
                double[] next = new double[d];
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        next[a] += mStar[a * d + b] * v[b];
                    }
                }
                v = next;
            }
        }
        return new ActivationSet(data, count, n, d);
    }

    @Test
    void lossGradientThroughEveryPowerMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 5;
        int b = 7;
        for (int n : new int[] {2, 4, 6}) {
            for (float cycleWeight : new float[] {0f, 0.7f}) {
                double[] mv = new double[d * d];
                for (int i = 0; i < d * d; i++) {
                    mv[i] = (i % (d + 1) == 0 ? 1 : 0) + 0.3 * rng.nextGaussian();
                }
                Tensor[] a = new Tensor[n];
                Tensor[] y = new Tensor[n];
                Tensor[] g = new Tensor[n];
                for (int p = 0; p < n; p++) {
                    double[] v = new double[b * d];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = rng.nextGaussian();
                    }
                    a[p] = cpu.uploadDoubles(v, b, d);
                    y[p] = cpu.zeros(DType.F64, b, d);
                    g[p] = cpu.zeros(DType.F64, b, d);
                }
                try (Tensor m = cpu.uploadDoubles(mv, d, d); Tensor grad = cpu.zeros(DType.F64, d, d);
                     Tensor loss = cpu.zeros(DType.F64, 1); Tensor sum = cpu.zeros(DType.F64, 1);
                     CyclePenalty cycle = new CyclePenalty(cpu, DType.F64, d, n, cycleWeight)) {
                    java.util.function.DoubleSupplier eval = () -> {
                        cpu.fill(sum, 0f);
                        PowerLoss.forwardBackward(cpu, m, grad, a, y, g, loss, sum);
                        if (cycleWeight > 0) {
                            cycle.addLossAndGradient(m, grad, sum);
                        }
                        return cpu.downloadDoubles(sum)[0];
                    };
                    eval.getAsDouble();
                    double[] analytic = cpu.downloadDoubles(grad);
                    GradCheck.Result r = GradCheck.check(cpu, List.of(new GradCheck.Target("M", m, analytic)), eval,
                            java.util.BitSet::new, d * d, 1e-4, rng);
                    assertTrue(r.error() < 1e-6, "n = " + n + ", cycle weight " + cycleWeight + ": " + r + " (seed " + seed + ")");
                    assertEquals(d * d, r.checked());
                } finally {
                    for (int p = 0; p < n; p++) {
                        a[p].close();
                        y[p].close();
                        g[p].close();
                    }
                }
            }
        }
    }

    @Test
    void recoversAKnownCyclicOrthogonalMatrix() {
        for (int n : new int[] {4, 6}) {
            SplittableRandom rng = new SplittableRandom(seed + n);
            int d = 64;
            double[] mStar = dev.esae.testutil.Synthetic.cyclicOrthogonal(rng, d, n, 0);
            ActivationSet acts = synthetic(rng, mStar, 1500, n, d, 0.01);
            TransformFit.Result fit = TransformFit.fit(cpu, acts, new TransformConfig(40, 64, 5e-3f, seed, 0f), TrainingListener.SILENT);
            TransformScore r = TransformReport.evaluate(cpu, acts, fit.m());
            double dist = 0;
            for (int i = 0; i < d * d; i++) {
                dist += (fit.m()[i] - mStar[i]) * (fit.m()[i] - mStar[i]);
            }
            dist = Math.sqrt(dist / d);
            assertTrue(r.mean() >= 0.99, "n = " + n + ": R² " + r + " (seed " + seed + ")");
            assertTrue(dist < 0.05, "n = " + n + ": ||M - M*||_F / sqrt(d) = " + dist + " (seed " + seed + ")");
            assertTrue(r.cycleError() < 0.05, "n = " + n + ": " + r);
            List<?> losses = fit.history().losses();
            assertTrue((double) losses.get(losses.size() - 1) < 0.01 * (double) losses.get(0), "losses " + losses);

            // The identity's R², computed here independently: 1 - SS_res/SS_tot per dimension, mean.
            TransformScore id = TransformReport.evaluate(cpu, acts, TransformReport.identity(d));
            float[] a0 = acts.orientation(0);
            for (int p = 1; p < n; p++) {
                float[] ap = acts.orientation(p);
                double total = 0;
                for (int j = 0; j < d; j++) {
                    double mean = 0;
                    for (int i = 0; i < acts.count(); i++) {
                        mean += ap[i * d + j];
                    }
                    mean /= acts.count();
                    double res = 0;
                    double tot = 0;
                    for (int i = 0; i < acts.count(); i++) {
                        // In double: the float difference would round the residual (the reference must not be the coarser side).
                        res += Math.pow((double) ap[i * d + j] - a0[i * d + j], 2);
                        tot += Math.pow(ap[i * d + j] - mean, 2);
                    }
                    total += 1 - res / tot;
                }
                assertEquals(total / d, id.perP().get(p - 1), 1e-8 * Math.abs(total / d), "identity R² at p = " + p);
            }
        }
    }

    @Test
    void r2FollowsScikitLearnOnItsDocumentedExampleAndSkipsConstantDimensions() {
        // scikit-learn's r2_score docs: y_true [[0.5, 1], [-1, 1], [7, -6]], y_pred [[0, 2], [-1, 2], [8, -5]]
        // give 0.936... (uniform average). By hand: dim 0: 1 - 1.25/36.1667 = 0.965438; dim 1: 1 - 3/32.6667 = 0.908163.
        float[] truth = {0.5f, 1, -1, 1, 7, -6};
        float[] pred = {0, 2, -1, 2, 8, -5};
        R2.Score s = R2.score(truth, pred, 3, 2);
        assertEquals((1 - 1.25 / (50.25 - 6.5 * 6.5 / 3)) / 2 + (1 - 3 / (38.0 - 16.0 / 3)) / 2, s.mean(), 1e-12);
        assertEquals(0.936800, s.mean(), 1e-6);
        assertEquals(0, s.skippedConstantDims());
        // A third dimension that never varies is skipped (scikit-learn would score it 1 or 0).
        float[] truth3 = {0.5f, 1, 0.1f, -1, 1, 0.1f, 7, -6, 0.1f};
        float[] pred3 = {0, 2, 5, -1, 2, 5, 8, -5, 5};
        R2.Score s3 = R2.score(truth3, pred3, 3, 3);
        assertEquals(s.mean(), s3.mean(), 1e-12);
        assertEquals(1, s3.skippedConstantDims());
    }

    @Test
    void leastSquaresRecoversAnExactLinearMap() {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 12;
        double[] mStar = dev.esae.testutil.Synthetic.cyclicOrthogonal(rng, d, 4, 0.3);
        ActivationSet acts = synthetic(rng, mStar, 300, 2, d, 0);
        float[] m = LeastSquares.fit(acts.orientation(0), acts.orientation(1), acts.count(), d);
        for (int i = 0; i < d * d; i++) {
            assertEquals(mStar[i], m[i], 1e-4, "entry " + i + " (seed " + seed + ")");
        }
    }

    @Test
    void theCyclePenaltyPullsMnTowardsTheIdentity() {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 16;
        int n = 4;
        // Rotations by 90° + 0.25 rad: the best fit of the data is not cyclic of order 4.
        double[] mStar = dev.esae.testutil.Synthetic.cyclicOrthogonal(rng, d, n, 0.25);
        ActivationSet acts = synthetic(rng, mStar, 600, n, d, 0.01);
        TransformFit.Result plain = TransformFit.fit(cpu, acts, new TransformConfig(30, 64, 5e-3f, seed, 0f), TrainingListener.SILENT);
        TransformFit.Result cyc = TransformFit.fit(cpu, acts, new TransformConfig(30, 64, 5e-3f, seed, 100f), TrainingListener.SILENT);
        double plainErr = CyclePenalty.cycleError(plain.m(), d, n);
        double cycErr = CyclePenalty.cycleError(cyc.m(), d, n);
        assertTrue(plainErr > 0.3, "the plain fit follows the data: cycle error " + plainErr);
        assertTrue(cycErr < 0.5 * plainErr, "cycle error " + cycErr + " with the penalty vs " + plainErr + " without");
    }
}
