package dev.esae.compute.cpu;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * Selects the k largest values of a row in the order the backend promises: value descending
 * ({@link Float#compare}), ties by lower index. One instance per thread.
 *
 * <p>The scalar path keeps a min-heap of size k over the whole row. With SIMD, a wide row is first
 * copied into a {@code float[]} (the Vector API reads arrays about twice as fast as direct buffers
 * on JDK 17) and cut into disjoint groups of 16 values ({@link VectorOps#groupMaxima}). The k-th
 * largest group maximum τ (a binary search over the ~L/16 maxima's bits) is a lower bound on the
 * row's k-th largest value (the k largest maxima are k distinct values of the row), so only values
 * that reach τ can be among the k best. Only the groups whose maximum reaches τ (about k) are read
 * again, and their values that reach τ (about k + a few for values in random order) are sorted as
 * longs that encode (value, index) in the selection's order. Rows with NaN take the plain path.
 */
final class TopKHeap {
    private final int k;
    private final float[] vals;
    private final int[] idx;
    private float[] maxima = new float[0];
    private float[] row = new float[0];
    private int[] scratch = new int[0];
    private long[] keys = new long[0];

    TopKHeap(int k) {
        this.k = k;
        this.vals = new float[k];
        this.idx = new int[k];
    }

    /** True if entry (va, ia) ranks below (vb, ib): smaller value, or equal value and higher index. */
    private static boolean below(float va, int ia, float vb, int ib) {
        int c = Float.compare(va, vb);
        return c < 0 || (c == 0 && ia > ib);
    }

    /**
     * Like {@link #selectRow(FloatBuffer, int, int, FloatBuffer, IntBuffer, int)}, taking the SIMD
     * group-bound path where it applies (the caller has checked that SIMD is available).
     */
    void selectRowSimd(FloatBuffer x, int offset, int cols, FloatBuffer outVals, IntBuffer outIdx, int outOffset) {
        if (cols >= 2 * k * VectorOps.GROUP && selectByGroups(x, offset, cols, outVals, outIdx, outOffset)) {
            return;
        }
        selectRow(x, offset, cols, outVals, outIdx, outOffset);
    }

    void selectRow(FloatBuffer x, int offset, int cols, FloatBuffer outVals, IntBuffer outIdx, int outOffset) {
        for (int j = 0; j < k; j++) {
            vals[j] = x.get(offset + j);
            idx[j] = j;
        }
        heapify();
        for (int j = k; j < cols; j++) {
            offerInOrder(x.get(offset + j), j);
        }
        drain(outVals, outIdx, outOffset);
    }

    /** Orders the k filled entries into a min-heap (the weakest at the root). */
    private void heapify() {
        for (int j = k / 2 - 1; j >= 0; j--) {
            siftDown(j, k);
        }
    }

    /**
     * Offers entry (v, j) to the full heap when entries arrive in index order: later ones lose
     * ties, so only a strictly larger value displaces the weakest entry.
     */
    private void offerInOrder(float v, int j) {
        if (Float.compare(v, vals[0]) > 0) {
            replaceWeakest(v, j);
        }
    }

    /** Puts (v, j) in the weakest entry's place and restores the heap. */
    private void replaceWeakest(float v, int j) {
        vals[0] = v;
        idx[0] = j;
        siftDown(0, k);
    }

    /** Pops the heap into the output: the weakest first, filling from the end, so the best comes first. */
    private void drain(FloatBuffer outVals, IntBuffer outIdx, int outOffset) {
        for (int n = k; n > 0; n--) {
            outVals.put(outOffset + n - 1, vals[0]);
            outIdx.put(outOffset + n - 1, idx[0]);
            vals[0] = vals[n - 1];
            idx[0] = idx[n - 1];
            siftDown(0, n - 1);
        }
    }

    /**
     * Writes the row's k best entries by the group bound (SIMD); false (nothing written) when the
     * row holds a NaN, whose ordering the numeric bound cannot follow, or is too short for it.
     */
    private boolean selectByGroups(FloatBuffer x, int offset, int cols, FloatBuffer outVals, IntBuffer outIdx, int outOffset) {
        if (row.length < cols) {
            row = new float[cols];
            maxima = new float[cols / VectorOps.GROUP];
            scratch = new int[cols / VectorOps.GROUP];
            keys = new long[cols];
        }
        x.get(offset, row, 0, cols);
        int covered = VectorOps.groupMaxima(row, cols, maxima);
        int groups = covered / VectorOps.GROUP;
        if (groups < 2 * k) {
            return false;
        }
        for (int g = 0; g < groups; g++) {
            if (maxima[g] != maxima[g]) {
                return false;
            }
        }
        for (int j = covered; j < cols; j++) {
            if (row[j] != row[j]) {
                return false;
            }
        }
        // τ: the k-th largest group maximum.
        float tau = kthLargest(maxima, scratch, groups, k);
        // Only groups whose maximum reaches τ can hold a value that does; the rest of the row (past
        // the groups) is scanned whole.
        int lanes = VectorOps.lanes();
        int chunk = VectorOps.GROUP * lanes;
        int c = 0;
        for (int g = 0; g < groups; g++) {
            if (!(maxima[g] >= tau)) {
                continue;
            }
            int from = (g / lanes) * chunk + g % lanes;
            for (int j = from; j < from + chunk; j += lanes) {
                float v = row[j];
                if (v >= tau) {
                    keys[c++] = key(v, j);
                }
            }
        }
        for (int j = covered; j < cols; j++) {
            float v = row[j];
            if (v >= tau) {
                keys[c++] = key(v, j);
            }
        }
        // Candidates arrive out of index order; their keys sort as the full (value, index) order.
        java.util.Arrays.sort(keys, 0, c);
        for (int q = 0; q < k; q++) {
            long key = keys[c - 1 - q];
            outVals.put(outOffset + q, fromSortable((int) (key >> 32)));
            outIdx.put(outOffset + q, (int) (0xFFFFFFFFL - (key & 0xFFFFFFFFL)));
        }
        return true;
    }

    /**
     * A candidate as one long whose ascending order is the selection's order reversed: the value's
     * bits made to sort as {@link Float#compare} does (negative floats' magnitude bits flipped, so
     * −0 sorts below +0) in the high half, and the complement of the index in the low half, so that
     * of equal values the lower index sorts higher. The value's bits come back exactly.
     */
    private static long key(float v, int index) {
        return ((long) sortable(v) << 32) | (0xFFFFFFFFL - index);
    }

    /**
     * The k-th largest of {@code a[0, n)} (no NaN; n a multiple of the SIMD width) by a binary
     * search over the values' sortable bits, each probe a branch-free SIMD count of the values
     * that reach it ({@link VectorOps#countAtLeast}); a quickselect's data-dependent branches cost
     * more here than its fewer comparisons save. Uses {@code sortable[0, n)} as scratch.
     */
    private static float kthLargest(float[] a, int[] sortable, int n, int k) {
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int s = sortable(a[i]);
            sortable[i] = s;
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        // Invariant: at least k values reach lo, and the answer lies in [lo, hi].
        while (lo < hi) {
            int mid = (int) (((long) lo + hi + 1) >> 1);
            if (VectorOps.countAtLeast(sortable, n, mid) >= k) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return fromSortable(lo);
    }

    /** A float's bits as an int whose signed order is {@link Float#compare}'s (NaN aside): negative floats' magnitude bits flipped. */
    private static int sortable(float v) {
        int bits = Float.floatToRawIntBits(v);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    /** The float whose {@link #sortable} bits these are (the flip is its own inverse). */
    private static float fromSortable(int s) {
        return Float.intBitsToFloat(s ^ ((s >> 31) & 0x7FFFFFFF));
    }

    private void siftDown(int i, int n) {
        float v = vals[i];
        int id = idx[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && below(vals[child + 1], idx[child + 1], vals[child], idx[child])) {
                child++;
            }
            if (!below(vals[child], idx[child], v, id)) {
                break;
            }
            vals[i] = vals[child];
            idx[i] = idx[child];
            i = child;
        }
        vals[i] = v;
        idx[i] = id;
    }
}
