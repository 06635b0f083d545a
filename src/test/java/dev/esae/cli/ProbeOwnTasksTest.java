package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import dev.esae.probe.ProbeFiles;
import dev.esae.probe.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code esae probe --tasks FILE.csv}: a user's own tasks probed as the shapes tasks are. A task
 * that is a linear function of ψ at the orientation seen is learnt by logistic regression; a coin
 * flip is not; a label repeated over an input's orientations lands in the invariant group.
 */
class ProbeOwnTasksTest {
    @TempDir
    Path dir;

    @Test
    void ownTasksAreProbedWithTheSuitesSplitProbesAndSummary() throws Exception {
        int count = 1000;
        int n = 4;
        int d = 16;
        Random r = new Random(11);
        float[] a = new float[count * n * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        Path acts = dir.resolve("acts.npy");
        Npy.write(acts, HostArray.ofFloats(a, count, n, d));
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = r.nextGaussian();
        }
        StringBuilder csv = new StringBuilder("linear,coin,per input\n");
        boolean[] perInput = new boolean[count];
        for (int i = 0; i < count; i++) {
            perInput[i] = r.nextBoolean();
        }
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < n; p++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += w[j] * a[(i * n + p) * d + j];
                }
                csv.append(s > 0 ? 1 : 0).append(',').append(r.nextBoolean() ? 1 : 0).append(',').append(perInput[i] ? 1 : 0).append('\n');
            }
        }
        Path tasks = dir.resolve("tasks.csv");
        Files.writeString(tasks, csv);
        Path out = dir.resolve("probe");
        CliTest.Run run = CliTest.esae("probe", "--acts", acts.toString(), "--tasks", tasks.toString(), "--probes", "logreg,knn", "--out",
                out.toString());
        assertEquals(0, run.code(), run.err());

        List<ProbeResult> results = ProbeFiles.readResults(out.resolve(ProbeFiles.RESULTS));
        assertEquals(3 * 2, results.size(), "base activations: 3 tasks x 2 probes");
        double linear = f1(results, "linear", "logreg");
        double coin = f1(results, "coin", "logreg");
        assertTrue(linear >= 0.9, "a linear function of psi is learnt: F1 " + linear);
        assertTrue(coin > 0.3 && coin < 0.7, "a coin flip stays near chance: F1 " + coin);
        assertEquals("orientation", group(results, "linear"));
        assertEquals("invariant", group(results, "per input"));
        // The split is the suite's stratified 80/20 one.
        ProbeResult l = results.stream().filter(x -> x.task().name().equals("linear")).findFirst().orElseThrow();
        assertTrue(Math.abs(l.testPositives() * 4 - l.trainPositives()) <= 4, l.toString());
        String summary = Files.readString(out.resolve(ProbeFiles.SUMMARY));
        assertTrue(summary.contains("| SAE | kind | K | L | input | probe | orientation | invariant | all |"), summary);

        // One row per input: every task is invariant; the third task (its split is drawn from its place) gets the same F1.
        StringBuilder perRow = new StringBuilder("c1,c2,per input\n");
        for (int i = 0; i < count; i++) {
            String v = perInput[i] ? "1" : "0";
            perRow.append(v).append(',').append(v).append(',').append(v).append('\n');
        }
        Files.writeString(tasks, perRow);
        CliTest.Run again = CliTest.esae("probe", "--acts", acts.toString(), "--tasks", tasks.toString(), "--probes", "logreg", "--out",
                dir.resolve("probe2").toString());
        assertEquals(0, again.code(), again.err());
        List<ProbeResult> r2 = ProbeFiles.readResults(dir.resolve("probe2").resolve(ProbeFiles.RESULTS));
        assertEquals("invariant", group(r2, "c1"));
        assertEquals("invariant", group(r2, "per input"));
        assertEquals(f1(results, "per input", "logreg"), f1(r2, "per input", "logreg"), 0, "the same labels as seen, the same split and F1");
    }

    private static double f1(List<ProbeResult> results, String task, String probe) {
        return results.stream().filter(x -> x.task().name().equals(task) && x.probe().equals(probe)).findFirst().orElseThrow().f1();
    }

    private static String group(List<ProbeResult> results, String task) {
        return results.stream().filter(x -> x.task().name().equals(task)).findFirst().orElseThrow().task().groupName();
    }
}
