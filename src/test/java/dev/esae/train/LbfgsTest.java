package dev.esae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LbfgsTest {
    private final long seed = System.nanoTime();

    @Test
    void minimisesTheRosenbrockFunctionFromItsUsualStart() {
        Lbfgs.Objective rosen = (x, g) -> {
            double a = 1 - x[0];
            double b = x[1] - x[0] * x[0];
            g[0] = -2 * a - 400 * x[0] * b;
            g[1] = 200 * b;
            return a * a + 100 * b * b;
        };
        Lbfgs.Result r = new Lbfgs(rosen, 10, 1e-10).minimize(new double[] {-1.2, 1}, 200, null);
        assertEquals(1, r.x()[0], 1e-6, r.stop());
        assertEquals(1, r.x()[1], 1e-6, r.stop());
        assertTrue(r.iterations() < 100, "iterations " + r.iterations());
        for (int i = 1; i < r.losses().size(); i++) {
            assertTrue(r.losses().get(i) < r.losses().get(i - 1), "every accepted step lowers the loss: " + r.losses());
        }
    }

    /** Condition number 1e4: SciPy's L-BFGS-B (20 pairs) needs its 500 iterations here too, ending at loss 1e-9. */
    @Test
    void solvesAnIllConditionedQuadraticNearItsExactMinimiser() {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 60;
        double[] scale = new double[n];
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            scale[i] = Math.pow(10, 4.0 * i / (n - 1));  // condition number 1e4
            target[i] = rng.nextGaussian();
        }
        Lbfgs.Result r = new Lbfgs(quadratic(scale, target), 20, 1e-9).minimize(new double[n], 500, null);
        assertTrue(r.loss() < 1e-10 * r.losses().get(0), "loss " + r.losses().get(0) + " -> " + r.loss() + " (seed " + seed + ")");
        for (int i = 0; i < n; i++) {
            assertEquals(target[i], r.x()[i], 1e-3, "coordinate " + i + " (seed " + seed + ", " + r.stop() + ")");
        }
    }

    /** {@code Σ scale_i (x_i − target_i)² / 2}: a diagonal quadratic, its condition number max/min of {@code scale}. */
    static Lbfgs.Objective quadratic(double[] scale, double[] target) {
        return (x, g) -> {
            double f = 0;
            for (int i = 0; i < x.length; i++) {
                double e = x[i] - target[i];
                f += 0.5 * scale[i] * e * e;
                g[i] = scale[i] * e;
            }
            return f;
        };
    }

    @Test
    void cubicStepOfAQuadraticLineIsItsMinimum() {
        // phi(t) = (t - 0.3)^2 sampled at 0 and 1: the cubic through both points is the parabola itself.
        double t = Lbfgs.cubicMinimumForTest(0, 0.09, -0.6, 1, 0.49, 1.4);
        assertEquals(0.3, t, 1e-12);
    }
}
