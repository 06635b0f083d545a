package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences in double precision against analytic gradients. A coordinate whose
 * ±h evaluations change any ReLU's activation pattern (a kink crossed) is skipped and counted.
 */
public final class GradCheck {
    /**
     * The worst, over targets, of the norm-wise relative error (largest |analytic - finite
     * difference| over the largest |finite difference| of that target), and how many coordinates
     * were checked or skipped.
     */
    public record Result(double error, int checked, int skipped) {}

    /** A tensor to perturb, and the analytic gradient of the loss with respect to it. */
    public record Target(String name, Tensor value, double[] gradient) {}

    private GradCheck() {}

    /** Which ReLU units are active, over every ReLU layer in {@code models}. */
    public static BitSet reluPattern(Backend backend, Sequential... models) {
        BitSet bits = new BitSet();
        int offset = 0;
        for (Sequential s : models) {
            for (Layer l : s.layers()) {
                if (l instanceof ReLU r && r.lastOutput() != null) {
                    double[] out = backend.downloadDoubles(r.lastOutput());
                    for (int i = 0; i < out.length; i++) {
                        bits.set(offset + i, out[i] > 0);
                    }
                    offset += out.length;
                }
            }
        }
        return bits;
    }

    static double get(Backend backend, Tensor t, int i) {
        return backend.downloadDoubles(t.reshape((int) t.size()).rows(i, 1))[0];
    }

    static void set(Backend backend, Tensor t, int i, double v) {
        try (Tensor one = backend.uploadDoubles(new double[] {v}, 1)) {
            backend.copy(one, t.reshape((int) t.size()).rows(i, 1));
        }
    }

    /**
     * Checks up to {@code perTarget} random coordinates of each target: {@code loss} evaluates the
     * loss (a forward pass) and {@code pattern} the ReLU pattern after it.
     */
    public static Result check(Backend backend, List<Target> targets, DoubleSupplier loss,
            java.util.function.Supplier<BitSet> pattern, int perTarget, double h, SplittableRandom rng) {
        loss.getAsDouble();
        BitSet base = pattern.get();
        double worst = 0;
        int checked = 0;
        int skipped = 0;
        for (Target t : targets) {
            double worstDiff = 0;
            double scale = 0;
            int n = (int) t.value().size();
            List<Integer> coords = new ArrayList<>();
            for (int c = 0; c < Math.min(perTarget, n); c++) {
                coords.add(n <= perTarget ? c : rng.nextInt(n));
            }
            for (int i : coords) {
                double v0 = get(backend, t.value(), i);
                set(backend, t.value(), i, v0 + h);
                double lp = loss.getAsDouble();
                BitSet pp = pattern.get();
                set(backend, t.value(), i, v0 - h);
                double lm = loss.getAsDouble();
                BitSet pm = pattern.get();
                set(backend, t.value(), i, v0);
                if (!pp.equals(base) || !pm.equals(base)) {
                    skipped++;
                    continue;
                }
                double fd = (lp - lm) / (2 * h);
                worstDiff = Math.max(worstDiff, Math.abs(fd - t.gradient()[i]));
                scale = Math.max(scale, Math.abs(fd));
                checked++;
            }
            worst = Math.max(worst, scale == 0 ? worstDiff : worstDiff / scale);
        }
        loss.getAsDouble();
        return new Result(worst, checked, skipped);
    }
}
