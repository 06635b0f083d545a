package dev.esae.train;

import java.util.SplittableRandom;

/**
 * The random choices of one epoch (batch order, rotations), drawn from (seed, epoch) alone, so
 * resuming at any epoch repeats exactly what an uninterrupted run would do, with no state to save.
 */
public final class EpochRandom {
    private EpochRandom() {}

    /** A generator for {@code epoch} of a run seeded with {@code seed}. */
    public static SplittableRandom of(long seed, int epoch) {
        // SplittableRandom mixes its seed; distinct (seed, epoch) pairs give distinct streams.
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L * (epoch + 1L));
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates). */
    public static int[] permutation(SplittableRandom rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
