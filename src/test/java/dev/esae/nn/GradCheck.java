package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences (five-point stencil) in double precision against analytic gradients.
 * A coordinate whose ±h or ±2h evaluations change any ReLU's activation pattern (a kink crossed)
 * is skipped and counted.
 */
public final class GradCheck {
    /**
     * The worst, over targets, of the norm-wise relative error (largest |analytic - finite
     * difference| over the largest |finite difference| of that target, or over a floor that is a
     * fraction of the largest analytic gradient of all targets), and how many coordinates were
     * checked or skipped.
     */
    public record Result(double error, int checked, int skipped, String worstTarget) {}

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
     * Checks {@code perTarget} random coordinates of each target (all of a smaller one): {@code loss} evaluates the
     * loss (a forward pass) and {@code pattern} the ReLU pattern after it.
     */
    public static Result check(Backend backend, List<Target> targets, DoubleSupplier loss,
            java.util.function.Supplier<BitSet> pattern, int perTarget, double h, SplittableRandom rng) {
        return check(backend, targets, loss, pattern, perTarget, h, 1e-4, rng);
    }

    /**
     * As above, with each target's error scale at least {@code floorFraction} of the largest
     * analytic gradient of all targets: 1e-4 judges each tensor on its own; 1 judges every tensor
     * against the whole model's gradient (a norm-wise error over the model).
     */
    public static Result check(Backend backend, List<Target> targets, DoubleSupplier loss,
            java.util.function.Supplier<BitSet> pattern, int perTarget, double h, double floorFraction, SplittableRandom rng) {
        loss.getAsDouble();
        BitSet base = pattern.get();
        // A tensor whose gradient is numerically zero (e.g. feeding only dead ReLUs) is judged against
        // a fraction of the largest gradient, not against its own roundoff-level values.
        double floor = 0;
        for (Target t : targets) {
            for (double g : t.gradient()) {
                floor = Math.max(floor, Math.abs(g) * floorFraction);
            }
        }
        double worst = 0;
        String worstTarget = "";
        int checked = 0;
        int skipped = 0;
        for (Target t : targets) {
            double worstDiff = 0;
            double scale = 0;
            int n = (int) t.value().size();
            // Small tensors: every coordinate once. Large ones: draw until perTarget kink-free
            // coordinates are checked (at most 4 x perTarget draws).
            List<Integer> coords = new ArrayList<>();
            int draws = n <= perTarget ? n : 4 * perTarget;
            for (int c = 0; c < draws; c++) {
                coords.add(n <= perTarget ? c : rng.nextInt(n));
            }
            int checkedHere = 0;
            for (int i : coords) {
                if (checkedHere == perTarget) {
                    break;
                }
                // Five-point stencil: truncation error O(h^4), so h can be large enough that
                // roundoff in the loss (a mean over thousands of values) stays far below 1e-6.
                double v0 = get(backend, t.value(), i);
                double[] l = new double[4];
                boolean kink = false;
                double[] steps = {-2 * h, -h, h, 2 * h};
                for (int j = 0; j < 4; j++) {
                    set(backend, t.value(), i, v0 + steps[j]);
                    l[j] = loss.getAsDouble();
                    kink |= !pattern.get().equals(base);
                }
                set(backend, t.value(), i, v0);
                if (kink) {
                    skipped++;
                    continue;
                }
                double fd = (l[0] - 8 * l[1] + 8 * l[2] - l[3]) / (12 * h);
                worstDiff = Math.max(worstDiff, Math.abs(fd - t.gradient()[i]));
                scale = Math.max(scale, Math.abs(fd));
                checked++;
                checkedHere++;
            }
            scale = Math.max(scale, floor);
            double err = scale == 0 ? worstDiff : worstDiff / scale;
            if (err >= worst) {
                worst = err;
                worstTarget = t.name() + " (max |fd| " + scale + ")";
            }
        }
        loss.getAsDouble();
        return new Result(worst, checked, skipped, worstTarget);
    }
}
