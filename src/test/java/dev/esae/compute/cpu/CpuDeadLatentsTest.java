package dev.esae.compute.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.compute.check.ReferenceOps;
import dev.esae.testutil.TestBackends;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend's dead-latent bookkeeping (AuxK) against the plain reference and against the
 * unbounded host counters the trainer kept before, on fresh random inputs (the seed is in every
 * failure message).
 */
class CpuDeadLatentsTest {
    private static final float LIVE = Float.NEGATIVE_INFINITY;
    private static final Backend cpu = TestBackends.cpu();
    private final long seed = System.nanoTime();
    private final SplittableRandom rng = new SplittableRandom(seed);

    /** Values that mostly fire, with zeros of both signs, negatives and NaNs that must not. */
    private float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (rng.nextInt(6)) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> -(float) rng.nextDouble();
                case 3 -> Float.NaN;
                default -> (float) rng.nextDouble() + Float.MIN_VALUE;
            };
        }
        return v;
    }

    @Test
    void matchesTheReferenceAndTheUnboundedHostCountsStepAfterStep() {
        for (int run = 0; run < 20; run++) {
            int l = 1 + rng.nextInt(300);
            int deadAfter = rng.nextInt(3) == 0 ? rng.nextInt(8) : 1 + rng.nextInt(2000);
            int[] counts = new int[l];
            long[] unbounded = new long[l];
            try (Tensor tc = cpu.zeros(DType.I32, l); Tensor mask = cpu.zeros(DType.F32, l)) {
                for (int step = 0; step < 40; step++) {
                    int b = 1 + rng.nextInt(20);
                    int k = 1 + rng.nextInt(Math.min(l, 8));
                    // Rows of the batch may differ from B (the trainer's rows are B, this checks the op).
                    int rows = rng.nextBoolean() ? b : rng.nextInt(100);
                    float[] v = values(b * k);
                    int[] idx = rng.ints(b * k, 0, l).toArray();
                    if (b * k >= 2) {
                        idx[1] = idx[0];  // one latent indexed twice in a row
                    }
                    ReferenceOps.DeadLatents ref = ReferenceOps.updateDeadLatents(v, idx, rows, deadAfter, counts);
                    // The trainer's former host bookkeeping: long counts that only grow, reset when fired.
                    for (int i = 0; i < l; i++) {
                        unbounded[i] += rows;
                    }
                    for (int e = 0; e < idx.length; e++) {
                        if (v[e] > 0) {
                            unbounded[idx[e]] = 0;
                        }
                    }
                    try (Tensor tv = cpu.upload(v, b, k); Tensor ti = cpu.uploadInts(idx, b, k)) {
                        cpu.updateDeadLatents(tv, ti, rows, deadAfter, tc, mask);
                    }
                    String where = "run " + run + " step " + step + " L " + l + " deadAfter " + deadAfter + " (seed " + seed + ")";
                    assertArrayEquals(ref.rowsSinceFired(), cpu.downloadInts(tc), "counters, " + where);
                    assertArrayEquals(ref.deadMask(), cpu.download(mask), "mask, " + where);
                    float[] got = cpu.download(mask);
                    for (int i = 0; i < l; i++) {
                        assertEquals(unbounded[i] >= deadAfter ? 0f : LIVE, got[i], "latent " + i + " against the host count, " + where);
                    }
                    counts = ref.rowsSinceFired();
                }
            }
        }
    }

    @Test
    void repeatsNonPositiveValuesThresholdsAndSaturation() {
        // Latent 1 is selected twice in one row, 3 with a zero, 2 with a negative, 0 with a NaN.
        float[] v = {2f, 1f, 0f, -1f, Float.NaN, -0f};
        int[] idx = {1, 1, 3, 2, 0, 0};
        int[] counts = {4, 5, 0, 3};
        try (Tensor tv = cpu.upload(v, 3, 2); Tensor ti = cpu.uploadInts(idx, 3, 2); Tensor tc = cpu.uploadInts(counts, 4);
             Tensor mask = cpu.zeros(DType.F32, 4)) {
            cpu.updateDeadLatents(tv, ti, 1, 5, tc, mask);
            // 4 + 1 reaches 5 (dead), 5 stays saturated but fired, 0 + 1 and 3 + 1 stay below.
            assertArrayEquals(new int[] {5, 0, 1, 4}, cpu.downloadInts(tc));
            assertArrayEquals(new float[] {0f, LIVE, LIVE, LIVE}, cpu.download(mask));
            cpu.updateDeadLatents(tv, ti, 1, 5, tc, mask);
            assertArrayEquals(new int[] {5, 0, 2, 5}, cpu.downloadInts(tc), "3 crosses on its second step");
            assertArrayEquals(new float[] {0f, LIVE, LIVE, 0f}, cpu.download(mask));
            cpu.updateDeadLatents(tv, ti, 0, 0, tc, mask);
            assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, cpu.download(mask), "a threshold of 0: every latent dead, fired or not");
        }
        int max = Integer.MAX_VALUE;
        try (Tensor tv = cpu.upload(new float[] {-1f}, 1, 1); Tensor ti = cpu.uploadInts(new int[] {0}, 1, 1);
             Tensor tc = cpu.uploadInts(new int[] {max - 1, max - 3, 7}, 3); Tensor mask = cpu.zeros(DType.F32, 3)) {
            cpu.updateDeadLatents(tv, ti, max, max, tc, mask);
            assertArrayEquals(new int[] {max, max, max}, cpu.downloadInts(tc), "counts saturate at the threshold, never wrap");
            cpu.updateDeadLatents(tv, ti, 2, max - 2, tc, mask);
            assertArrayEquals(new int[] {max - 2, max - 2, max - 2}, cpu.downloadInts(tc), "a lower threshold clamps them");
        }
    }

    @Test
    void rejectsBadShapesTypesAndIndicesWithoutWriting() {
        try (Tensor tv = cpu.upload(new float[] {1f, 1f}, 1, 2); Tensor ti = cpu.uploadInts(new int[] {0, 3}, 1, 2);
             Tensor tc = cpu.uploadInts(new int[] {1, 2, 3}, 3); Tensor mask = cpu.zeros(DType.F32, 3);
             Tensor shortMask = cpu.zeros(DType.F32, 2); Tensor floatCounts = cpu.zeros(DType.F32, 3);
             Tensor flatIdx = cpu.uploadInts(new int[] {0, 1}, 2)) {
            assertThrows(IllegalArgumentException.class, () -> cpu.updateDeadLatents(tv, ti, 1, 5, tc, shortMask), "mask of another L");
            assertThrows(IllegalArgumentException.class, () -> cpu.updateDeadLatents(tv, flatIdx, 1, 5, tc, mask), "indices of another shape");
            assertThrows(IllegalArgumentException.class, () -> cpu.updateDeadLatents(tv, ti, -1, 5, tc, mask), "negative rows");
            assertThrows(IllegalArgumentException.class, () -> cpu.updateDeadLatents(tv, ti, 1, -5, tc, mask), "negative threshold");
            assertThrows(IllegalArgumentException.class, () -> cpu.updateDeadLatents(tv, ti, 1, 5, floatCounts, mask), "float counters");
            assertThrows(IndexOutOfBoundsException.class, () -> cpu.updateDeadLatents(tv, ti, 1, 5, tc, mask), "latent 3 of 3");
            assertArrayEquals(new int[] {1, 2, 3}, cpu.downloadInts(tc), "a bad index changes no counter");
        }
    }
}
