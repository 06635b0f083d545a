package dev.esae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.testutil.TestBackends;
import dev.esae.compute.Backend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The compact memory against the two-loop recursion it replaces for large problems: the same
 * {@code −H g} (to the float32 storage of the pairs) on fresh random curvature pairs, through
 * filling, eviction of the oldest pairs, a restart, and two pairs added with no direction between.
 */
class CompactCurvatureMemoryTest {
    private static final Backend cpu = TestBackends.cpu();
    private final long seed = System.nanoTime();

    /** A pair with positive curvature: y = A s for a random symmetric positive definite diagonal-plus-noise A. */
    private static double[][] pair(SplittableRandom rng, int n, double[] diag) {
        double[] s = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = diag[i] * s[i] + 0.01 * rng.nextGaussian();
        }
        return new double[][] {s, y};
    }

    private static void addBoth(CurvatureMemory a, CurvatureMemory b, double[][] p) {
        double sy = Lbfgs.dot(p[0], p[1]);
        double yy = Lbfgs.dot(p[1], p[1]);
        assertTrue(sy > 0);
        a.add(p[0], p[1], sy, yy);
        b.add(p[0], p[1], sy, yy);
    }

    private void assertSameDirection(CurvatureMemory reference, CurvatureMemory compact, double[] g, String when) {
        int n = g.length;
        double[] want = new double[n];
        double[] got = new double[n];
        reference.direction(g, want);
        compact.direction(g, got);
        double norm = Math.sqrt(Lbfgs.dot(want, want));
        double err = 0;
        for (int i = 0; i < n; i++) {
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        assertTrue(err <= 1e-5 * norm, when + ": largest difference " + err + " against |dir| " + norm + " (seed " + seed + ")");
        assertEquals(reference.size(), compact.size(), when);
    }

    @Test
    void givesTheTwoLoopDirectionThroughFillingEvictionAndRestart() {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 300 + rng.nextInt(200);
        int capacity = 2 + rng.nextInt(6);
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = Math.exp(3 * rng.nextDouble());
        }
        try (CurvatureMemory reference = new TwoLoopMemory(capacity);
             CurvatureMemory compact = new CompactCurvatureMemory(cpu, capacity, n)) {
            double[] g = new double[n];
            for (int step = 0; step < 3 * capacity; step++) {
                for (int i = 0; i < n; i++) {
                    g[i] = rng.nextGaussian();
                }
                assertSameDirection(reference, compact, g, "step " + step);
                addBoth(reference, compact, pair(rng, n, diag));
            }
            // Two pairs in a row (no direction between), then a direction.
            addBoth(reference, compact, pair(rng, n, diag));
            addBoth(reference, compact, pair(rng, n, diag));
            assertSameDirection(reference, compact, g, "after two pairs in a row");
            reference.clear();
            compact.clear();
            assertSameDirection(reference, compact, g, "after a restart (steepest descent)");
            addBoth(reference, compact, pair(rng, n, diag));
            assertSameDirection(reference, compact, g, "one pair after the restart");
        }
    }

    @Test
    void minimisesAnIllConditionedQuadraticAsTheTwoLoopMemoryDoes() {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 200;
        double[] scale = new double[n];
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            scale[i] = Math.pow(10, 3.0 * i / (n - 1));
            target[i] = rng.nextGaussian();
        }
        Lbfgs.Result r = new Lbfgs(LbfgsTest.quadratic(scale, target), () -> new CompactCurvatureMemory(cpu, 20, n), 1e-8)
                .minimize(new double[n], 500, null);
        assertTrue(r.loss() < 1e-10 * r.losses().get(0), "loss " + r.losses().get(0) + " -> " + r.loss() + " (seed " + seed + ")");
        for (int i = 0; i < n; i++) {
            assertEquals(target[i], r.x()[i], 1e-3, "coordinate " + i + " (seed " + seed + ", " + r.stop() + ")");
        }
    }
}
