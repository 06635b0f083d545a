package dev.esae.probe;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A train/test split of one binary task that keeps its class ratio: each class is shuffled with
 * the seed and {@code round(fraction · count)} of it (at least one when the class has two or more
 * members) goes to the test split. Indices in each split are sorted.
 */
public record StratifiedSplit(int[] train, int[] test) {
    public static StratifiedSplit of(boolean[] y, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction " + testFraction + " must be in (0, 1)");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] pos = members(y, true);
        int[] neg = members(y, false);
        int[] train = new int[y.length];
        int[] test = new int[y.length];
        int nTrain = 0;
        int nTest = 0;
        for (int[] cls : new int[][] {pos, neg}) {
            shuffle(cls, rng);
            int toTest = (int) Math.round(testFraction * cls.length);
            if (cls.length >= 2) {
                toTest = Math.max(1, Math.min(cls.length - 1, toTest));
            }
            for (int i = 0; i < cls.length; i++) {
                if (i < toTest) {
                    test[nTest++] = cls[i];
                } else {
                    train[nTrain++] = cls[i];
                }
            }
        }
        int[] tr = Arrays.copyOf(train, nTrain);
        int[] te = Arrays.copyOf(test, nTest);
        Arrays.sort(tr);
        Arrays.sort(te);
        return new StratifiedSplit(tr, te);
    }

    private static int[] members(boolean[] y, boolean cls) {
        int count = 0;
        for (boolean b : y) {
            count += b == cls ? 1 : 0;
        }
        int[] out = new int[count];
        int at = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == cls) {
                out[at++] = i;
            }
        }
        return out;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
