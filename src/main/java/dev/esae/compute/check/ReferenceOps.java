package dev.esae.compute.check;

import dev.esae.compute.ConvGeometry;
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

    /**
     * Convolution unfolding written directly from its definition (no index map): for each image,
     * output position (oy, ox) and patch entry (c, ky, kx), the NHWC input value at
     * (oy*stride - pad + ky, ox*stride - pad + kx, c), or 0 outside the image.
     */
    public static double[] im2col(double[] x, int batch, ConvGeometry g) {
        double[] cols = new double[batch * g.outPositions() * g.patchSize()];
        forEachUnfoldedPixel(batch, g, (entry, pixel) -> cols[entry] = x[pixel]);
        return cols;
    }

    /** The adjoint of {@link #im2col}: every column entry added back to the pixel it was read from. */
    public static double[] col2im(double[] cols, int batch, ConvGeometry g) {
        double[] x = new double[batch * g.inputSize()];
        forEachUnfoldedPixel(batch, g, (entry, pixel) -> x[pixel] += cols[entry]);
        return x;
    }

    /** One entry of the unfolded columns and the input pixel it reads, as flat indices. */
    @FunctionalInterface
    private interface UnfoldedPixel {
        void at(int entry, int pixel);
    }

    /**
     * Visits, in a fixed order, every im2col entry that reads a pixel (not padding), with the flat
     * index of the entry in {@code [batch·outPositions, patchSize]} and of the pixel in the NHWC
     * input: the definition that {@link #im2col} and {@link #col2im} both follow.
     */
    private static void forEachUnfoldedPixel(int batch, ConvGeometry g, UnfoldedPixel visit) {
        int ho = g.outH();
        int wo = g.outW();
        int k = g.patchSize();
        for (int b = 0; b < batch; b++) {
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    for (int c = 0; c < g.channels(); c++) {
                        for (int ky = 0; ky < g.kernelH(); ky++) {
                            for (int kx = 0; kx < g.kernelW(); kx++) {
                                int iy = oy * g.stride() - g.padding() + ky;
                                int ix = ox * g.stride() - g.padding() + kx;
                                if (iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW()) {
                                    int row = (b * ho + oy) * wo + ox;
                                    int col = (c * g.kernelH() + ky) * g.kernelW() + kx;
                                    visit.at(row * k + col, ((b * g.inH() + iy) * g.inW() + ix) * g.channels() + c);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One Adam step in double, in the textbook form
     * {@code p -= lr * mhat / (sqrt(vhat) + eps)}; returns {p, m, v} after the step.
     */
    public static double[][] adam(float[] p, float[] g, float[] m, float[] v, double lr, double b1, double b2, double eps, long t) {
        double[][] out = new double[3][p.length];
        for (int i = 0; i < p.length; i++) {
            double mi = b1 * m[i] + (1 - b1) * g[i];
            double vi = b2 * v[i] + (1 - b2) * (double) g[i] * g[i];
            double mhat = mi / (1 - Math.pow(b1, t));
            double vhat = vi / (1 - Math.pow(b2, t));
            out[0][i] = p[i] - lr * mhat / (Math.sqrt(vhat) + eps);
            out[1][i] = mi;
            out[2][i] = vi;
        }
        return out;
    }

    /** The dense {@code z [B, L]} that (values, indices) stand for, repeated indices summed. */
    public static double[] densify(float[] values, int[] indices, int b, int k, int l) {
        double[] z = new double[b * l];
        for (int r = 0; r < b; r++) {
            for (int q = 0; q < k; q++) {
                z[r * l + indices[r * k + q]] += values[r * k + q];
            }
        }
        return z;
    }

    /** Dense {@code z W} in double: {@code [B, L] · [L, D]}. */
    public static double[] denseDecode(double[] z, float[] w, int b, int l, int d) {
        double[] out = new double[b * d];
        addProductWithZ(out, z, false, w, b, l, d);
        return out;
    }

    /** Dense {@code start + z^T x} in double: {@code [L, B] · [B, D]}. */
    public static double[] denseOuter(double[] z, float[] x, float[] start, int b, int l, int d) {
        double[] out = new double[l * d];
        for (int i = 0; i < l * d; i++) {
            out[i] = start[i];
        }
        addProductWithZ(out, z, true, x, b, l, d);
        return out;
    }

    /**
     * {@code out += z m} ({@code [B, L] · [L, D]}), or {@code out += z^T m} ({@code [L, B] · [B, D]})
     * when {@code transposeZ}, in double, skipping the zero entries of {@code z [B, L]}.
     */
    private static void addProductWithZ(double[] out, double[] z, boolean transposeZ, float[] m, int b, int l, int d) {
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < l; i++) {
                double zi = z[r * l + i];
                if (zi != 0) {
                    int outRow = transposeZ ? i : r;
                    int mRow = transposeZ ? r : i;
                    for (int j = 0; j < d; j++) {
                        out[outRow * d + j] += zi * m[mRow * d + j];
                    }
                }
            }
        }
    }

    /** The counters and the mask that {@code Backend.updateDeadLatents} leaves. */
    public record DeadLatents(int[] rowsSinceFired, float[] deadMask) {}

    /**
     * AuxK's dead-latent bookkeeping as its definition reads, counting in long: which latents
     * fired (selected with a value above 0) first, then each counter either 0 or
     * {@code min(count + rows, deadAfter)}, and the mask (0 dead, −∞ live) from those.
     */
    public static DeadLatents updateDeadLatents(float[] values, int[] indices, int rows, int deadAfter, int[] rowsSinceFired) {
        boolean[] fired = new boolean[rowsSinceFired.length];
        for (int e = 0; e < values.length; e++) {
            if (values[e] > 0) {
                fired[indices[e]] = true;
            }
        }
        int[] counts = new int[rowsSinceFired.length];
        float[] mask = new float[rowsSinceFired.length];
        for (int i = 0; i < counts.length; i++) {
            long advanced = Math.min((long) rowsSinceFired[i] + rows, deadAfter);
            counts[i] = fired[i] ? 0 : (int) advanced;
            mask[i] = counts[i] >= deadAfter ? 0f : Float.NEGATIVE_INFINITY;
        }
        return new DeadLatents(counts, mask);
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
