package dev.esae.probe;

import dev.esae.data.CyclicGroup;
import dev.esae.data.ShapeKind;
import dev.esae.data.ShapesDataset;
import java.util.ArrayList;
import java.util.List;

/**
 * The 180 tasks of SPEC §5 in a fixed order: S(s) for the 8 shapes, SO(s,o) for every shape and
 * each of its orientations (28), SP(s,q) for every shape and position (32), SPO(s,q,o) (112).
 */
public final class ProbeTasks {
    private ProbeTasks() {}

    public static List<ProbeTask> all() {
        List<ProbeTask> tasks = new ArrayList<>();
        for (ShapeKind s : ShapeKind.values()) {
            tasks.add(new ProbeTask(ProbeTask.Group.S, s.ordinal(), -1, -1));
        }
        for (ShapeKind s : ShapeKind.values()) {
            for (int o = 0; o < s.orbitSize(); o++) {
                tasks.add(new ProbeTask(ProbeTask.Group.SO, s.ordinal(), -1, o));
            }
        }
        for (ShapeKind s : ShapeKind.values()) {
            for (int q = 0; q < ShapesDataset.QUADRANTS; q++) {
                tasks.add(new ProbeTask(ProbeTask.Group.SP, s.ordinal(), q, -1));
            }
        }
        for (ShapeKind s : ShapeKind.values()) {
            for (int q = 0; q < ShapesDataset.QUADRANTS; q++) {
                for (int o = 0; o < s.orbitSize(); o++) {
                    tasks.add(new ProbeTask(ProbeTask.Group.SPO, s.ordinal(), q, o));
                }
            }
        }
        return List.copyOf(tasks);
    }

    /**
     * Labels of every task for every image as the model saw it: image i rotated by
     * {@code g^powers[i]}, so its labels are the group's action on the canonical ones.
     * Returns {@code [tasks][images]}.
     */
    public static boolean[][] labels(List<ProbeTask> tasks, ShapesDataset data, int[] powers, CyclicGroup group) {
        boolean[][] y = new boolean[tasks.size()][data.size()];
        for (int i = 0; i < data.size(); i++) {
            int[] seen = group.actOnLabels(data.labels(i), powers[i]);
            for (int t = 0; t < tasks.size(); t++) {
                y[t][i] = tasks.get(t).positive(seen);
            }
        }
        return y;
    }
}
