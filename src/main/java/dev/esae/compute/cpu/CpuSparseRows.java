package dev.esae.compute.cpu;

import static dev.esae.compute.cpu.CpuOperands.cpu;
import static dev.esae.compute.cpu.CpuOperands.f32;
import static dev.esae.compute.cpu.CpuOperands.typed;
import static dev.esae.compute.cpu.CpuParallel.ELEMENTWISE_GRAIN;

import dev.esae.compute.DType;
import dev.esae.compute.OpShapes;
import dev.esae.compute.Tensor;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The CPU backend's float32 operations on rows of a matrix picked by an index tensor: the sparse
 * products of a TopK SAE's decoder ({@code sparseDecode}, {@code sparseOuterAccumulate},
 * {@code sparseDots}) and {@code gatherRows}; and the decoder's unit-norm constraint, row by row
 * ({@code normalizeRows}, {@code projectOutRows}). Each runs through {@link VectorOps} when
 * {@link VectorSupport} allows, else in scalar loops. Every index is checked against the rows it
 * addresses.
 */
final class CpuSparseRows {
    private final CpuParallel parallel;

    CpuSparseRows(CpuParallel parallel) {
        this.parallel = parallel;
    }

    /** {@link dev.esae.compute.Backend#gatherRows}. */
    void gatherRows(Tensor src, Tensor indices, Tensor dst) {
        OpShapes.gatherRows(src, indices, dst);
        CpuTensor s = f32(src);
        CpuTensor d = f32(dst);
        IntBuffer idx = typed(indices, DType.I32).i();
        int width = src.dim(1);
        long rowBytes = (long) width * Float.BYTES;
        BytePointer dp = d.bytePointer();
        BytePointer sp = s.bytePointer();
        long dBase = dp.position();
        long sBase = sp.position();
        for (int r = 0; r < dst.dim(0); r++) {
            int from = idx.get(r);
            if (from < 0 || from >= src.dim(0)) {
                throw new IndexOutOfBoundsException("gatherRows: index " + from + " outside " + src.dim(0) + " rows");
            }
            Pointer.memcpy(dp.position(dBase + r * rowBytes), sp.position(sBase + from * rowBytes), rowBytes);
        }
    }

    /** A sparse op's {@code values, indices [B, K]} over {@code rows [L, D]}, checked, with a dense {@code [B, D]} operand. */
    private record Sparse(int b, int k, int l, int d, FloatBuffer values, IntBuffer indices) {
        static Sparse of(Tensor values, Tensor indices, Tensor rows, Tensor dense, String denseName) {
            int[] s = OpShapes.sparse(values, indices, rows);
            IntBuffer idx = typed(indices, DType.I32).i();
            FloatBuffer v = f32(values).f();
            f32(rows);
            OpShapes.matrix(dense, s[0], s[3], denseName);
            return new Sparse(s[0], s[1], s[2], s[3], v, idx);
        }
    }

    /**
     * A float32 matrix operand of a sparse op, both ways the loops read it: as floats (the scalar
     * loops) and as bytes from its first element (the {@link VectorOps} loops).
     */
    private record Rows(FloatBuffer f, ByteBuffer bytes, int base) {
        static Rows of(Tensor t) {
            CpuTensor c = f32(t);
            return new Rows(c.f(), c.b(), c.base);
        }
    }

    private static int index(IntBuffer idx, int at, int limit) {
        int i = idx.get(at);
        if (i < 0 || i >= limit) {
            throw new IndexOutOfBoundsException("sparse op: index " + i + " outside " + limit + " rows");
        }
        return i;
    }

    /** The scalar {@link VectorOps#axpyRow}: {@code dst[dstAt + j] += alpha · src[srcAt + j]} for j < len. */
    private static void axpyRow(FloatBuffer dst, int dstAt, FloatBuffer src, int srcAt, float alpha, int len) {
        for (int j = 0; j < len; j++) {
            dst.put(dstAt + j, dst.get(dstAt + j) + alpha * src.get(srcAt + j));
        }
    }

    /** The scalar {@link VectorOps#dotRow}: the dot product of two rows of {@code len} floats, summed in double. */
    private static float dotRow(FloatBuffer a, int aAt, FloatBuffer b, int bAt, int len) {
        double acc = 0;
        for (int j = 0; j < len; j++) {
            acc += (double) a.get(aAt + j) * b.get(bAt + j);
        }
        return (float) acc;
    }

