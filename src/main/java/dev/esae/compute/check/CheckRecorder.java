package dev.esae.compute.check;

import dev.esae.compute.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the self-test's check families share while one run goes on: the backend under test, the
 * one random stream every input is drawn from (so a seed replays the whole run), and the list of
 * checks recorded so far, each with the output it compared (kept for comparing two backends).
 */
final class CheckRecorder {
    final Backend backend;
    final SplittableRandom rng;
    private final List<OpCheck> checks = new ArrayList<>();
    /** The output of the check being recorded. */
    private double[] output;

    CheckRecorder(Backend backend, long seed) {
        this.backend = backend;
        this.rng = new SplittableRandom(seed);
    }

    /** {@code n} floats drawn uniformly from [-1, 1). */
    float[] random(int n) {
        return SelfTest.uniform(rng, n);
    }

    /** Records a check whose error {@link #err} or {@link #same} has just measured. */
    void add(String op, String c, double error, double tolerance) {
        checks.add(new OpCheck(op, c, error, tolerance, output));
        output = null;
    }

    /** {@link SelfTest#relativeError}, keeping {@code got} as the check's output. */
    double err(float[] got, double[] ref) {
        output = SelfTest.toDouble(got);
        return SelfTest.relativeError(got, ref);
    }

    /** The largest difference over the largest of {@code scale} (the size of what was summed), keeping {@code got}. */
    double err(float[] got, double[] ref, double[] scale) {
        output = SelfTest.toDouble(got);
        double maxDiff = 0;
        double maxScale = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs(got[i] - ref[i]);
            maxDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxDiff, d);
            maxScale = Math.max(maxScale, scale[i]);
        }
        return maxScale == 0 ? maxDiff : maxDiff / maxScale;
    }

    /** The fraction of elements that differ bit for bit, keeping {@code got} as the check's output. */
    double same(float[] got, float[] ref) {
        output = SelfTest.toDouble(got);
        return SelfTest.mismatch(got, ref);
    }

    /** The fraction of elements that differ, keeping {@code got} as the check's output. */
    double same(int[] got, int[] ref) {
        output = java.util.Arrays.stream(got).asDoubleStream().toArray();
        return SelfTest.mismatch(got, ref);
    }

    /** The checks recorded, in order. */
    List<OpCheck> checks() {
        return List.copyOf(checks);
    }
}
