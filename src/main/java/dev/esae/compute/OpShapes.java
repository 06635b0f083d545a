package dev.esae.compute;

import java.util.Arrays;

/**
 * The shape checks of {@link Backend}'s operations, shared by every backend so that a caller's
 * mistake reads the same whichever device runs. Each throws {@link IllegalArgumentException} (a
 * bug in the caller, not bad user input) and returns the sizes the operation needs.
 */
public final class OpShapes {
    private OpShapes() {}

    /** {@code length} values must fill {@code shape} exactly. */
    public static void requireLength(int length, int[] shape) {
        if (Tensor.sizeOf(shape) != length) {
            throw new IllegalArgumentException(length + " values do not fill shape " + Arrays.toString(shape));
        }
    }

    public static void requireSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("sizes differ: " + a + " and " + b);
        }
    }

    /** The element count as an int (every operation indexes with ints on the host side). */
    public static int intSize(Tensor t) {
        return Math.toIntExact(t.size());
    }

    /** {@code {m, n, k}} of {@code C = op(A) op(B)}. */
    public static int[] gemm(boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException("gemm needs rank-2 tensors, got " + a + ", " + b + ", " + c);
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb || c.dim(0) != m || c.dim(1) != n) {
            throw new IllegalArgumentException("gemm shapes do not match: op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n
                    + ", C " + c.dim(0) + "x" + c.dim(1));
        }
        return new int[] {m, n, k};
    }

    /** Rows of {@code x} viewed as rows of {@code width} columns (a bias or column-sum width). */
    public static int rowsOf(Tensor x, int width, String what) {
        if (x.size() % width != 0) {
            throw new IllegalArgumentException(what + " of " + width + " does not divide " + x);
        }
        return (int) (x.size() / width);
    }

    /** The number of images of an im2col / col2im pair. */
    public static int conv(Tensor images, ConvGeometry g, Tensor cols) {
        if (images.size() % g.inputSize() != 0) {
            throw new IllegalArgumentException(images + " is not a batch of " + g.inH() + "x" + g.inW() + "x" + g.channels() + " images");
        }
        int batch = (int) (images.size() / g.inputSize());
        if (cols.size() != (long) batch * g.outPositions() * g.patchSize()) {
            throw new IllegalArgumentException("im2col of " + batch + " images by " + g + " needs " + batch * g.outPositions()
                    + "x" + g.patchSize() + ", got " + cols);
        }
        return batch;
    }

    /** Checks an MSE call and returns the element count. */
    public static int mse(Tensor pred, Tensor target, Tensor grad, Tensor loss) {
        requireSameSize(pred, target);
        requireSameSize(pred, grad);
        if (loss.size() != 1) {
            throw new IllegalArgumentException("mseLoss writes one value, got " + loss);
        }
        return intSize(pred);
    }

    public static void adam(Tensor param, Tensor grad, Tensor m, Tensor v, long t) {
        requireSameSize(param, grad);
        requireSameSize(param, m);
        requireSameSize(param, v);
        if (t < 1) {
            throw new IllegalArgumentException("Adam steps count from 1, got " + t);
        }
    }

    public static void gatherRows(Tensor src, Tensor indices, Tensor dst) {
        if (src.rank() != 2 || dst.rank() != 2 || src.dim(1) != dst.dim(1) || indices.size() != dst.dim(0)) {
            throw new IllegalArgumentException("gatherRows: " + src + " by " + indices + " into " + dst);
        }
    }

    public static void oneValue(Tensor out, String op) {
        if (out.size() != 1) {
            throw new IllegalArgumentException(op + " writes one value, got " + out);
        }
    }

    /** {@code {rows, cols}} of a top-k call. */
    public static int[] topk(Tensor x, int k, Tensor values, Tensor indices) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException("topk needs a rank-2 tensor, got " + x);
        }
        int rows = x.dim(0);
        int cols = x.dim(1);
        if (k < 1 || k > cols) {
            throw new IllegalArgumentException("topk: k = " + k + " must be in [1, " + cols + "]");
        }
        if (values.size() != (long) rows * k || indices.size() != (long) rows * k) {
            throw new IllegalArgumentException("topk outputs must hold " + rows + "x" + k + ", got " + values + ", " + indices);
        }
        return new int[] {rows, cols};
    }

    /** Checks {@code values, indices [B, K]}, {@code rows [L, D]} and returns {B, K, L, D}. */
    public static int[] sparse(Tensor values, Tensor indices, Tensor rows) {
        if (values.rank() != 2 || !Arrays.equals(values.shape(), indices.shape()) || rows.rank() != 2) {
            throw new IllegalArgumentException("sparse op: values " + values + ", indices " + indices + ", rows " + rows);
        }
        return new int[] {values.dim(0), values.dim(1), rows.dim(0), rows.dim(1)};
    }

    /** Checks that {@code t} is {@code [b, d]}. */
    public static void matrix(Tensor t, int b, int d, String what) {
        if (t.rank() != 2 || t.dim(0) != b || t.dim(1) != d) {
            throw new IllegalArgumentException(what + " " + t + ", expected [" + b + ", " + d + "]");
        }
    }

    /** {@code {B, K, L, D}} of a sparseDots call. */
    public static int[] sparseDots(Tensor x, Tensor indices, Tensor rows, Tensor out) {
        if (indices.rank() != 2 || rows.rank() != 2 || x.rank() != 2 || x.dim(0) != indices.dim(0) || x.dim(1) != rows.dim(1)
                || !Arrays.equals(out.shape(), indices.shape())) {
            throw new IllegalArgumentException("sparseDots: x " + x + ", indices " + indices + ", rows " + rows + ", out " + out);
        }
        return new int[] {indices.dim(0), indices.dim(1), rows.dim(0), rows.dim(1)};
    }

    /**
     * {@code {B, K, L, D, H}} of a sparseBackward call: {@code values, indices, dValues [B, K]},
     * {@code dOut [B, D]}, {@code decoder, decoderGrad [L, D]}, {@code input [B, H]},
     * {@code encoderGrad [L, H]}.
     */
    public static int[] sparseBackward(Tensor values, Tensor indices, Tensor dOut, Tensor decoder, Tensor input, Tensor decoderGrad,
            Tensor encoderGrad, Tensor dValues) {
        int[] s = sparse(values, indices, decoder);
        int b = s[0];
        int l = s[2];
        int d = s[3];
        matrix(dOut, b, d, "sparseBackward dOut");
        matrix(decoderGrad, l, d, "sparseBackward decoderGrad");
        if (input.rank() != 2) {
            throw new IllegalArgumentException("sparseBackward input " + input + ", expected [" + b + ", H]");
        }
        int h = input.dim(1);
        matrix(input, b, h, "sparseBackward input");
        matrix(encoderGrad, l, h, "sparseBackward encoderGrad");
        matrix(dValues, b, s[1], "sparseBackward dValues");
        return new int[] {b, s[1], l, d, h};
    }

    /**
     * {@code {entries, latents}} of an updateDeadLatents call: {@code values, indices [B, K]},
     * {@code rowsSinceFired, deadMask [L]}, and counts that are not negative.
     */
    public static int[] updateDeadLatents(Tensor values, Tensor indices, int rows, int deadAfter, Tensor rowsSinceFired,
            Tensor deadMask) {
        if (values.rank() != 2 || !Arrays.equals(values.shape(), indices.shape()) || rowsSinceFired.rank() != 1
                || !Arrays.equals(rowsSinceFired.shape(), deadMask.shape())) {
            throw new IllegalArgumentException("updateDeadLatents: values " + values + ", indices " + indices + ", counters "
                    + rowsSinceFired + ", mask " + deadMask);
        }
        if (rows < 0 || deadAfter < 0) {
            throw new IllegalArgumentException("updateDeadLatents: rows " + rows + " and deadAfter " + deadAfter + " must not be negative");
        }
        return new int[] {intSize(values), rowsSinceFired.dim(0)};
    }

    public static void rowMatrix(Tensor w, String op) {
        if (w.rank() != 2) {
            throw new IllegalArgumentException(op + " needs [L, D], got " + w);
        }
    }

    public static void projectOutRows(Tensor grad, Tensor w) {
        if (w.rank() != 2 || !Arrays.equals(grad.shape(), w.shape())) {
            throw new IllegalArgumentException("projectOutRows: grad " + grad + ", rows " + w);
        }
    }

    public static void rot90(Tensor images, Tensor out) {
        if (images.rank() != 3 || images.dim(1) != images.dim(2)) {
            throw new IllegalArgumentException("rot90 needs square images [batch, size, size], got " + images);
        }
        if (!Arrays.equals(images.shape(), out.shape())) {
            throw new IllegalArgumentException("rot90 output " + out + " must match " + images);
        }
        if (images == out) {
            throw new IllegalArgumentException("rot90 cannot rotate in place");
        }
    }

    /**
     * {@code {batch, m, n, k}} of a batched gemm over rank-3 tensors: {@code c [batch, m, n]}, and
     * {@code a}, {@code b} with a leading dimension of {@code batch} or 1 (one matrix for all).
     */
    public static int[] gemmBatched(boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        if (a.rank() != 3 || b.rank() != 3 || c.rank() != 3 || (a.dim(0) != c.dim(0) && a.dim(0) != 1)
                || (b.dim(0) != c.dim(0) && b.dim(0) != 1)) {
            throw new IllegalArgumentException("gemmBatched needs rank-3 tensors with a batch of " + c.dim(0)
                    + " (or 1), got " + a + ", " + b + ", " + c);
        }
        int[] mnk = gemm(transA, transB, slice(a, 0), slice(b, 0), slice(c, 0));
        return new int[] {c.dim(0), mnk[0], mnk[1], mnk[2]};
    }

    /** Matrix {@code i} of a rank-3 tensor, or its only one when the leading dimension is 1. */
    public static Tensor slice(Tensor t, int i) {
        return t.rows(t.dim(0) == 1 ? 0 : i, 1).reshape(t.dim(1), t.dim(2));
    }
}