    /** {@link dev.esae.compute.Backend#sparseDecode}. */
    void sparseDecode(Tensor values, Tensor indices, Tensor rows, Tensor out) {
        Sparse sp = Sparse.of(values, indices, rows, out, "sparseDecode output");
        int k = sp.k();
        int d = sp.d();
        FloatBuffer v = sp.values();
        IntBuffer idx = sp.indices();
        Rows w = Rows.of(rows);
        Rows o = Rows.of(out);
        boolean simd = VectorSupport.available();
        parallel.forRange(sp.b(), Math.max(1, ELEMENTWISE_GRAIN / (k * d)), (from, to) -> {
            // SIMD: each output row summed in an array and written once (the same operations).
            float[] acc = simd ? new float[d] : null;
            for (int r = from; r < to; r++) {
                int ob = r * d;
                if (simd) {
                    java.util.Arrays.fill(acc, 0f);
                } else {
                    for (int j = 0; j < d; j++) {
                        o.f().put(ob + j, 0f);
                    }
                }
                for (int q = 0; q < k; q++) {
                    float z = v.get(r * k + q);
                    if (z == 0f) {
                        continue;
                    }
                    int wb = index(idx, r * k + q, sp.l()) * d;
                    if (simd) {
                        VectorOps.axpyRow(acc, 0, w.bytes(), w.base() + wb, z, d);
                    } else {
                        axpyRow(o.f(), ob, w.f(), wb, z, d);
                    }
                }
                if (simd) {
                    o.f().put(ob, acc, 0, d);
                }
            }
        });
    }

    /** {@link dev.esae.compute.Backend#sparseOuterAccumulate}. */
    void sparseOuterAccumulate(Tensor values, Tensor indices, Tensor x, Tensor rowsGrad) {
        Sparse sp = Sparse.of(values, indices, rowsGrad, x, "sparseOuterAccumulate input");
        int b = sp.b();
        int k = sp.k();
        int l = sp.l();
        int d = sp.d();
        FloatBuffer v = sp.values();
        IntBuffer idx = sp.indices();
        Rows xr = Rows.of(x);
        Rows g = Rows.of(rowsGrad);
        boolean simd = VectorSupport.available();
        for (int e = 0; e < b * k; e++) {
            index(idx, e, l);
        }
        // Threads own disjoint ranges of rows and scan every (b, k) in order: no races, and each
        // row's sum is formed in the same order whatever the thread count.
        parallel.forRange(l, Math.max(1, l / Math.max(1, parallel.threads())), (from, to) -> {
            for (int r = 0; r < b; r++) {
                for (int q = 0; q < k; q++) {
                    int row = idx.get(r * k + q);
                    float z = v.get(r * k + q);
                    if (row < from || row >= to || z == 0f) {
                        continue;
                    }
                    int gb = row * d;
                    int xo = r * d;
                    if (simd) {
                        VectorOps.axpyRow(g.bytes(), g.base() + gb, xr.bytes(), xr.base() + xo, z, d);
                    } else {
                        axpyRow(g.f(), gb, xr.f(), xo, z, d);
                    }
                }
            }
        });
    }

