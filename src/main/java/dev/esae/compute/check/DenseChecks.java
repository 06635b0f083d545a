package dev.esae.compute.check;

import static dev.esae.compute.check.SelfTest.FLOAT_TOLERANCE;

import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.Arrays;

/**
 * The self-test's checks of whole-tensor operations: memory (upload, download, copy, row views,
 * fill), the BLAS operations (gemm in every transpose, batched gemm, axpy), the elementwise ones
 * (bias add, ReLU and its backward pass), the MSE loss and the Adam step.
 */
final class DenseChecks extends CheckFamily {
    DenseChecks(CheckRecorder rec) {
        super(rec);
    }

    void memory() {
        float[] v = rec.random(1001);
        int[] iv = rng.ints(999, -5000, 5000).toArray();
        try (Tensor a = backend.upload(v, 7, 11, 13); Tensor b = backend.zeros(DType.F32, 1001);
             Tensor c = backend.uploadInts(iv, 999); Tensor f = backend.zeros(DType.F32, 5, 3)) {
            rec.add("upload/download", "f32 [7,11,13]", rec.same(backend.download(a), v), 0);
            rec.add("upload/download", "i32 [999]", rec.same(backend.downloadInts(c), iv), 0);
            backend.copy(a, b);
            rec.add("copy", "f32 [1001]", rec.same(backend.download(b), v), 0);
            float[] tail = Arrays.copyOfRange(v, 4 * 11 * 13, 6 * 11 * 13);
            rec.add("rows view", "rows 4..5 of [7,11,13]", rec.same(backend.download(a.rows(4, 2)), tail), 0);
            backend.fill(f, -2.5f);
            float[] expect = new float[15];
            Arrays.fill(expect, -2.5f);
            rec.add("fill", "f32 [5,3]", rec.same(backend.download(f), expect), 0);
        }
    }

    void gemm(boolean ta, boolean tb, int m, int k, int n, float alpha, float beta) {
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        float[] av = rec.random(aRows * aCols);
        float[] bv = rec.random(bRows * bCols);
        float[] cv = rec.random(m * n);
        double[] ref = ReferenceOps.gemm(ta, tb, alpha, av, aRows, aCols, bv, bRows, bCols, beta, cv);
        // Measured against the size of the terms (|alpha| |A| |B| + |beta| |C|), not of the result: a
        // dot product that cancels (1x257x1 now and then) has a tiny result and a float error that
        // is only small next to its terms, which is all float32 can promise.
        double[] terms = ReferenceOps.gemm(ta, tb, Math.abs(alpha), abs(av), aRows, aCols, abs(bv), bRows, bCols, Math.abs(beta), abs(cv));
        try (Tensor a = backend.upload(av, aRows, aCols); Tensor b = backend.upload(bv, bRows, bCols);
             Tensor c = backend.upload(cv, m, n)) {
            backend.gemm(ta, tb, alpha, a, b, beta, c);
            rec.add("gemm", (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + k + "x" + n + " a=" + alpha + " b=" + beta,
                    rec.err(backend.download(c), ref, terms), FLOAT_TOLERANCE);
        }
    }

    private static float[] abs(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.abs(v[i]);
        }
        return out;
    }

    void gemmBetaZeroIgnoresNaN() {
        int m = 5;
        int k = 9;
        int n = 6;
        float[] av = rec.random(m * k);
        float[] bv = rec.random(k * n);
        double[] ref = ReferenceOps.gemm(false, false, 1, av, m, k, bv, k, n, 0, new float[m * n]);
        try (Tensor a = backend.upload(av, m, k); Tensor b = backend.upload(bv, k, n); Tensor c = backend.zeros(DType.F32, m, n)) {
            backend.fill(c, Float.NaN);
            backend.gemm(false, false, 1f, a, b, 0f, c);
            rec.add("gemm", "NN 5x9x6 beta=0 over NaN", rec.err(backend.download(c), ref), FLOAT_TOLERANCE);
        }
    }

