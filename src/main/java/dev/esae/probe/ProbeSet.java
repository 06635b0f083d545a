package dev.esae.probe;

import dev.esae.InputException;
import dev.esae.data.CyclicGroup;
import dev.esae.data.ShapesDataset;
import dev.esae.equivariance.ActivationSet;
import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The probe data of SPEC §5: every image of the probe set at a random power {@code p_i} of g
 * (drawn from the seed and kept), its base activation {@code ψ(g^{p_i} x_i)}, and the labels of
 * all 180 tasks (or of a user's own, {@link TaskTable}) for the image as the model saw it (after its rotation).
 */
public final class ProbeSet {
    /** Mixed into the seed for the powers, so that they differ from other draws made with the same seed. */
    private static final long POWERS_STREAM = 0x9E3779B97F4A7C15L;

    private final List<ProbingTask> tasks;
    private final int[] powers;
    private final Features psi;
    private final boolean[][] labels;
    private final int order;

    private ProbeSet(List<ProbingTask> tasks, int[] powers, Features psi, boolean[][] labels, int order) {
        this.tasks = tasks;
        this.powers = powers;
        this.psi = psi;
        this.labels = labels;
        this.order = order;
    }

    /**
     * @param acts the probe set's activations in every orientation {@code [N, n, d]}
     * @param canonicalLabels each canonical image's labels {@code [N][4·2]} flattened
     */
    public static ProbeSet of(ActivationSet acts, int[] canonicalLabels, long seed) {
        int count = acts.count();
        int n = acts.order();
        if (canonicalLabels.length != count * 2 * ShapesDataset.QUADRANTS) {
            throw new IllegalArgumentException(canonicalLabels.length / 8 + " labelled images for " + count + " activations");
        }
        CyclicGroup group = new CyclicGroup(n);
        int[] powers = powers(count, n, seed);
        List<ProbeTask> tasks = ProbeTasks.all();
        boolean[][] y = new boolean[tasks.size()][count];
        int w = 2 * ShapesDataset.QUADRANTS;
        for (int i = 0; i < count; i++) {
            int[] seen = group.actOnLabels(java.util.Arrays.copyOfRange(canonicalLabels, i * w, (i + 1) * w), powers[i]);
            for (int t = 0; t < tasks.size(); t++) {
                y[t][i] = tasks.get(t).positive(seen);
            }
        }
        return new ProbeSet(List.copyOf(tasks), powers, seen(acts, powers), y, n);
    }

    /**
     * The probe set of a user's own tasks: the same inputs, powers and activations as the shapes
     * tasks' for the same seed, each input labelled as seen at its power (a table with a row per
     * input labels every orientation alike). A task keeps a label that never changes with the
     * orientation in the {@link CustomTask#INVARIANT} group, the others go to {@link CustomTask#ORIENTATION}.
     */
    public static ProbeSet of(ActivationSet acts, TaskTable table, long seed) {
        int count = acts.count();
        int n = acts.order();
        boolean perOrientation = table.rows() == count * n && n > 1;
        if (table.rows() != count && !perOrientation) {
            throw new InputException(table.file() + ": has " + table.rows() + " rows of labels, but the activations hold " + count
                    + " inputs in " + n + " orientations (expected " + count + " rows, one per input, or " + count * n
                    + ", one per input and orientation in [i, p] order)");
        }
        int[] powers = powers(count, n, seed);
        List<ProbingTask> tasks = new java.util.ArrayList<>();
        boolean[][] y = new boolean[table.names().size()][count];
        for (int t = 0; t < y.length; t++) {
            boolean[] rows = table.labels()[t];
            boolean invariant = true;
            for (int i = 0; i < count; i++) {
                y[t][i] = rows[perOrientation ? i * n + powers[i] : i];
                for (int p = 1; perOrientation && p < n && invariant; p++) {
                    invariant = rows[i * n + p] == rows[i * n];
                }
            }
            tasks.add(new CustomTask(table.names().get(t), invariant ? CustomTask.INVARIANT : CustomTask.ORIENTATION));
        }
        return new ProbeSet(List.copyOf(tasks), powers, seen(acts, powers), y, n);
    }

    /** The power of g each input is seen at, drawn from the seed (the same for every task set). */
    private static int[] powers(int count, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ POWERS_STREAM);
        int[] powers = new int[count];
        for (int i = 0; i < count; i++) {
            powers[i] = rng.nextInt(n);
        }
        return powers;
    }

    /** Each input's activation at its power, {@code ψ(g^{p_i} x_i)}. */
    private static Features seen(ActivationSet acts, int[] powers) {
        int count = acts.count();
        int d = acts.dim();
        int n = acts.order();
        float[] rows = new float[count * d];
        float[] data = acts.data();
        for (int i = 0; i < count; i++) {
            System.arraycopy(data, (i * n + powers[i]) * d, rows, i * d, d);
        }
        return new Features(rows, count, d);
    }

    /** Reads a dataset's {@code labels.npy} (int32 {@code [N, 4, 2]}) for {@code count} images. */
    public static int[] readLabels(Path file, int count) {
        HostArray a = Npy.read(file);
        int[] labels = ShapesDataset.checkLabels(a, file);
        if (a.dim(0) != count) {
            throw new InputException(file + ": holds labels for " + a.dim(0) + " images, but the activations hold " + count
                    + " (expected the labels.npy of the dataset the activations were made from)");
        }
        return labels;
    }

    public List<ProbingTask> tasks() {
        return tasks;
    }

    /** Images in the probe set. */
    public int size() {
        return powers.length;
    }

    /** Group order n. */
    public int order() {
        return order;
    }

    /** The power of g each image is seen at. */
    public int[] powers() {
        return powers.clone();
    }

    /** The base activations {@code ψ(g^{p_i} x_i)}, {@code [N, d]}. */
    public Features psi() {
        return psi;
    }

    /** Task {@code t}'s label for every image. */
    public boolean[] labels(int t) {
        return labels[t];
    }

    /** Task {@code t}'s stratified train/test split; the same for every SAE, input and probe. */
    public StratifiedSplit split(int t, double testFraction, long seed) {
        return StratifiedSplit.of(labels[t], testFraction, seed * 1_000_003L + t);
    }
}
