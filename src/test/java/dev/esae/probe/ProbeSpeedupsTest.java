package dev.esae.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.esae.compute.Backend;
import dev.esae.data.ShapeCatalog;
import dev.esae.data.ShapesDataset;
import dev.esae.equivariance.ActivationSet;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeKind;
import dev.esae.testutil.TestBackends;
import dev.esae.train.Lbfgs;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The probing shortcuts give the results the plain computation gives, exactly: the vectorised
 * logistic objective against its scalar original ({@link NaiveLogisticObjective}), and the suite
 * that copies the latent results of SAEs with equal codes against probing each SAE on its own.
 */
class ProbeSpeedupsTest {
    private static final Backend cpu = TestBackends.cpu();

    @Test
    void theLogisticObjectiveIsTheScalarOneBitForBitAndSoIsEveryFit() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int[] shape : new int[][] {{480, 256}, {480, 8}, {37, 5}, {1, 1}, {64, 33}}) {
            int n = shape[0];
            int cols = shape[1];
            double[] z = new double[n * cols];
            for (int i = 0; i < z.length; i++) {
                // Some exact zeros, as sparse latents have, and some large values for the overflow branches.
                z[i] = rng.nextInt(4) == 0 ? 0 : rng.nextGaussian() * (rng.nextInt(10) == 0 ? 40 : 1);
            }
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                y[i] = rng.nextBoolean();
            }
            LogisticProbe.Objective fast = new LogisticProbe.Objective(z, n, cols, y, 1e-4);
            NaiveLogisticObjective naive = new NaiveLogisticObjective(z, n, cols, y, 1e-4);
            for (int trial = 0; trial < 20; trial++) {
                double[] w = new double[cols + 1];
                for (int i = 0; i < w.length; i++) {
                    w[i] = trial == 0 ? 0 : rng.nextGaussian() * (trial % 5);
                }
                double[] g1 = new double[cols + 1];
                double[] g2 = new double[cols + 1];
                assertEquals(Double.doubleToRawLongBits(naive.evaluate(w, g2)), Double.doubleToRawLongBits(fast.evaluate(w, g1)));
                assertArrayEquals(g2, g1);
            }
            // A whole fit, as LogisticProbe runs it: the same iterates to the last bit.
            Lbfgs.Result a = new Lbfgs(fast::evaluate, 10, 1e-6).minimize(new double[cols + 1], 1000, null);
            Lbfgs.Result b = new Lbfgs(naive::evaluate, 10, 1e-6).minimize(new double[cols + 1], 1000, null);
            assertArrayEquals(b.x(), a.x());
            assertEquals(b.losses(), a.losses());
        }
    }

    private static ActivationSet randomActs(SplittableRandom rng, int count, int d) {
        float[] a = new float[count * 4 * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return new ActivationSet(a, count, 4, d);
    }

    private static List<ProbeResult> run(ProbeSet set, List<ProbeSuite.SaeEntry> saes, int threads) {
        ProbeSuite suite = new ProbeSuite(new ProbeSuite.Config(new int[] {3, 8},
                List.of(new KnnProbe(), new LogisticProbe(), new XgboostProbe(1, 0)), 0.2, 0, threads));
        return suite.run(set, saes, (done, total) -> { });
    }

    @Test
    void saesWithEqualCodesGetTheLatentResultsEachWouldGetAlone() {
        SplittableRandom rng = new SplittableRandom(8);
        int d = 6;
        ShapesDataset data = ShapesDataset.generate(140, 3, ShapeCatalog.draw());
        ProbeSet set = ProbeSet.of(randomActs(rng, 140, d), data.labelsArray().toInts(), 2);
        // Invariant and equivariant from one seed share the encoder (and here the decoder bias); the
        // equivariant one adds M, so its reconstructions differ. A third SAE has other codes.
        try (SaeFiles.Loaded inv = ProbeSuiteTest.sae(SaeKind.INVARIANT, d, 24, 4, 3); SaeFiles.Loaded eq = ProbeSuiteTest.sae(SaeKind.EQUIVARIANT, d, 24, 4, 3);
             SaeFiles.Loaded other = ProbeSuiteTest.sae(SaeKind.TWOLAYER, d, 24, 4, 4)) {
            ProbeSuite.SaeEntry a = new ProbeSuite.SaeEntry("inv", "invariant", 4, SaeFeatures.of(cpu, inv, set));
            ProbeSuite.SaeEntry b = new ProbeSuite.SaeEntry("eq", "equivariant", 4, SaeFeatures.of(cpu, eq, set));
            ProbeSuite.SaeEntry c = new ProbeSuite.SaeEntry("other", "twolayer", 4, SaeFeatures.of(cpu, other, set));
            List<ProbeSuite.SaeEntry> all = List.of(c, a, b);
            assertEquals(-1, ProbeSuite.sameCodesAs(all, 0));
            assertEquals(-1, ProbeSuite.sameCodesAs(all, 1));
            assertEquals(1, ProbeSuite.sameCodesAs(all, 2));
            // The reference: each SAE probed in a suite of its own (nothing to share), rows in the suite's order.
            List<ProbeResult> expected = new ArrayList<>();
            int baseRows = 180 * 3;
            for (ProbeSuite.SaeEntry e : all) {
                List<ProbeResult> alone = run(set, List.of(e), 2);
                if (expected.isEmpty()) {
                    expected.addAll(alone.subList(0, baseRows));
                }
                expected.addAll(alone.subList(baseRows, alone.size()));
            }
            assertEquals(expected, run(set, all, 2));
            assertEquals(expected, run(set, all, 1));
        }
    }
}
