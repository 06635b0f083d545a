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
 * all 180 tasks for the image as the model saw it (after its rotation).
 */
public final class ProbeSet {
    /** Mixed into the seed for the powers, so that they differ from other draws made with the same seed. */
    private static final long POWERS_STREAM = 0x9E3779B97F4A7C15L;

    private final List<ProbeTask> tasks;
    private final int[] powers;
    private final Features psi;
    private final boolean[][] labels;
    private final int order;

    private ProbeSet(List<ProbeTask> tasks, int[] powers, Features psi, boolean[][] labels, int order) {
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
        int d = acts.dim();
        int n = acts.order();
        if (canonicalLabels.length != count * 2 * ShapesDataset.QUADRANTS) {
            throw new IllegalArgumentException(canonicalLabels.length / 8 + " labelled images for " + count + " activations");
        }
        CyclicGroup group = new CyclicGroup(n);
        SplittableRandom rng = new SplittableRandom(seed ^ POWERS_STREAM);
        int[] powers = new int[count];
        float[] rows = new float[count * d];
        float[] data = acts.data();
        List<ProbeTask> tasks = ProbeTasks.all();
        boolean[][] y = new boolean[tasks.size()][count];
        int w = 2 * ShapesDataset.QUADRANTS;
        for (int i = 0; i < count; i++) {
            powers[i] = rng.nextInt(n);
            System.arraycopy(data, (i * n + powers[i]) * d, rows, i * d, d);
            int[] seen = group.actOnLabels(java.util.Arrays.copyOfRange(canonicalLabels, i * w, (i + 1) * w), powers[i]);
            for (int t = 0; t < tasks.size(); t++) {
                y[t][i] = tasks.get(t).positive(seen);
            }
        }
        return new ProbeSet(tasks, powers, new Features(rows, count, d), y, n);
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

    public List<ProbeTask> tasks() {
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
