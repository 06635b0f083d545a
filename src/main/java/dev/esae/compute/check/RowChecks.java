package dev.esae.compute.check;

import static dev.esae.compute.check.SelfTest.FLOAT_TOLERANCE;

import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.train.EpochRandom;
import java.util.Arrays;

/**
 * The self-test's checks of operations along or by rows: the reductions (column sums, sum of
 * squares), top-k selection (ties included), rows gathered by index, the sparse decoder products,
 * and the row-norm constraint (normalizeRows, projectOutRows).
 */
final class RowChecks extends CheckFamily {
    RowChecks(CheckRecorder rec) {
        super(rec);
    }

    /** Values from a handful of levels, so that ties are common. */
    private float[] withTies(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextInt(7) * 0.25f - 0.75f;
        }
        return v;
    }

    void sumRows(int rows, int cols, float beta) {
        float[] xv = rec.random(rows * cols);
        float[] prev = rec.random(cols);
        double[] ref = ReferenceOps.sumRows(xv, cols, beta, prev);
        try (Tensor x = backend.upload(xv, rows, cols); Tensor out = backend.upload(prev, cols)) {
            backend.sumRows(x, beta, out);
            rec.add("sumRows", "[" + rows + "," + cols + "] beta=" + beta, rec.err(backend.download(out), ref), FLOAT_TOLERANCE);
        }
    }

    void sumSquares(int n) {
        float[] xv = rec.random(n);
        double ref = 0;
        for (float v : xv) {
            ref += (double) v * v;
        }
        try (Tensor x = backend.upload(xv, n); Tensor out = backend.zeros(DType.F32, 1)) {
            backend.sumSquares(x, out);
            rec.add("sumSquares", "[" + n + "]", rec.err(backend.download(out), new double[] {ref}), FLOAT_TOLERANCE);
        }
    }

    void topk(int rows, int cols, int k, boolean ties) {
        float[] xv = ties ? withTies(rows * cols) : rec.random(rows * cols);
        int[] refIdx = ReferenceOps.topkIndices(xv, rows, cols, k);
        float[] refVal = new float[refIdx.length];
        for (int i = 0; i < refIdx.length; i++) {
            refVal[i] = xv[(i / k) * cols + refIdx[i]];
        }
        try (Tensor x = backend.upload(xv, rows, cols); Tensor v = backend.zeros(DType.F32, rows, k);
             Tensor idx = backend.zeros(DType.I32, rows, k)) {
            backend.topk(x, k, v, idx);
            String c = "[" + rows + "," + cols + "] k=" + k + (ties ? " ties" : "");
            rec.add("topk indices", c, rec.same(backend.downloadInts(idx), refIdx), 0);
            rec.add("topk values", c, rec.same(backend.download(v), refVal), 0);
        }
    }

    void gatherRows(int srcRows, int width, int picks) {
        float[] sv = rec.random(srcRows * width);
        int[] idx = rng.ints(picks, 0, srcRows).toArray();
        float[] ref = new float[picks * width];
        for (int r = 0; r < picks; r++) {
            System.arraycopy(sv, idx[r] * width, ref, r * width, width);
        }
        try (Tensor s = backend.upload(sv, srcRows, width); Tensor i = backend.uploadInts(idx, picks);
             Tensor d = backend.zeros(DType.F32, picks, width)) {
            backend.gatherRows(s, i, d);
            rec.add("gatherRows", "[" + srcRows + "," + width + "] pick " + picks, rec.same(backend.download(d), ref), 0);
        }
    }

    /** Indices drawn at random (repeats across rows; within rows too when {@code repeats}). */
    private int[] indices(int b, int k, int l, boolean repeats) {
        int[] idx = new int[b * k];
        for (int r = 0; r < b; r++) {
            int[] perm = repeats ? null : EpochRandom.permutation(rng, l);
            for (int q = 0; q < k; q++) {
                idx[r * k + q] = repeats ? rng.nextInt(l) : perm[q];
            }
        }
        return idx;
    }

    void sparse(int b, int l, int d, int k, boolean repeats) {
        float[] vals = rec.random(b * k);
        for (int i = 0; i < vals.length; i += 5) {
            vals[i] = 0f;
        }
        int[] idx = indices(b, k, l, repeats);
        float[] w = rec.random(l * d);
        float[] x = rec.random(b * d);
        float[] start = rec.random(l * d);
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
            rec.add("sparseDecode", c, rec.err(backend.download(out), refDecode), FLOAT_TOLERANCE);
            backend.sparseOuterAccumulate(tv, ti, tx, g);
            rec.add("sparseOuterAcc", c, rec.err(backend.download(g), refOuter), FLOAT_TOLERANCE);
            backend.sparseDots(tx, ti, tw, dots);
            rec.add("sparseDots", c, rec.err(backend.download(dots), refDots), FLOAT_TOLERANCE);
        }
        sparseBackward(b, l, d, k, vals, idx, w, false, c);
        sparseBackward(b, l, d, k, vals, idx, w, true, c);
    }

    /**
     * The fused backward through selected latents against its definition in double: the decoder
     * gradient {@code z^T dOut}, {@code dValues = v > 0 ? ⟨dOut, W[idx]⟩ : 0}, the encoder gradient
     * {@code dValues^T input}, each set or added to a random start; an input width other than D.
     */
    private void sparseBackward(int b, int l, int d, int k, float[] vals, int[] idx, float[] w, boolean accumulate, String c) {
        int h = d + 3;
        float[] dOut = rec.random(b * d);
        float[] input = rec.random(b * h);
        float[] startDec = rec.random(l * d);
        float[] startEnc = rec.random(l * h);
        double[] refDv = new double[b * k];
        float[] dvForRef = new float[b * k];
        for (int e = 0; e < b * k; e++) {
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += (double) dOut[(e / k) * d + j] * w[idx[e] * d + j];
            }
            refDv[e] = vals[e] > 0f ? dot : 0;
            dvForRef[e] = (float) refDv[e];
        }
        float[] zeroDec = new float[l * d];
        float[] zeroEnc = new float[l * h];
        double[] refDec = ReferenceOps.denseOuter(ReferenceOps.densify(vals, idx, b, k, l), dOut, accumulate ? startDec : zeroDec, b, l, d);
        double[] refEnc = ReferenceOps.denseOuter(ReferenceOps.densify(dvForRef, idx, b, k, l), input, accumulate ? startEnc : zeroEnc, b,
                l, h);
        String cc = c + " H" + h + (accumulate ? " accumulate" : " set");
        try (Tensor tv = backend.upload(vals, b, k); Tensor ti = backend.uploadInts(idx, b, k); Tensor tw = backend.upload(w, l, d);
             Tensor to = backend.upload(dOut, b, d); Tensor tx = backend.upload(input, b, h); Tensor gd = backend.upload(startDec, l, d);
             Tensor ge = backend.upload(startEnc, l, h); Tensor dv = backend.zeros(DType.F32, b, k)) {
            backend.fill(dv, Float.NaN);
            backend.sparseBackward(tv, ti, to, tw, tx, accumulate, gd, ge, dv);
            rec.add("sparseBackward dValues", cc, rec.err(backend.download(dv), refDv), FLOAT_TOLERANCE);
            rec.add("sparseBackward decoderGrad", cc, rec.err(backend.download(gd), refDec), FLOAT_TOLERANCE);
            rec.add("sparseBackward encoderGrad", cc, rec.err(backend.download(ge), refEnc), FLOAT_TOLERANCE);
        }
    }

    void rowNorms(int l, int d) {
        float[] w = rec.random(l * d);
        float[] g = rec.random(l * d);
        Arrays.fill(w, 0, d, 0f);
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
            rec.add("normalizeRows", "[" + l + "," + d + "] first row zero", rec.err(backend.download(tw), unit), FLOAT_TOLERANCE);
            backend.projectOutRows(tg, tw);
            rec.add("projectOutRows", "[" + l + "," + d + "]", rec.err(backend.download(tg), projected), FLOAT_TOLERANCE);
        }
    }

    /**
     * AuxK's dead-latent bookkeeping: an SAE's step with counters around the threshold, a tiny L
     * where every latent is selected many times, counters saturating at the int32 limit, and a
     * threshold of 0 (every latent dead, fired or not). Values hold zeros, negatives and NaNs,
     * none of which fire.
     */
    void deadLatents() {
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
            float[] vals = rec.random(b * k);
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
                rec.add("deadLatents rows", names[at], rec.same(backend.downloadInts(tc), ref.rowsSinceFired()), 0);
                rec.add("deadLatents mask", names[at], rec.same(backend.download(mask), ref.deadMask()), 0);
            }
        }
    }
}
