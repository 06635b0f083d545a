package dev.esae.compute.cpu;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * Selects the k largest values of a row with a min-heap of size k, in the order the backend
 * promises: value descending ({@link Float#compare}), ties by lower index. One instance per thread.
 */
final class TopKHeap {
    private final int k;
    private final float[] vals;
    private final int[] idx;

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

    void selectRow(FloatBuffer x, int offset, int cols, FloatBuffer outVals, IntBuffer outIdx, int outOffset) {
        for (int j = 0; j < k; j++) {
            vals[j] = x.get(offset + j);
            idx[j] = j;
        }
        for (int j = k / 2 - 1; j >= 0; j--) {
            siftDown(j, k);
        }
        for (int j = k; j < cols; j++) {
            float v = x.get(offset + j);
            // Later columns lose ties, so only a strictly larger value displaces the weakest entry.
            if (Float.compare(v, vals[0]) > 0) {
                vals[0] = v;
                idx[0] = j;
                siftDown(0, k);
            }
        }
        // Popping the weakest first fills the output from its end: best first, as promised.
        for (int n = k; n > 0; n--) {
            outVals.put(outOffset + n - 1, vals[0]);
            outIdx.put(outOffset + n - 1, idx[0]);
            vals[0] = vals[n - 1];
            idx[0] = idx[n - 1];
            siftDown(0, n - 1);
        }
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
