package dev.esae.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Limited-memory BFGS with a strong-Wolfe line search (Nocedal &amp; Wright, Algorithms 7.4, 3.5 and
 * 3.6, cubic interpolation in the zoom): the full-batch solver of {@code fit-m --solver lbfgs} and
 * of the logistic-regression probes. The iterate and gradients are kept in double, the curvature
 * pairs by a {@link CurvatureMemory} (in double on the host for the probes, in float32 on the
 * backend for M); the objective may compute in float.
 *
 * <p>It stops after {@code maxIterations}, when the largest gradient entry falls to
 * {@code gradientTolerance}, or when a line search finds no point with a lower loss (the loss has
 * reached the precision the objective computes it to). The iterate it returns is always the one
 * with the lowest loss seen at an accepted step.
 */
public final class Lbfgs {
    /** Sufficient-decrease and curvature constants of the strong Wolfe conditions. */
    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final int MAX_LINE_SEARCH = 25;

    /** A smooth function of {@code x}: returns its value and writes its gradient into {@code gradient}. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    /** Told after every iteration. */
    @FunctionalInterface
    public interface Progress {
        void onIteration(int iteration, double loss);
    }

    /**
     * @param x the minimiser found
     * @param losses the loss after each iteration (index 0: at the start)
     * @param evaluations objective evaluations in all
     * @param gradientMax the largest gradient entry at {@code x}
     * @param stop why it stopped, in words
     */
    public record Result(double[] x, List<Double> losses, int evaluations, double gradientMax, String stop) {
        public int iterations() {
            return losses.size() - 1;
        }

        public double loss() {
            return losses.get(losses.size() - 1);
        }
    }

    private final Objective f;
    private final java.util.function.Supplier<CurvatureMemory> memory;
    private final double gradientTolerance;
    private int evaluations;

    /** @param history curvature pairs kept (PyTorch's LBFGS keeps 100; 10–30 is the usual choice), in a {@link TwoLoopMemory} */
    public Lbfgs(Objective f, int history, double gradientTolerance) {
        this(f, twoLoop(history), gradientTolerance);
    }

    /** @param memory makes the curvature memory of each {@link #minimize} call (closed when it returns) */
    public Lbfgs(Objective f, java.util.function.Supplier<CurvatureMemory> memory, double gradientTolerance) {
        this.f = f;
        this.memory = memory;
        this.gradientTolerance = gradientTolerance;
    }

    private static java.util.function.Supplier<CurvatureMemory> twoLoop(int history) {
        if (history < 1) {
            throw new IllegalArgumentException("history must be at least 1, got " + history);
        }
        return () -> new TwoLoopMemory(history);
    }

    /** Minimises from {@code x0} (not modified) for at most {@code maxIterations} iterations. */
    public Result minimize(double[] x0, int maxIterations, Progress progress) {
        try (CurvatureMemory pairs = memory.get()) {
            return minimize(x0, maxIterations, progress, pairs);
        }
    }

    private Result minimize(double[] x0, int maxIterations, Progress progress, CurvatureMemory pairs) {
        int n = x0.length;
        double[] x = x0.clone();
        double[] g = new double[n];
        evaluations = 0;
        double fx = eval(x, g);
        List<Double> losses = new ArrayList<>(List.of(fx));
        if (!Double.isFinite(fx)) {
            return new Result(x, losses, evaluations, maxAbs(g), "the loss at the start is not finite");
        }
        double[] dir = new double[n];
        String stop = "the iteration budget (" + maxIterations + ") is spent";
        for (int it = 0; it < maxIterations; it++) {
            if (maxAbs(g) <= gradientTolerance) {
                stop = "the gradient is below " + gradientTolerance;
                break;
            }
            // dir = -H g, H scaled by s'y / y'y of the newest pair.
            pairs.direction(g, dir);
            double slope = dot(g, dir);
            if (!(slope < 0)) {
                // Not a descent direction (curvature lost to rounding): restart from steepest descent.
                pairs.clear();
                for (int i = 0; i < n; i++) {
                    dir[i] = -g[i];
                }
                slope = dot(g, dir);
            }
            // The first step has no curvature to scale it: a unit step along the normalised gradient.
            double step = pairs.size() == 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
            LineSearch ls = lineSearch(x, fx, g, dir, slope, step);
            if (ls == null) {
                stop = "no step along the search direction lowers the loss (it is at the precision it is computed to)";
                break;
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = ls.step * dir[i];
                y[i] = ls.gradient[i] - g[i];
            }
            double sy = dot(s, y);
            double yy = dot(y, y);
            if (sy > 1e-10 * yy) {
                pairs.add(s, y, sy, yy);
            }
            double previous = fx;
            axpy(ls.step, dir, x);
            g = ls.gradient;
            fx = ls.value;
            losses.add(fx);
            if (progress != null) {
                progress.onIteration(it + 1, fx);
            }
            if (previous - fx <= 1e-12 * Math.max(1, Math.abs(previous))) {
                stop = "the loss stopped changing (relative change below 1e-12)";
                break;
            }
        }
        return new Result(x, losses, evaluations, maxAbs(g), stop);
    }

