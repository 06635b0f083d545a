package dev.esae.compute.check;

import dev.esae.compute.Backend;
import dev.esae.compute.ConvGeometry;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs every backend operation on fresh random inputs of awkward sizes (odd, non-square, K at its
 * limits, ties) and compares with {@link ReferenceOps}. {@code esae selftest} prints the result.
 */
public final class SelfTest {
    /** Norm-wise relative error allowed for float32 arithmetic against a double reference. */
    public static final double FLOAT_TOLERANCE = 1e-5;

    private final Backend backend;
    private final SplittableRandom rng;
    private final List<OpCheck> checks = new ArrayList<>();
    /** The output of the check being recorded, kept for comparing two backends. */
    private double[] output;

    private SelfTest(Backend backend, long seed) {
        this.backend = backend;
        this.rng = new SplittableRandom(seed);
    }

    /** All checks on {@code backend}, with inputs drawn from {@code seed}. */
    public static List<OpCheck> run(Backend backend, long seed) {
        SelfTest t = new SelfTest(backend, seed);
        t.memory();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                t.gemm(ta, tb, 67, 131, 45, 0.7f, 0.3f);
            }
        }
        t.gemm(false, true, 1, 257, 1, 1f, 0f);
        t.gemm(true, false, 64, 33, 513, -1.5f, 1f);
        t.gemmBetaZeroIgnoresNaN();
        t.gemmBatched(5, 1, 37, 29, 37, true);   // all powers M^p applied to one batch: A shared
        t.gemmBatched(3, 3, 19, 33, 65, false);
        t.addRowVector(77, 53);
        t.axpy(10_007, -0.75f);
        t.relu(3, 333);
        t.sumRows(129, 67, 0f);
        t.sumRows(1000, 3, 0.5f);
        t.sumSquares(100_003);
        t.topk(37, 1000, 1, false);
        t.topk(37, 1000, 32, true);
        t.topk(9, 2048, 128, false);
        t.topk(33, 2048, 32, false);  // wide enough for the SIMD group bound
        t.topk(6, 8192, 16, true);
        t.topk(5, 65_536, 128, true);
        t.topk(4, 7, 7, true);
        for (int turns = -1; turns <= 4; turns++) {
            t.rot90(3, 17, turns);
        }
        t.rot90(2, 64, 1);
        // The CNN autoencoder's geometries, then awkward ones (odd sizes, rectangular kernel).
        t.conv(3, new ConvGeometry(1, 64, 64, 3, 3, 2, 1));
        t.conv(2, new ConvGeometry(16, 32, 32, 3, 3, 2, 1));
        t.conv(2, new ConvGeometry(32, 16, 16, 16, 16, 1, 0));
        t.conv(3, new ConvGeometry(3, 7, 9, 3, 2, 2, 1));
        t.conv(1, new ConvGeometry(5, 5, 5, 5, 5, 3, 2));
        t.mse(7, 4096);
        t.adam(1003, 1);
        t.adam(257, 1000);
        t.gatherRows(50, 37, 19);
        // Sparse decoder paths: an SAE's shapes, then awkward ones (K = L, K near the limits, odd D).
        t.sparse(64 * 4, 2048, 256, 32, false);
        t.sparse(7, 301, 19, 128, true);
        t.sparse(5, 9, 3, 9, false);
        t.sparse(1, 65_536, 8, 1, false);
        t.rowNorms(2048, 256);
        t.rowNorms(13, 7);
        t.deadLatents();
        return List.copyOf(t.checks);
    }

    private float[] random(int n) {
        return uniform(rng, n);
    }

    /** {@code n} floats drawn uniformly from [-1, 1). */
    public static float[] uniform(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** Values from a handful of levels, so that ties are common. */
    private float[] withTies(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextInt(7) * 0.25f - 0.75f;
        }
        return v;
    }

    private void add(String op, String c, double error, double tolerance) {
        checks.add(new OpCheck(op, c, error, tolerance, output));
        output = null;
    }

    /** {@link #relativeError}, keeping {@code got} as the check's output. */
    private double err(float[] got, double[] ref) {
        output = toDouble(got);
        return relativeError(got, ref);
    }

    private double same(float[] got, float[] ref) {
        output = toDouble(got);
        return mismatch(got, ref);
    }

    private double same(int[] got, int[] ref) {
        output = java.util.Arrays.stream(got).asDoubleStream().toArray();
        return mismatch(got, ref);
    }

    /**
     * Runs the checks on {@code device} and on {@code reference} with the same inputs and returns,
     * per check, {@code device}'s output against {@code reference}'s (the same error measure and
     * tolerance as against the plain reference). {@code esae selftest} on a GPU compares with the CPU
     * backend this way.
     */
    public static List<OpCheck> compare(List<OpCheck> device, List<OpCheck> reference) {
        if (device.size() != reference.size()) {
            throw new IllegalArgumentException(device.size() + " checks against " + reference.size());
        }
        List<OpCheck> out = new ArrayList<>();
        for (int i = 0; i < device.size(); i++) {
            OpCheck d = device.get(i);
            OpCheck r = reference.get(i);
            if (!d.op().equals(r.op()) || !d.case_().equals(r.case_())) {
                throw new IllegalArgumentException("check " + i + " differs: " + d.op() + " vs " + r.op());
            }
            double error;
            if (d.tolerance() == 0) {
                error = mismatch(toFloat(d.output()), toFloat(r.output()));
            } else {
                error = relativeError(toFloat(d.output()), r.output());
            }
            out.add(new OpCheck(d.op(), d.case_(), error, d.tolerance(), d.output()));
        }
        return out;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * The largest absolute difference divided by the largest reference magnitude (a NaN counts as
     * an infinite difference).
     */
    public static double relativeError(float[] got, double[] ref) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs(got[i] - ref[i]);
            maxDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxDiff, d);
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    /** 0 if equal element for element, else the fraction of elements that differ (at least 1e-300). */
    private static double mismatch(float[] got, float[] ref) {
        int bad = 0;
        for (int i = 0; i < ref.length; i++) {
            if (Float.floatToIntBits(got[i]) != Float.floatToIntBits(ref[i])) {
                bad++;
            }
        }
        return bad == 0 ? 0 : Math.max(1e-300, bad / (double) ref.length);
    }

    private static double mismatch(int[] got, int[] ref) {
        int bad = 0;
        for (int i = 0; i < ref.length; i++) {
            if (got[i] != ref[i]) {
                bad++;
            }
        }
        return bad == 0 ? 0 : Math.max(1e-300, bad / (double) ref.length);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private void memory() {
        float[] v = random(1001);
        int[] iv = rng.ints(999, -5000, 5000).toArray();
        try (Tensor a = backend.upload(v, 7, 11, 13); Tensor b = backend.zeros(DType.F32, 1001);
             Tensor c = backend.uploadInts(iv, 999); Tensor f = backend.zeros(DType.F32, 5, 3)) {
            add("upload/download", "f32 [7,11,13]", same(backend.download(a), v), 0);
            add("upload/download", "i32 [999]", same(backend.downloadInts(c), iv), 0);
            backend.copy(a, b);
            add("copy", "f32 [1001]", same(backend.download(b), v), 0);
            float[] tail = Arrays.copyOfRange(v, 4 * 11 * 13, 6 * 11 * 13);
            add("rows view", "rows 4..5 of [7,11,13]", same(backend.download(a.rows(4, 2)), tail), 0);
            backend.fill(f, -2.5f);
            float[] expect = new float[15];
            Arrays.fill(expect, -2.5f);
            add("fill", "f32 [5,3]", same(backend.download(f), expect), 0);
        }
    }

    private void gemm(boolean ta, boolean tb, int m, int k, int n, float alpha, float beta) {
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        float[] av = random(aRows * aCols);
        float[] bv = random(bRows * bCols);
        float[] cv = random(m * n);
        double[] ref = ReferenceOps.gemm(ta, tb, alpha, av, aRows, aCols, bv, bRows, bCols, beta, cv);
        try (Tensor a = backend.upload(av, aRows, aCols); Tensor b = backend.upload(bv, bRows, bCols);
             Tensor c = backend.upload(cv, m, n)) {
            backend.gemm(ta, tb, alpha, a, b, beta, c);
            add("gemm", (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + k + "x" + n + " a=" + alpha + " b=" + beta,
                    err(backend.download(c), ref), FLOAT_TOLERANCE);
        }
    }

    private void gemmBetaZeroIgnoresNaN() {
        int m = 5;
        int k = 9;
        int n = 6;
        float[] av = random(m * k);
        float[] bv = random(k * n);
        double[] ref = ReferenceOps.gemm(false, false, 1, av, m, k, bv, k, n, 0, new float[m * n]);
        try (Tensor a = backend.upload(av, m, k); Tensor b = backend.upload(bv, k, n); Tensor c = backend.zeros(DType.F32, m, n)) {
            backend.fill(c, Float.NaN);
            backend.gemm(false, false, 1f, a, b, 0f, c);
            add("gemm", "NN 5x9x6 beta=0 over NaN", err(backend.download(c), ref), FLOAT_TOLERANCE);
        }
    }

    /** {@code c[i] = a[i or 0] · b[i]^T} over a batch: the batched M^p application. */
    private void gemmBatched(int batch, int aBatch, int m, int k, int n, boolean transB) {
        float[] av = random(aBatch * m * k);
        float[] bv = random(batch * k * n);
        float[] cv = random(batch * m * n);
        double[] ref = new double[cv.length];
        for (int i = 0; i < batch; i++) {
            float[] ai = Arrays.copyOfRange(av, (aBatch == 1 ? 0 : i) * m * k, (aBatch == 1 ? 1 : i + 1) * m * k);
            float[] bi = Arrays.copyOfRange(bv, i * k * n, (i + 1) * k * n);
            float[] ci = Arrays.copyOfRange(cv, i * m * n, (i + 1) * m * n);
            double[] r = ReferenceOps.gemm(false, transB, 1.25f, ai, m, k, bi, transB ? n : k, transB ? k : n, 0.5f, ci);
            System.arraycopy(r, 0, ref, i * m * n, m * n);
        }
        try (Tensor a = backend.upload(av, aBatch, m, k); Tensor b = backend.upload(bv, batch, transB ? n : k, transB ? k : n);
             Tensor c = backend.upload(cv, batch, m, n)) {
            backend.gemmBatched(false, transB, 1.25f, a, b, 0.5f, c);
            add("gemmBatched", "N" + (transB ? "T" : "N") + " " + batch + "x" + m + "x" + k + "x" + n
                    + (aBatch == 1 ? " A shared" : ""), err(backend.download(c), ref), FLOAT_TOLERANCE);
        }
    }

    private void addRowVector(int rows, int cols) {
        float[] xv = random(rows * cols);
        float[] bv = random(cols);
        double[] ref = new double[xv.length];
        for (int i = 0; i < xv.length; i++) {
            ref[i] = (double) xv[i] + bv[i % cols];
        }
        try (Tensor x = backend.upload(xv, rows, cols); Tensor b = backend.upload(bv, cols)) {
            backend.addRowVector(x, b);
            add("addRowVector", "[" + rows + "," + cols + "]", err(backend.download(x), ref), FLOAT_TOLERANCE);
        }
    }

    private void axpy(int n, float alpha) {
        float[] xv = random(n);
        float[] yv = random(n);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = yv[i] + (double) alpha * xv[i];
        }
        try (Tensor x = backend.upload(xv, n); Tensor y = backend.upload(yv, n)) {
            backend.axpy(alpha, x, y);
            add("axpy", "[" + n + "] alpha=" + alpha, err(backend.download(y), ref), FLOAT_TOLERANCE);
        }
    }

    private void relu(int rows, int cols) {
        float[] xv = random(rows * cols);
        float[] gv = random(rows * cols);
        float[] fwd = new float[xv.length];
        float[] bwd = new float[xv.length];
        for (int i = 0; i < xv.length; i++) {
            fwd[i] = xv[i] > 0 ? xv[i] : 0f;
            bwd[i] = xv[i] > 0 ? gv[i] : 0f;
        }
        try (Tensor x = backend.upload(xv, rows, cols); Tensor y = backend.zeros(DType.F32, rows, cols);
             Tensor g = backend.upload(gv, rows, cols)) {
            backend.relu(x, y);
            add("relu", "[" + rows + "," + cols + "]", same(backend.download(y), fwd), 0);
            backend.reluBackward(g, y, g);
            add("reluBackward", "[" + rows + "," + cols + "] in place", same(backend.download(g), bwd), 0);
            backend.relu(x, x);
            add("relu", "[" + rows + "," + cols + "] in place", same(backend.download(x), fwd), 0);
        }
    }

    private void sumRows(int rows, int cols, float beta) {
        float[] xv = random(rows * cols);
        float[] prev = random(cols);
        double[] ref = ReferenceOps.sumRows(xv, cols, beta, prev);
        try (Tensor x = backend.upload(xv, rows, cols); Tensor out = backend.upload(prev, cols)) {
            backend.sumRows(x, beta, out);
            add("sumRows", "[" + rows + "," + cols + "] beta=" + beta, err(backend.download(out), ref), FLOAT_TOLERANCE);
        }
    }

    private void sumSquares(int n) {
        float[] xv = random(n);
        double ref = 0;
        for (float v : xv) {
            ref += (double) v * v;
        }
        try (Tensor x = backend.upload(xv, n); Tensor out = backend.zeros(DType.F32, 1)) {
            backend.sumSquares(x, out);
            add("sumSquares", "[" + n + "]", err(backend.download(out), new double[] {ref}), FLOAT_TOLERANCE);
        }
    }

    private void topk(int rows, int cols, int k, boolean ties) {
        float[] xv = ties ? withTies(rows * cols) : random(rows * cols);
        int[] refIdx = ReferenceOps.topkIndices(xv, rows, cols, k);
        float[] refVal = new float[refIdx.length];
        for (int i = 0; i < refIdx.length; i++) {
            refVal[i] = xv[(i / k) * cols + refIdx[i]];
        }
        try (Tensor x = backend.upload(xv, rows, cols); Tensor v = backend.zeros(DType.F32, rows, k);
             Tensor idx = backend.zeros(DType.I32, rows, k)) {
            backend.topk(x, k, v, idx);
            String c = "[" + rows + "," + cols + "] k=" + k + (ties ? " ties" : "");
            add("topk indices", c, same(backend.downloadInts(idx), refIdx), 0);
            add("topk values", c, same(backend.download(v), refVal), 0);
        }
    }

    private void conv(int batch, ConvGeometry g) {
        int rows = batch * g.outPositions();
        float[] xv = random(batch * g.inputSize());
        float[] cv = random(rows * g.patchSize());
        double[] refCols = ReferenceOps.im2col(toDouble(xv), batch, g);
        double[] refImg = ReferenceOps.col2im(toDouble(cv), batch, g);
        float[] refColsF = new float[refCols.length];
        for (int i = 0; i < refCols.length; i++) {
            refColsF[i] = (float) refCols[i];
        }
        String c = "b=" + batch + " " + g.inH() + "x" + g.inW() + "x" + g.channels() + " k" + g.kernelH() + "x" + g.kernelW()
                + " s" + g.stride() + " p" + g.padding();
        try (Tensor x = backend.upload(xv, batch, g.inH(), g.inW(), g.channels()); Tensor cols = backend.zeros(DType.F32, rows, g.patchSize());
             Tensor dc = backend.upload(cv, rows, g.patchSize()); Tensor dx = backend.zeros(DType.F32, batch, g.inH(), g.inW(), g.channels())) {
            backend.im2col(x, g, cols);
            add("im2col", c, same(backend.download(cols), refColsF), 0);
            backend.fill(dx, Float.NaN);
            backend.col2im(dc, g, dx);
            add("col2im", c, err(backend.download(dx), refImg), FLOAT_TOLERANCE);
        }
    }

    private void mse(int rows, int cols) {
        float[] pv = random(rows * cols);
        float[] tv = random(rows * cols);
        double sum = 0;
        double[] refGrad = new double[pv.length];
        for (int i = 0; i < pv.length; i++) {
            double d = (double) pv[i] - tv[i];
            sum += d * d;
            refGrad[i] = 2 * d / pv.length;
        }
        try (Tensor p = backend.upload(pv, rows, cols); Tensor t = backend.upload(tv, rows, cols);
             Tensor g = backend.zeros(DType.F32, rows, cols); Tensor loss = backend.zeros(DType.F32, 1)) {
            backend.mseLoss(p, t, g, loss);
            String c = "[" + rows + "," + cols + "]";
            add("mseLoss value", c, err(backend.download(loss), new double[] {sum / pv.length}), FLOAT_TOLERANCE);
            add("mseLoss grad", c, err(backend.download(g), refGrad), FLOAT_TOLERANCE);
        }
    }

    private void adam(int n, long step) {
        float[] pv = random(n);
        float[] gv = random(n);
        float[] mv = random(n);
        float[] vv = random(n);
        for (int i = 0; i < n; i++) {
            mv[i] *= 0.1f;
            vv[i] = vv[i] * vv[i] * 0.01f;
        }
        double[][] ref = ReferenceOps.adam(pv, gv, mv, vv, 1e-3, 0.9, 0.999, 1e-8, step);
        try (Tensor p = backend.upload(pv, n); Tensor g = backend.upload(gv, n); Tensor m = backend.upload(mv, n);
             Tensor v = backend.upload(vv, n)) {
            backend.adamStep(p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, step);
            String c = "[" + n + "] t=" + step;
            double[] refDelta = new double[n];
            float[] gotDelta = new float[n];
            float[] got = backend.download(p);
            for (int i = 0; i < n; i++) {
                refDelta[i] = ref[0][i] - pv[i];
                gotDelta[i] = got[i] - pv[i];
            }
            // The update is what Adam computes; compare it, not the parameter it is added to. It is
            // read back as the difference of two O(1) floats, so ~1e-4 relative is float precision.
            add("adamStep update", c, err(gotDelta, refDelta), 1e-4);
            add("adamStep m", c, err(backend.download(m), ref[1]), FLOAT_TOLERANCE);
            add("adamStep v", c, err(backend.download(v), ref[2]), FLOAT_TOLERANCE);
        }
    }

    private void gatherRows(int srcRows, int width, int picks) {
        float[] sv = random(srcRows * width);
        int[] idx = rng.ints(picks, 0, srcRows).toArray();
        float[] ref = new float[picks * width];
        for (int r = 0; r < picks; r++) {
            System.arraycopy(sv, idx[r] * width, ref, r * width, width);
        }
        try (Tensor s = backend.upload(sv, srcRows, width); Tensor i = backend.uploadInts(idx, picks);
             Tensor d = backend.zeros(DType.F32, picks, width)) {
            backend.gatherRows(s, i, d);
            add("gatherRows", "[" + srcRows + "," + width + "] pick " + picks, same(backend.download(d), ref), 0);
        }
    }

    /** Indices drawn at random (repeats across rows; within rows too when {@code repeats}). */
    private int[] indices(int b, int k, int l, boolean repeats) {
        int[] idx = new int[b * k];
        for (int r = 0; r < b; r++) {
            int[] perm = repeats ? null : dev.esae.train.EpochRandom.permutation(rng, l);
            for (int q = 0; q < k; q++) {
                idx[r * k + q] = repeats ? rng.nextInt(l) : perm[q];
            }
        }
        return idx;
    }

    private void sparse(int b, int l, int d, int k, boolean repeats) {
        float[] vals = random(b * k);
        for (int i = 0; i < vals.length; i += 5) {
            vals[i] = 0f;
        }
        int[] idx = indices(b, k, l, repeats);
        float[] w = random(l * d);
        float[] x = random(b * d);
        float[] start = random(l * d);
        double[] z = ReferenceOps.densify(vals, idx, b, k, l);
        double[] refDecode = ReferenceOps.denseDecode(z, w, b, l, d);
        double[] refOuter = ReferenceOps.denseOuter(z, x, start, b, l, d);
        double[] refDots = new double[b * k];
        for (int r = 0; r < b; r++) {
            for (int q = 0; q < k; q++) {
                for (int j = 0; j < d; j++) {
                    refDots[r * k + q] += (double) x[r * d + j] * w[idx[r * k + q] * d + j];
                }
            }
        }
        String c = "B" + b + " L" + l + " D" + d + " K" + k + (repeats ? " repeats" : "");
        try (Tensor tv = backend.upload(vals, b, k); Tensor ti = backend.uploadInts(idx, b, k); Tensor tw = backend.upload(w, l, d);
             Tensor tx = backend.upload(x, b, d); Tensor out = backend.zeros(DType.F32, b, d); Tensor g = backend.upload(start, l, d);
             Tensor dots = backend.zeros(DType.F32, b, k)) {
            backend.fill(out, Float.NaN);
            backend.sparseDecode(tv, ti, tw, out);
            add("sparseDecode", c, err(backend.download(out), refDecode), FLOAT_TOLERANCE);
            backend.sparseOuterAccumulate(tv, ti, tx, g);
            add("sparseOuterAcc", c, err(backend.download(g), refOuter), FLOAT_TOLERANCE);
            backend.sparseDots(tx, ti, tw, dots);
            add("sparseDots", c, err(backend.download(dots), refDots), FLOAT_TOLERANCE);
        }
    }

    private void rowNorms(int l, int d) {
        float[] w = random(l * d);
        float[] g = random(l * d);
        java.util.Arrays.fill(w, 0, d, 0f);
        double[] unit = new double[l * d];
        double[] projected = new double[l * d];
        for (int r = 0; r < l; r++) {
            double ss = 0;
            for (int j = 0; j < d; j++) {
                ss += (double) w[r * d + j] * w[r * d + j];
            }
            double norm = Math.sqrt(ss);
            double dot = 0;
            for (int j = 0; j < d; j++) {
                unit[r * d + j] = ss > 0 ? w[r * d + j] / norm : 0;
                dot += g[r * d + j] * unit[r * d + j];
            }
            for (int j = 0; j < d; j++) {
                projected[r * d + j] = g[r * d + j] - dot * unit[r * d + j];
            }
        }
        try (Tensor tw = backend.upload(w, l, d); Tensor tg = backend.upload(g, l, d)) {
            backend.normalizeRows(tw);
            add("normalizeRows", "[" + l + "," + d + "] first row zero", err(backend.download(tw), unit), FLOAT_TOLERANCE);
            backend.projectOutRows(tg, tw);
            add("projectOutRows", "[" + l + "," + d + "]", err(backend.download(tg), projected), FLOAT_TOLERANCE);
        }
    }

    /**
     * AuxK's dead-latent bookkeeping: an SAE's step with counters around the threshold, a tiny L
     * where every latent is selected many times, counters saturating at the int32 limit, and a
     * threshold of 0 (every latent dead, fired or not). Values hold zeros, negatives and NaNs,
     * none of which fire.
     */
    private void deadLatents() {
        int[][] cases = {
            // B, K, L, rows, deadAfter, counters drawn from [deadAfter - spread, deadAfter]
            {256, 32, 2048, 256, 40_000, 600},
            {9, 5, 3, 9, 9, 12},
            {3, 2, 1000, 1 << 30, Integer.MAX_VALUE, 1 << 30},
            {4, 3, 17, 4, 0, 0},
        };
        String[] names = {"B256 K32 L2048 +256, dead at 40000", "B9 K5 L3 +9, dead at 9", "B3 K2 L1000 +2^30, dead at 2^31-1",
            "B4 K3 L17 +4, dead at 0"};
        for (int at = 0; at < cases.length; at++) {
            int[] c = cases[at];
            int b = c[0];
            int k = c[1];
            int l = c[2];
            int rows = c[3];
            int deadAfter = c[4];
            int spread = c[5];
            float[] vals = random(b * k);
            for (int i = 0; i < vals.length; i += 7) {
                vals[i] = i % 2 == 0 ? 0f : Float.NaN;
            }
            int[] idx = indices(b, k, l, true);
            int[] counts = new int[l];
            for (int i = 0; i < l; i++) {
                counts[i] = (int) Math.max(0, deadAfter - (long) rng.nextInt(spread + 1));
            }
            ReferenceOps.DeadLatents ref = ReferenceOps.updateDeadLatents(vals, idx, rows, deadAfter, counts);
            try (Tensor tv = backend.upload(vals, b, k); Tensor ti = backend.uploadInts(idx, b, k);
                 Tensor tc = backend.uploadInts(counts, l); Tensor mask = backend.zeros(DType.F32, l)) {
                backend.fill(mask, Float.NaN);
                backend.updateDeadLatents(tv, ti, rows, deadAfter, tc, mask);
                add("deadLatents rows", names[at], same(backend.downloadInts(tc), ref.rowsSinceFired()), 0);
                add("deadLatents mask", names[at], same(backend.download(mask), ref.deadMask()), 0);
            }
        }
    }

    private void rot90(int batch, int size, int turns) {
        float[] xv = random(batch * size * size);
        float[] ref = ReferenceOps.rot90(xv, batch, size, turns);
        try (Tensor x = backend.upload(xv, batch, size, size); Tensor out = backend.zeros(DType.F32, batch, size, size)) {
            backend.rot90(x, turns, out);
            add("rot90", "[" + batch + "," + size + "," + size + "] turns=" + turns, same(backend.download(out), ref), 0);
        }
    }
}