    /** {@code c[i] = a[i or 0] · b[i]^T} over a batch: the batched M^p application. */
    void gemmBatched(int batch, int aBatch, int m, int k, int n, boolean transB) {
        float[] av = rec.random(aBatch * m * k);
        float[] bv = rec.random(batch * k * n);
        float[] cv = rec.random(batch * m * n);
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
            rec.add("gemmBatched", "N" + (transB ? "T" : "N") + " " + batch + "x" + m + "x" + k + "x" + n
                    + (aBatch == 1 ? " A shared" : ""), rec.err(backend.download(c), ref), FLOAT_TOLERANCE);
        }
    }

    void addRowVector(int rows, int cols) {
        float[] xv = rec.random(rows * cols);
        float[] bv = rec.random(cols);
        double[] ref = new double[xv.length];
        for (int i = 0; i < xv.length; i++) {
            ref[i] = (double) xv[i] + bv[i % cols];
        }
        try (Tensor x = backend.upload(xv, rows, cols); Tensor b = backend.upload(bv, cols)) {
            backend.addRowVector(x, b);
            rec.add("addRowVector", "[" + rows + "," + cols + "]", rec.err(backend.download(x), ref), FLOAT_TOLERANCE);
        }
    }

    void axpy(int n, float alpha) {
        float[] xv = rec.random(n);
        float[] yv = rec.random(n);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = yv[i] + (double) alpha * xv[i];
        }
        try (Tensor x = backend.upload(xv, n); Tensor y = backend.upload(yv, n)) {
            backend.axpy(alpha, x, y);
            rec.add("axpy", "[" + n + "] alpha=" + alpha, rec.err(backend.download(y), ref), FLOAT_TOLERANCE);
        }
    }

    void relu(int rows, int cols) {
        float[] xv = rec.random(rows * cols);
        float[] gv = rec.random(rows * cols);
        float[] fwd = new float[xv.length];
        float[] bwd = new float[xv.length];
        for (int i = 0; i < xv.length; i++) {
            fwd[i] = xv[i] > 0 ? xv[i] : 0f;
            bwd[i] = xv[i] > 0 ? gv[i] : 0f;
        }
        try (Tensor x = backend.upload(xv, rows, cols); Tensor y = backend.zeros(DType.F32, rows, cols);
             Tensor g = backend.upload(gv, rows, cols)) {
            backend.relu(x, y);
            rec.add("relu", "[" + rows + "," + cols + "]", rec.same(backend.download(y), fwd), 0);
            backend.reluBackward(g, y, g);
            rec.add("reluBackward", "[" + rows + "," + cols + "] in place", rec.same(backend.download(g), bwd), 0);
            backend.relu(x, x);
            rec.add("relu", "[" + rows + "," + cols + "] in place", rec.same(backend.download(x), fwd), 0);
        }
    }

    void mse(int rows, int cols) {
        float[] pv = rec.random(rows * cols);
        float[] tv = rec.random(rows * cols);
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
            rec.add("mseLoss value", c, rec.err(backend.download(loss), new double[] {sum / pv.length}), FLOAT_TOLERANCE);
            rec.add("mseLoss grad", c, rec.err(backend.download(g), refGrad), FLOAT_TOLERANCE);
        }
    }

    void adam(int n, long step) {
        float[] pv = rec.random(n);
        float[] gv = rec.random(n);
        float[] mv = rec.random(n);
        float[] vv = rec.random(n);
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
            rec.add("adamStep update", c, rec.err(gotDelta, refDelta), 1e-4);
            rec.add("adamStep m", c, rec.err(backend.download(m), ref[1]), FLOAT_TOLERANCE);
            rec.add("adamStep v", c, rec.err(backend.download(v), ref[2]), FLOAT_TOLERANCE);
        }
    }
}