    /** {@link dev.esae.compute.Backend#sparseDots}. */
    void sparseDots(Tensor x, Tensor indices, Tensor rows, Tensor out) {
        int[] s = OpShapes.sparseDots(x, indices, rows, out);
        int b = s[0];
        int k = s[1];
        int l = s[2];
        int d = s[3];
        IntBuffer idx = typed(indices, DType.I32).i();
        Rows xr = Rows.of(x);
        Rows w = Rows.of(rows);
        FloatBuffer o = f32(out).f();
        boolean simd = VectorSupport.available();
        parallel.forRange(b, Math.max(1, ELEMENTWISE_GRAIN / (k * d)), (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int q = 0; q < k; q++) {
                    int wb = index(idx, r * k + q, l) * d;
                    if (simd) {
                        o.put(r * k + q, VectorOps.dotRow(xr.bytes(), xr.base() + r * d, w.bytes(), w.base() + wb, d));
                        continue;
                    }
                    o.put(r * k + q, dotRow(xr.f(), r * d, w.f(), wb, d));
                }
            }
        });
    }

    /**
     * {@link dev.esae.compute.Backend#sparseBackward}, fused and latent by latent: the (b, k)
     * entries are bucketed by the latent they select, in (b, k) order within each bucket, and each
     * latent's decoder row, decoder-gradient row and encoder-gradient row are read once for all of
     * its entries (about B·K/L of them) instead of once per entry, the gradient rows summed in
     * array rows on the SIMD path. Every value goes through the same float operations in the same order as the four
     * separate calls of the default, so the results are bit for bit the same; threads own
     * disjoint ranges of latents.
     */
    void sparseBackward(Tensor values, Tensor indices, Tensor dOut, Tensor decoder, Tensor input, boolean accumulate,
            Tensor decoderGrad, Tensor encoderGrad, Tensor dValues) {
        int[] s = OpShapes.sparseBackward(values, indices, dOut, decoder, input, decoderGrad, encoderGrad, dValues);
        int b = s[0];
        int k = s[1];
        int l = s[2];
        int d = s[3];
        int h = s[4];
        FloatBuffer v = f32(values).f();
        IntBuffer idx = typed(indices, DType.I32).i();
        FloatBuffer dv = f32(dValues).f();
        Rows out = Rows.of(dOut);
        Rows w = Rows.of(decoder);
        Rows x = Rows.of(input);
        Rows gDec = Rows.of(decoderGrad);
        Rows gEnc = Rows.of(encoderGrad);
        int entries = b * k;
        // Buckets by latent (a counting sort, stable: (b, k) order within each latent).
        int[] start = new int[l + 1];
        for (int e = 0; e < entries; e++) {
            start[index(idx, e, l) + 1]++;
        }
        for (int i = 0; i < l; i++) {
            start[i + 1] += start[i];
        }
        int[] entry = new int[entries];
        int[] rows = new int[entries];
        float[] coef = new float[entries];
        float[] dcoef = new float[entries];
        int[] fill = java.util.Arrays.copyOf(start, l);
        for (int e = 0; e < entries; e++) {
            int at = fill[idx.get(e)]++;
            entry[at] = e;
            rows[at] = e / k;
            coef[at] = v.get(e);
        }
        int perLatent = Math.max(1, entries / Math.max(1, l)) * (2 * d + h);
        int grain = Math.max(1, ELEMENTWISE_GRAIN / perLatent);
        if (VectorSupport.available()) {
            // On arrays: dOut and the input copied once, each latent's rows copied in and out once;
            // the Vector API reads arrays about twice as fast as direct buffers on JDK 17.
            float[] outA = new float[b * d];
            float[] xA = new float[b * h];
            out.f().get(0, outA, 0, b * d);
            x.f().get(0, xA, 0, b * h);
            parallel.forRange(l, grain, (from, to) -> {
                float[] wRow = new float[d];
                float[] accD = new float[d];
                float[] accE = new float[h];
                for (int lat = from; lat < to; lat++) {
                    int s0 = start[lat];
                    int s1 = start[lat + 1];
                    w.f().get(lat * d, wRow, 0, d);
                    for (int t = s0; t < s1; t++) {
                        float dz = VectorOps.dotRow(outA, rows[t] * d, wRow, 0, d);
                        float g = coef[t] > 0f ? dz : 0f;
                        dcoef[t] = g;
                        dv.put(entry[t], g);
                    }
                    sumRowsInto(accD, gDec.f(), lat * d, accumulate, outA, rows, coef, s0, s1, d);
                    sumRowsInto(accE, gEnc.f(), lat * h, accumulate, xA, rows, dcoef, s0, s1, h);
                }
            });
            return;
        }
        parallel.forRange(l, grain, (from, to) -> {
            for (int lat = from; lat < to; lat++) {
                int s0 = start[lat];
                int s1 = start[lat + 1];
                int wb = lat * d;
                for (int t = s0; t < s1; t++) {
                    int r = rows[t];
                    float dz = dotRow(out.f(), r * d, w.f(), wb, d);
                    // Through z = max(v, 0), as reluBackward: only a positive value passes gradient.
                    float g = coef[t] > 0f ? dz : 0f;
                    dcoef[t] = g;
                    dv.put(entry[t], g);
                }
                sumRows(gDec.f(), wb, accumulate, out.f(), rows, coef, s0, s1, d);
                sumRows(gEnc.f(), lat * h, accumulate, x.f(), rows, dcoef, s0, s1, h);
            }
        });
    }

    /**
     * {@code dst[dstAt + j] = (accumulate ? dst[dstAt + j] : 0) + Σ_t coef[t] · src[rows[t] · len + j]},
     * the terms added in t order over [from, to) by one axpy each, zero coefficients skipped: the
     * sums sparseOuterAccumulate forms (scalar loops).
     */
    private static void sumRows(FloatBuffer dst, int dstAt, boolean accumulate, FloatBuffer src, int[] rows, float[] coef, int from,
            int to, int len) {
        if (!accumulate) {
            for (int j = 0; j < len; j++) {
                dst.put(dstAt + j, 0f);
            }
        }
        for (int t = from; t < to; t++) {
            float c = coef[t];
            if (c != 0f) {
                axpyRow(dst, dstAt, src, rows[t] * len, c, len);
            }
        }
    }

    /** {@link #sumRows} through the array row {@code acc} (SIMD): read in (when accumulating), summed, written back once. */
    private static void sumRowsInto(float[] acc, FloatBuffer dst, int dstAt, boolean accumulate, float[] src, int[] rows, float[] coef,
            int from, int to, int len) {
        if (accumulate) {
            dst.get(dstAt, acc, 0, len);
        } else {
            java.util.Arrays.fill(acc, 0, len, 0f);
        }
        for (int t = from; t < to; t++) {
            float c = coef[t];
            if (c != 0f) {
                VectorOps.axpyRow(acc, 0, src, rows[t] * len, c, len);
            }
        }
        dst.put(dstAt, acc, 0, len);
    }

    /** {@link dev.esae.compute.Backend#normalizeRows}. */
    void normalizeRows(Tensor w) {
        OpShapes.rowMatrix(w, "normalizeRows");
        int d = w.dim(1);
        FloatBuffer b = f32(w).f();
        if (VectorSupport.available()) {
            ByteBuffer bytes = cpu(w).b();
            int at = cpu(w).base;
            parallel.forRange(w.dim(0), Math.max(1, ELEMENTWISE_GRAIN / d), (from, to) -> {
                for (int r = from; r < to; r++) {
                    float ss = VectorOps.dotRow(bytes, at + r * d, bytes, at + r * d, d);
                    if (ss > 0) {
                        VectorOps.scaleRow(bytes, at + r * d, (float) (1 / Math.sqrt(ss)), d);
                    }
                }
            });
            return;
        }
        parallel.forRange(w.dim(0), Math.max(1, ELEMENTWISE_GRAIN / d), (from, to) -> {
            for (int r = from; r < to; r++) {
                double ss = 0;
                for (int j = 0; j < d; j++) {
                    double v = b.get(r * d + j);
                    ss += v * v;
                }
                if (ss > 0) {
                    float inv = (float) (1 / Math.sqrt(ss));
                    for (int j = 0; j < d; j++) {
                        b.put(r * d + j, b.get(r * d + j) * inv);
                    }
                }
            }
        });
    }

    /** {@link dev.esae.compute.Backend#projectOutRows}. */
    void projectOutRows(Tensor grad, Tensor w) {
        OpShapes.projectOutRows(grad, w);
        int d = w.dim(1);
        FloatBuffer g = f32(grad).f();
        FloatBuffer b = f32(w).f();
        if (VectorSupport.available()) {
            ByteBuffer gBytes = cpu(grad).b();
            ByteBuffer wBytes = cpu(w).b();
            int gAt = cpu(grad).base;
            int wAt = cpu(w).base;
            parallel.forRange(w.dim(0), Math.max(1, ELEMENTWISE_GRAIN / d), (from, to) -> {
                for (int r = from; r < to; r++) {
                    float dot = VectorOps.dotRow(gBytes, gAt + r * d, wBytes, wAt + r * d, d);
                    VectorOps.axpyRow(gBytes, gAt + r * d, wBytes, wAt + r * d, -dot, d);
                }
            });
            return;
        }
        parallel.forRange(w.dim(0), Math.max(1, ELEMENTWISE_GRAIN / d), (from, to) -> {
            for (int r = from; r < to; r++) {
                float c = dotRow(g, r * d, b, r * d, d);
                for (int j = 0; j < d; j++) {
                    g.put(r * d + j, g.get(r * d + j) - c * b.get(r * d + j));
                }
            }
        });
    }
}
