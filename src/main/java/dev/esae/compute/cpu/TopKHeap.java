package dev.esae.compute.cpu;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * Selects the k largest values of a row with a min-heap of size k, in the order the backend
 * promises: value descending ({@link Float#compare}), ties by lower index. One instance per thread.
 *
 * <p>With SIMD, a wide row is first cut into disjoint groups of 16 values
 * ({@link VectorOps#groupMaxima}). The k-th largest group maximum τ is a lower bound on the row's
 * k-th largest value (the k largest maxima are k distinct values of the row), so only values that
 * reach τ can be among the k best. Only the groups whose maximum reaches τ (about k) are read
 * again, and only their values that reach τ (about k + a few for values in random order) enter the
 * heap, instead of a scalar read and compare of every value and a sift for ~K·ln(L/K) of them.
 * Rows with NaN take the plain path.
 */
final class TopKHeap {
    private final int k;
    private final float[] vals;
    private final int[] idx;
    private float[] maxima = new float[0];

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
     * Like {@link #selectRow(FloatBuffer, int, int, FloatBuffer, IntBuffer, int)}, on a row given as
     * its byte buffer and element index, taking the SIMD group-bound path where it applies.
     */
    void selectRow(java.nio.ByteBuffer bytes, int xAt, FloatBuffer x, int offset, int cols, FloatBuffer outVals, IntBuffer outIdx,
            int outOffset) {
        if (cols >= 2 * k * VectorOps.GROUP && selectByGroups(bytes, xAt, cols)) {
            drain(outVals, outIdx, outOffset);
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
     * Fills the heap with the row's k best entries by the group bound (SIMD); false (heap unusable)
     * when the row holds a NaN, whose ordering the numeric bound cannot follow.
     */
    private boolean selectByGroups(java.nio.ByteBuffer x, int xAt, int cols) {
        if (maxima.length < cols / VectorOps.GROUP) {
            maxima = new float[cols / VectorOps.GROUP];
        }
        int covered = VectorOps.groupMaxima(x, xAt, cols, maxima);
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
            float v = x.getFloat((xAt + j) * 4);
            if (v != v) {
                return false;
            }
        }
        // τ: the k-th largest group maximum, by the same min-heap (free until the candidates fill it).
        for (int g = 0; g < k; g++) {
            vals[g] = maxima[g];
            idx[g] = g;
        }
        heapify();
        for (int g = k; g < groups; g++) {
            offerInOrder(maxima[g], g);
        }
        float tau = vals[0];
        // Only groups whose maximum reaches τ can hold a value that does; the rest of the row (past
        // the groups) is scanned whole. Candidates arrive out of index order, so ties are settled
        // by the full (value, index) order.
        int lanes = VectorOps.lanes();
        int chunk = VectorOps.GROUP * lanes;
        int size = 0;
        for (int g = 0; g <= groups; g++) {
            int from;
            int to;
            int stride;
            if (g < groups) {
                if (!(maxima[g] >= tau)) {
                    continue;
                }
                from = (g / lanes) * chunk + g % lanes;
                to = from + chunk;
                stride = lanes;
            } else {
                from = covered;
                to = cols;
                stride = 1;
            }
            for (int j = from; j < to; j += stride) {
                float v = x.getFloat((xAt + j) * 4);
                if (!(v >= tau)) {
                    continue;
                }
                if (size < k) {
                    siftUp(size++, v, j);
                } else if (below(vals[0], idx[0], v, j)) {
                    replaceWeakest(v, j);
                }
            }
        }
        return size == k;
    }

    /** Adds entry (v, id) at slot {@code i}, the end of a heap of {@code i} entries, and moves it up to its place. */
    private void siftUp(int i, float v, int id) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!below(v, id, vals[parent], idx[parent])) {
                break;
            }
            vals[i] = vals[parent];
            idx[i] = idx[parent];
            i = parent;
        }
        vals[i] = v;
        idx[i] = id;
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