    /** An accepted step: its length, the loss and the gradient there. */
    private record LineSearch(double step, double value, double[] gradient) {}

    /** A point on the search line: step, loss, directional derivative, gradient. */
    private record Point(double step, double value, double slope, double[] gradient) {}

    private Point at(double[] x, double[] dir, double step) {
        double[] xt = x.clone();
        axpy(step, dir, xt);
        double[] gt = new double[x.length];
        double v = eval(xt, gt);
        return new Point(step, v, dot(gt, dir), gt);
    }

    /** Strong-Wolfe line search; {@code null} when no tried point lowers the loss. */
    private LineSearch lineSearch(double[] x, double f0, double[] g0, double[] dir, double slope0, double step) {
        Point prev = new Point(0, f0, slope0, g0);
        for (int i = 0; i < MAX_LINE_SEARCH; i++) {
            Point p = at(x, dir, step);
            if (!Double.isFinite(p.value) || p.value > f0 + C1 * step * slope0 || i > 0 && p.value >= prev.value) {
                return zoom(x, f0, slope0, dir, prev, p);
            }
            if (Math.abs(p.slope) <= -C2 * slope0) {
                return new LineSearch(p.step, p.value, p.gradient);
            }
            if (p.slope >= 0) {
                return zoom(x, f0, slope0, dir, p, prev);
            }
            prev = p;
            step *= 4;
        }
        return prev.step > 0 ? new LineSearch(prev.step, prev.value, prev.gradient) : null;
    }

    /** Zoom between {@code lo} (sufficient decrease, lowest loss so far) and {@code hi}. */
    private LineSearch zoom(double[] x, double f0, double slope0, double[] dir, Point lo, Point hi) {
        for (int i = 0; i < MAX_LINE_SEARCH; i++) {
            double a = Math.min(lo.step, hi.step);
            double b = Math.max(lo.step, hi.step);
            double width = b - a;
            if (width <= 1e-12 * b) {
                break;
            }
            double t = Double.isFinite(hi.value) ? cubicMinimum(lo, hi) : Double.NaN;
            // Keep the trial inside the bracket and away from its ends, so the bracket shrinks.
            if (!(t >= a + 0.1 * width && t <= b - 0.1 * width)) {
                t = a + 0.5 * width;
            }
            Point p = at(x, dir, t);
            if (!Double.isFinite(p.value) || p.value > f0 + C1 * t * slope0 || p.value >= lo.value) {
                hi = p;
            } else {
                if (Math.abs(p.slope) <= -C2 * slope0) {
                    return new LineSearch(p.step, p.value, p.gradient);
                }
                if (p.slope * (hi.step - lo.step) >= 0) {
                    hi = lo;
                }
                lo = p;
            }
        }
        return lo.step > 0 ? new LineSearch(lo.step, lo.value, lo.gradient) : null;
    }

    /** {@link #cubicMinimum} of two points given as (step, value, slope), for tests. */
    public static double cubicMinimumForTest(double a1, double f1, double s1, double a2, double f2, double s2) {
        return cubicMinimum(new Point(a1, f1, s1, null), new Point(a2, f2, s2, null));
    }

    /** The minimiser of the cubic through two points with their values and slopes (NaN when it has none). */
    static double cubicMinimum(Point p1, Point p2) {
        double d1 = p1.slope + p2.slope - 3 * (p1.value - p2.value) / (p1.step - p2.step);
        double disc = d1 * d1 - p1.slope * p2.slope;
        if (!(disc >= 0)) {
            return Double.NaN;
        }
        double d2 = Math.signum(p2.step - p1.step) * Math.sqrt(disc);
        return p2.step - (p2.step - p1.step) * (p2.slope + d2 - d1) / (p2.slope - p1.slope + 2 * d2);
    }

    private double eval(double[] x, double[] g) {
        evaluations++;
        return f.evaluate(x, g);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    static void scale(double alpha, double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= alpha;
        }
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
