package dev.esae.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.data.CyclicGroup;
import dev.esae.data.ShapeCatalog;
import dev.esae.data.ShapesDataset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProbeTasksTest {
    @Test
    void thereAre8Plus28Plus32Plus112TasksWithDistinctNames() {
        List<ProbeTask> tasks = ProbeTasks.all();
        Map<ProbeTask.Group, Long> counts = tasks.stream().collect(Collectors.groupingBy(ProbeTask::group, Collectors.counting()));
        assertEquals(8L, counts.get(ProbeTask.Group.S));
        assertEquals(28L, counts.get(ProbeTask.Group.SO));
        assertEquals(32L, counts.get(ProbeTask.Group.SP));
        assertEquals(112L, counts.get(ProbeTask.Group.SPO));
        assertEquals(180, new HashSet<>(tasks.stream().map(ProbeTask::name).toList()).size());
    }

    @Test
    void labelsAreThoseOfTheImageAsTheModelSawIt() {
        ShapeCatalog catalog = ShapeCatalog.draw();
        ShapesDataset data = ShapesDataset.generate(300, 9, catalog);
        SplittableRandom rng = new SplittableRandom(2);
        int[] powers = rng.ints(300, 0, 4).toArray();
        List<ProbeTask> tasks = ProbeTasks.all();
        boolean[][] y = ProbeTasks.labels(tasks, data, powers, CyclicGroup.C4);
        // Re-derive from the pixels: the rotated image, cut into quadrants and matched against every patch.
        for (int i = 0; i < 300; i++) {
            byte[] seen = CyclicGroup.C4.actOnImage(data.image(i), 64, powers[i]);
            int[] found = new int[8];
            int[][] origin = {{0, 0}, {0, 32}, {32, 32}, {32, 0}};
            for (int q = 0; q < 4; q++) {
                byte[] patch = new byte[32 * 32];
                for (int r = 0; r < 32; r++) {
                    System.arraycopy(seen, (origin[q][0] + r) * 64 + origin[q][1], patch, r * 32, 32);
                }
                for (int s = 0; s < 8; s++) {
                    for (int o = 0; o < dev.esae.data.ShapeKind.of(s).orbitSize(); o++) {
                        if (java.util.Arrays.equals(patch, catalog.patch(s, o))) {
                            found[2 * q] = s;
                            found[2 * q + 1] = o;
                        }
                    }
                }
            }
            for (int t = 0; t < tasks.size(); t++) {
                assertEquals(tasks.get(t).positive(found), y[t][i], tasks.get(t).name() + " for image " + i);
            }
        }
        // Every task has positives and negatives at this size.
        for (int t = 0; t < tasks.size(); t++) {
            int pos = 0;
            for (boolean b : y[t]) {
                pos += b ? 1 : 0;
            }
            assertTrue(pos > 0 && pos < 300, tasks.get(t).name() + " has " + pos + " positives of 300");
        }
    }

    @Test
    void f1OnAHandComputedExample() {
        boolean[] truth = {true, true, true, false, false, false, true};
        boolean[] pred = {true, false, true, true, false, false, false};
        // TP 2, FP 1, FN 2: 2*2 / (4 + 1 + 2) = 4/7.
        assertEquals(4.0 / 7, F1.score(truth, pred), 1e-15);
        assertEquals(0.0, F1.score(new boolean[3], new boolean[3]));
        assertEquals(1.0, F1.score(truth, truth));
    }
}
