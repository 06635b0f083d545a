package dev.esae.compute.check;

import dev.esae.compute.Rot90;
import java.util.Arrays;

/**
 * Plain, obviously-correct versions of the backend operations on host arrays, in double precision
 * where it matters. They are what every fast path is checked against.
 */
public final class ReferenceOps {
    private ReferenceOps() {}

    /** {@code alpha op(A) op(B) + beta C} by the triple loop, in double; {@code beta == 0} ignores C. */
    public static double[] gemm(boolean transA, boolean transB, double alpha, float[] a, int aRows, int aCols,
            float[] b, int bRows, int bCols, double beta, float[] c) {
        int m = transA ? aCols : aRows;
        int k = transA ? aRows : aCols;
        int n = transB ? bRows : bCols;
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * aCols + i] : a[i * aCols + p];
                    double bv = transB ? b[j * bCols + p] : b[p * bCols + j];
                    acc += av * bv;
                }
                out[i * n + j] = alpha * acc + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    /** Row-wise top-k by sorting each whole row: value descending ({@link Float#compare}), then index ascending. */
    public static int[] topkIndices(float[] x, int rows, int cols, int k) {
        int[] out = new int[rows * k];
        for (int r = 0; r < rows; r++) {
            final int base = r * cols;
            Integer[] order = new Integer[cols];
            for (int j = 0; j < cols; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (i, j) -> {
                int c = Float.compare(x[base + j], x[base + i]);
                return c != 0 ? c : Integer.compare(i, j);
            });
            for (int j = 0; j < k; j++) {
                out[r * k + j] = order[j];
            }
        }
        return out;
    }

    /** Column sums in double, plus {@code beta} times the previous output. */
    public static double[] sumRows(float[] x, int cols, double beta, float[] previous) {
        double[] out = new double[cols];
        for (int i = 0; i < x.length; i++) {
            out[i % cols] += x[i];
        }
        for (int j = 0; j < cols; j++) {
            out[j] += beta * previous[j];
        }
        return out;
    }

    /** Clockwise rotation of each square image, pixel by pixel through {@link Rot90}. */
    public static float[] rot90(float[] images, int batch, int size, int quarterTurns) {
        float[] out = new float[images.length];
        int pixels = size * size;
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) {
                    out[b * pixels + r * size + c] = images[b * pixels + Rot90.sourceIndex(size, quarterTurns, r, c)];
                }
            }
        }
        return out;
    }
}
