package dev.esae.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.compute.Backend;
import dev.esae.data.ShapeCatalog;
import dev.esae.data.ShapesDataset;
import dev.esae.equivariance.ActivationSet;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeKind;
import dev.esae.sae.TopKSae;
import dev.esae.testutil.TestBackends;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The probe data, truncation and SAE inputs against naive versions, and the suite's shape and determinism. */
class ProbeSuiteTest {
    private static final Backend cpu = TestBackends.cpu();

    private static int[] labelsOf(ShapesDataset data) {
        return data.labelsArray().toInts();
    }

    private static ActivationSet randomActs(SplittableRandom rng, int count, int d) {
        float[] a = new float[count * 4 * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return new ActivationSet(a, count, 4, d);
    }

    @Test
    void atTheDefaultSizeEveryTaskHasBothClassesInBothSplits() {
        // The README's probe set: 2,000 images, seed 1; powers and splits from seed 0.
        ShapesDataset data = ShapesDataset.generate(2000, 1, ShapeCatalog.draw());
        ProbeSet set = ProbeSet.of(new ActivationSet(new float[2000 * 4], 2000, 4, 1), labelsOf(data), 0);
        assertEquals(180, set.tasks().size());
        for (int t = 0; t < 180; t++) {
            StratifiedSplit s = set.split(t, 0.2, 0);
            for (int[] part : new int[][] {s.train(), s.test()}) {
                int pos = 0;
                for (int i : part) {
                    pos += set.labels(t)[i] ? 1 : 0;
                }
                assertTrue(pos > 0 && pos < part.length, set.tasks().get(t).name() + ": " + pos + " positives of " + part.length);
            }
        }
        // The powers are spread over the group and the rows are ψ at those powers.
        int[] counts = new int[4];
        for (int p : set.powers()) {
            counts[p]++;
        }
        for (int c : counts) {
            assertTrue(c > 400, Arrays.toString(counts));
        }
    }

    @Test
    void probeRowsAreTheActivationsAtEachImagesPowerWithItsRotatedLabels() {
        ShapesDataset data = ShapesDataset.generate(50, 4, ShapeCatalog.draw());
        ActivationSet acts = randomActs(new SplittableRandom(1), 50, 3);
        ProbeSet set = ProbeSet.of(acts, labelsOf(data), 7);
        int[] p = set.powers();
        boolean[][] expected = ProbeTasks.labels(ProbeTasks.all(), data, p, dev.esae.data.CyclicGroup.C4);
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(acts.data()[(i * 4 + p[i]) * 3 + j], set.psi().values()[i * 3 + j]);
            }
        }
        for (int t = 0; t < 180; t++) {
            assertArrayEquals(expected[t], set.labels(t));
        }
    }

    /** A random SAE of {@code kind} from {@code seed} (hidden width 16 for the two-layer kinds), with a random M where the kind has one. */
    static SaeFiles.Loaded sae(SaeKind kind, int d, int latents, int k, long seed) {
        TopKSae sae = new TopKSae(cpu, d, latents, k, kind.hidden() == 0 ? 0 : 16, seed);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] bias = new float[d];
        for (int i = 0; i < d; i++) {
            bias[i] = (float) rng.nextGaussian();
        }
        sae.setDecoderBias(bias);
        float[] m = null;
        if (kind.needsTransform()) {
            m = new float[d * d];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) (rng.nextGaussian() / Math.sqrt(d));
            }
        }
        return new SaeFiles.Loaded(null, kind, sae, m);
    }

    @Test
    void truncationAndBothSaeInputsMatchADenseNaiveComputation() {
        SplittableRandom rng = new SplittableRandom(21);
        int d = 7;
        ShapesDataset data = ShapesDataset.generate(120, 2, ShapeCatalog.draw());
        ProbeSet set = ProbeSet.of(randomActs(rng, 120, d), labelsOf(data), 3);
        for (SaeKind kind : new SaeKind[] {SaeKind.TOPK, SaeKind.EQUIVARIANT}) {
            try (SaeFiles.Loaded loaded = sae(kind, d, 40, 5, 9)) {
                SaeFeatures f = SaeFeatures.of(cpu, loaded, set);
                SparseCodes c = f.codes();
                // Dense codes [N, latents].
                double[][] z = new double[120][40];
                for (int r = 0; r < 120; r++) {
                    for (int j = 0; j < 5; j++) {
                        z[r][c.indices()[r * 5 + j]] = c.values()[r * 5 + j];
                    }
                }
                int t = 60;
                StratifiedSplit split = set.split(t, 0.2, 0);
                boolean[] y = set.labels(t);
                double[] diff = new double[40];
                int pos = 0;
                for (int r : split.train()) {
                    pos += y[r] ? 1 : 0;
                }
                int neg = split.train().length - pos;
                for (int r : split.train()) {
                    for (int l = 0; l < 40; l++) {
                        diff[l] += z[r][l] / (y[r] ? pos : -neg);
                    }
                }
                Integer[] order = new Integer[40];
                for (int l = 0; l < 40; l++) {
                    order[l] = l;
                }
                Arrays.sort(order, (a, b) -> Math.abs(diff[a]) != Math.abs(diff[b]) ? Double.compare(Math.abs(diff[b]), Math.abs(diff[a]))
                        : Integer.compare(a, b));
                int[] selected = c.topByMeanDifference(y, split.train(), 8);
                for (int i = 0; i < 8; i++) {
                    assertEquals(Math.abs(diff[order[i]]), Math.abs(diff[selected[i]]), 1e-9, kind + " rank " + i);
                }
                Features lat = f.latents(selected);
                Features rec = f.reconstruction(selected);
                float[] wDec = cpu.download(loaded.sae().namedParameters().get("W_dec").value());
                float[] bDec = cpu.download(loaded.sae().namedParameters().get("b_dec").value());
                int[] powers = set.powers();
                for (int r = 0; r < 120; r++) {
                    double[] x = new double[d];
                    for (int j = 0; j < d; j++) {
                        x[j] = bDec[j];
                    }
                    for (int i = 0; i < 8; i++) {
                        assertEquals(z[r][selected[i]], lat.values()[r * 8 + i], 0, "latent value");
                        for (int j = 0; j < d; j++) {
                            x[j] += z[r][selected[i]] * wDec[selected[i] * d + j];
                        }
                    }
                    if (kind.needsTransform()) {
                        float[] m = loaded.transform();
                        for (int q = 0; q < powers[r]; q++) {
                            double[] next = new double[d];
                            for (int a = 0; a < d; a++) {
                                for (int b = 0; b < d; b++) {
                                    next[a] += m[a * d + b] * x[b];
                                }
                            }
                            x = next;
                        }
                    }
                    for (int j = 0; j < d; j++) {
                        assertEquals(x[j], rec.values()[r * d + j], 1e-4 * (1 + Math.abs(x[j])), kind + " row " + r + " dim " + j);
                    }
                }
            }
        }
    }

    @Test
    void theSuiteWritesEveryRowAndItsResultsDoNotDependOnTheThreadCount() {
        SplittableRandom rng = new SplittableRandom(6);
        int d = 6;
        ShapesDataset data = ShapesDataset.generate(150, 5, ShapeCatalog.draw());
        ProbeSet set = ProbeSet.of(randomActs(rng, 150, d), labelsOf(data), 1);
        List<ProbeResult> first = null;
        for (int threads : new int[] {1, 3}) {
            try (SaeFiles.Loaded a = sae(SaeKind.TOPK, d, 24, 4, 1); SaeFiles.Loaded b = sae(SaeKind.EQUIVARIANT, d, 24, 4, 2)) {
                List<ProbeSuite.SaeEntry> saes = List.of(new ProbeSuite.SaeEntry("a", "topk", 4, SaeFeatures.of(cpu, a, set)),
                        new ProbeSuite.SaeEntry("b", "equivariant", 4, SaeFeatures.of(cpu, b, set)));
                ProbeSuite suite = new ProbeSuite(new ProbeSuite.Config(new int[] {2, 8},
                        List.of(new KnnProbe(), new LogisticProbe(), new XgboostProbe(1, 0)), 0.2, 0, threads));
                List<Integer> seen = new ArrayList<>();
                List<ProbeResult> r = suite.run(set, saes, (done, total) -> seen.add(total));
                // Base: 180 tasks x 3 probes; each SAE: 2 lengths x 2 inputs x 3 probes x 180 tasks.
                assertEquals(180 * 3 + 2 * 2 * 2 * 3 * 180, r.size());
                assertEquals(180 + 2 * 2 * 180, seen.get(0));
                for (ProbeResult x : r) {
                    assertTrue(x.f1() >= 0 && x.f1() <= 1, x.toString());
                }
                if (first == null) {
                    first = r;
                } else {
                    assertEquals(first, r);
                }
                List<ProbeSummary.Row> rows = ProbeSummary.of(r);
                // (base) + 2 SAEs x 2 lengths x 2 inputs blocks, each 3 probes + best.
                assertEquals((1 + 8) * 4, rows.size());
                for (ProbeSummary.Row row : rows) {
                    if (row.probe().equals(ProbeSummary.BEST)) {
                        assertTrue(row.all() >= rows.stream().filter(o -> o.sae().equals(row.sae()) && o.length() == row.length()
                                && o.input() == row.input()).mapToDouble(ProbeSummary.Row::all).max().orElseThrow() - 1e-12);
                    }
                }
            }
        }
    }
}
