package dev.esae.compute.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.compute.check.OpCheck;
import dev.esae.compute.check.ReferenceOps;
import dev.esae.compute.check.SelfTest;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend against plain references on fresh random inputs (the seed is in every failure
 * message, so a failure can be replayed).
 */
class CpuBackendTest {
    private static CpuBackend cpu;
    private final long seed = System.nanoTime();
    private final SplittableRandom rng = new SplittableRandom(seed);

    @BeforeAll
    static void open() {
        cpu = new CpuBackend(Integer.getInteger("esae.test.threads", 1));
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    private float[] random(int n) {
        return SelfTest.uniform(rng, n);
    }

    @Test
    void gemmMatchesTripleLoopForEveryTransposeOnOddSizes() {
        int[][] sizes = {{1, 1, 1}, {3, 7, 5}, {67, 131, 45}, {129, 2, 257}, {2, 513, 3}};
        for (int[] s : sizes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int m = s[0];
                    int k = s[1];
                    int n = s[2];
                    float alpha = (float) (rng.nextDouble() * 4 - 2);
                    float beta = rng.nextBoolean() ? 0f : (float) (rng.nextDouble() * 2 - 1);
                    int ar = ta ? k : m;
                    int ac = ta ? m : k;
                    int br = tb ? n : k;
                    int bc = tb ? k : n;
                    float[] a = random(ar * ac);
                    float[] b = random(br * bc);
                    float[] c = random(m * n);
                    double[] ref = ReferenceOps.gemm(ta, tb, alpha, a, ar, ac, b, br, bc, beta, c);
                    try (Tensor ta_ = cpu.upload(a, ar, ac); Tensor tb_ = cpu.upload(b, br, bc); Tensor tc = cpu.upload(c, m, n)) {
                        cpu.gemm(ta, tb, alpha, ta_, tb_, beta, tc);
                        double err = SelfTest.relativeError(cpu.download(tc), ref);
                        assertTrue(err < 1e-5, String.format("gemm %s%s %dx%dx%d alpha %f beta %f: relative error %.3e (seed %d)",
                                ta ? "T" : "N", tb ? "T" : "N", m, k, n, alpha, beta, err, seed));
                    }
                }
            }
        }
    }

    @Test
    void gemmOnRowViewsUsesTheRightOffset() {
        float[] a = random(10 * 6);
        float[] b = random(6 * 4);
        try (Tensor ta = cpu.upload(a, 10, 6); Tensor tb = cpu.upload(b, 6, 4); Tensor tc = cpu.zeros(DType.F32, 10, 4)) {
            cpu.gemm(false, false, 1f, ta.rows(3, 5), tb, 0f, tc.rows(5, 5));
            float[] c = cpu.download(tc);
            float[] aRows = java.util.Arrays.copyOfRange(a, 3 * 6, 8 * 6);
            double[] ref = ReferenceOps.gemm(false, false, 1, aRows, 5, 6, b, 6, 4, 0, new float[20]);
            for (int i = 0; i < 20; i++) {
                assertEquals(0f, c[i], "rows outside the view stay untouched");
                assertEquals(ref[i], c[20 + i], 1e-5, "seed " + seed);
            }
        }
    }

    @Test
    void gemmRejectsMismatchedShapes() {
        try (Tensor a = cpu.zeros(DType.F32, 3, 4); Tensor b = cpu.zeros(DType.F32, 5, 2); Tensor c = cpu.zeros(DType.F32, 3, 2)) {
            assertThrows(IllegalArgumentException.class, () -> cpu.gemm(false, false, 1f, a, b, 0f, c));
        }
    }

    @Test
    void topkMatchesAFullSortTiesIncluded() {
        // Wide rows with cols / 16 >= 2k take the block-bound path; 2050 and 1001 leave a tail past the last block.
        int[][] cases = {{1, 1, 1}, {3, 10, 10}, {17, 300, 8}, {64, 2048, 32}, {9, 2050, 32}, {7, 1001, 4}, {5, 8192, 128},
            {2, 65536, 64}, {4, 4096, 128}};
        for (int[] cs : cases) {
          for (int kind = 0; kind < 5; kind++) {
            int rows = cs[0];
            int cols = cs[1];
            int k = cs[2];
            float[] x = new float[rows * cols];
            // 0: Gaussian; 1: few distinct values (ties everywhere); 2: signed zeros and a few positives; 3: Gaussian with NaNs;
            // 4: negative values only, some infinite (the selection's bit order of negative floats).
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (kind) {
                    case 1 -> rng.nextInt(5) - 2f;
                    case 2 -> rng.nextInt(50) == 0 ? (float) rng.nextDouble() : rng.nextBoolean() ? 0f : -0f;
                    case 4 -> rng.nextInt(40) == 0 ? Float.NEGATIVE_INFINITY : -(float) Math.abs(rng.nextGaussian()) - Float.MIN_VALUE;
                    default -> (float) rng.nextGaussian();
                };
            }
            if (kind == 3) {
                for (int r = 0; r < rows; r += 2) {
                    x[r * cols + rng.nextInt(cols)] = Float.NaN;
                }
            }
            x[0] = kind == 4 ? Float.NEGATIVE_INFINITY : -0.0f;
            int[] refIdx = ReferenceOps.topkIndices(x, rows, cols, k);
            try (Tensor tx = cpu.upload(x, rows, cols); Tensor v = cpu.zeros(DType.F32, rows, k); Tensor idx = cpu.zeros(DType.I32, rows, k)) {
                cpu.topk(tx, k, v, idx);
                int[] gotIdx = cpu.downloadInts(idx);
                float[] gotVal = cpu.download(v);
                assertArrayEquals(refIdx, gotIdx, "indices " + rows + "x" + cols + " k " + k + " input kind " + kind + " seed " + seed);
                for (int i = 0; i < gotIdx.length; i++) {
                    assertEquals(x[(i / k) * cols + gotIdx[i]], gotVal[i], "values follow indices");
                }
            }
          }
        }
    }

    @Test
    void topkOrderIsValueDescendingThenLowerIndex() {
        float[] x = {1f, 3f, 3f, 2f, 3f, -1f};
        try (Tensor tx = cpu.upload(x, 1, 6); Tensor v = cpu.zeros(DType.F32, 1, 4); Tensor idx = cpu.zeros(DType.I32, 1, 4)) {
            cpu.topk(tx, 4, v, idx);
            assertArrayEquals(new int[] {1, 2, 4, 3}, cpu.downloadInts(idx));
            assertArrayEquals(new float[] {3f, 3f, 3f, 2f}, cpu.download(v));
            assertThrows(IllegalArgumentException.class, () -> cpu.topk(tx, 7, v, idx), "k above the row length");
            assertThrows(IllegalArgumentException.class, () -> cpu.topk(tx, 0, v, idx), "k of zero");
        }
    }

    @Test
    void elementwiseAndReductionsMatchReferences() {
        int rows = 93;
        int cols = 41;
        float[] x = random(rows * cols);
        float[] bias = random(cols);
        float[] prev = random(cols);
        try (Tensor tx = cpu.upload(x, rows, cols); Tensor tb = cpu.upload(bias, cols); Tensor out = cpu.upload(prev, cols);
             Tensor y = cpu.zeros(DType.F32, rows, cols); Tensor sq = cpu.zeros(DType.F32, 1)) {
            cpu.sumRows(tx, 0.25f, out);
            double[] ref = ReferenceOps.sumRows(x, cols, 0.25, prev);
            assertTrue(SelfTest.relativeError(cpu.download(out), ref) < 1e-6, "sumRows, seed " + seed);

            cpu.sumSquares(tx, sq);
            double ss = 0;
            for (float v : x) {
                ss += (double) v * v;
            }
            assertEquals(ss, cpu.download(sq)[0], ss * 1e-6);

            cpu.addRowVector(tx, tb);
            float[] added = cpu.download(tx);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] + bias[i % cols], added[i], 0f);
            }
            cpu.relu(tx, y);
            float[] r = cpu.download(y);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Math.max(added[i], 0f), r[i], 0f);
            }
        }
    }

    @Test
    void rot90FourTimesIsTheIdentityAndMatchesTheReference() {
        int batch = 3;
        int size = 9;
        float[] img = random(batch * size * size);
        try (Tensor a = cpu.upload(img, batch, size, size); Tensor b = cpu.zeros(DType.F32, batch, size, size)) {
            for (int turns = 0; turns < 4; turns++) {
                cpu.rot90(a, 1, b);
                cpu.copy(b, a);
                assertArrayEquals(ReferenceOps.rot90(img, batch, size, turns + 1), cpu.download(a));
            }
            assertArrayEquals(img, cpu.download(a));
            float[] corner = new float[size * size];
            corner[0] = 1f;
            try (Tensor c = cpu.upload(corner, 1, size, size); Tensor d = cpu.zeros(DType.F32, 1, size, size)) {
                cpu.rot90(c, 1, d);
                assertEquals(1f, cpu.download(d)[size - 1], "one clockwise turn moves the top-left pixel to the top-right");
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        float[] x = random(512 * 300);
        try (CpuBackend two = new CpuBackend(2)) {
            try (Tensor a1 = cpu.upload(x, 512, 300); Tensor a2 = two.upload(x, 512, 300);
                 Tensor v1 = cpu.zeros(DType.F32, 512, 16); Tensor i1 = cpu.zeros(DType.I32, 512, 16);
                 Tensor v2 = two.zeros(DType.F32, 512, 16); Tensor i2 = two.zeros(DType.I32, 512, 16);
                 Tensor s1 = cpu.zeros(DType.F32, 300); Tensor s2 = two.zeros(DType.F32, 300)) {
                cpu.topk(a1, 16, v1, i1);
                two.topk(a2, 16, v2, i2);
                assertArrayEquals(cpu.downloadInts(i1), two.downloadInts(i2));
                cpu.sumRows(a1, 0f, s1);
                two.sumRows(a2, 0f, s2);
                assertArrayEquals(cpu.download(s1), two.download(s2));
                // The sparse weight gradient: many batch rows hit the same latent rows.
                float[] v = random(512 * 16);
                float[] dx = random(512 * 300);
                try (Tensor w1 = cpu.upload(v, 512, 16); Tensor x1 = cpu.upload(dx, 512, 300); Tensor g1 = cpu.zeros(DType.F32, 300, 300);
                     Tensor w2 = two.upload(v, 512, 16); Tensor x2 = two.upload(dx, 512, 300); Tensor g2 = two.zeros(DType.F32, 300, 300);
                     Tensor j1 = cpu.uploadInts(cpu.downloadInts(i1), 512, 16); Tensor j2 = two.uploadInts(cpu.downloadInts(i1), 512, 16)) {
                    cpu.sparseOuterAccumulate(w1, j1, x1, g1);
                    two.sparseOuterAccumulate(w2, j2, x2, g2);
                    assertArrayEquals(cpu.download(g1), two.download(g2));
                }
            }
        }
        OpenBlas.setThreads(Integer.getInteger("esae.test.threads", 1));
    }

    @Test
    void tensorsAreReleasedExplicitlyAndViewsShareMemory() {
        Tensor t = cpu.upload(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor view = t.reshape(3, 2);
        view.close();
        assertFalse(t.isReleased(), "closing a view does not free the owner");
        cpu.fill(view.rows(2, 1), 9f);
        assertArrayEquals(new float[] {1, 2, 3, 4, 9, 9}, cpu.download(t));
        t.close();
        assertTrue(view.isReleased());
        assertThrows(IllegalStateException.class, () -> cpu.download(t));
        assertThrows(IllegalStateException.class, () -> cpu.download(view));
        t.close();
    }

    @Test
    void operationsOnRowViewsTouchOnlyThoseRows() {
        float[] x = random(6 * 40);
        float[] bias = random(40);
        try (Tensor t = cpu.upload(x, 6, 40); Tensor b = cpu.upload(bias, 40); Tensor g = cpu.upload(random(6 * 40), 6, 40)) {
            Tensor view = t.rows(2, 3);
            cpu.addRowVector(view, b);
            cpu.relu(view, view);
            cpu.normalizeRows(view);
            cpu.projectOutRows(g.rows(2, 3), view);
            float[] got = cpu.download(t);
            for (int r = 0; r < 6; r++) {
                double ss = 0;
                for (int j = 0; j < 40; j++) {
                    float v = got[r * 40 + j];
                    if (r < 2 || r > 4) {
                        assertEquals(x[r * 40 + j], v, 0f, "row " + r + " is outside the view and must not change");
                    } else {
                        ss += (double) v * v;
                        assertTrue(v >= 0f, "relu applied in row " + r);
                    }
                }
                if (r >= 2 && r <= 4 && ss > 0) {
                    assertEquals(1.0, Math.sqrt(ss), 1e-5, "row " + r + " normalised");
                }
            }
        }
    }

    /** A view of {@code rows × cols} holding {@code values}, at {@code skip} rows into a larger tensor. */
    private Tensor offsetView(java.util.List<Tensor> owned, float[] values, int rows, int cols, int skip) {
        float[] all = new float[(rows + skip + 1) * cols];
        System.arraycopy(values, 0, all, skip * cols, values.length);
        Tensor t = cpu.upload(all, rows + skip + 1, cols);
        owned.add(t);
        return t.rows(skip, rows);
    }

    @Test
    void everyOperandIsAddressedAtItsOwnOffset() {
        // Each operand a view at a different offset (1, 2, 3 ... rows of odd width into its tensor),
        // against the same operations on fresh tensors: any operand read or written at another
        // tensor's offset shows up as a difference.
        int rows = 6;
        int d = 37;
        int l = 23;
        int k = 4;
        float[] x = random(rows * d);
        float[] y = random(rows * d);
        float[] bias = random(d);
        float[] w = random(l * d);
        float[] vals = random(rows * k);
        int[] idx = new int[rows * k];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextInt(l);
        }
        java.util.List<Tensor> owned = new java.util.ArrayList<>();
        java.util.List<float[]> fresh = new java.util.ArrayList<>();
        java.util.List<float[]> views = new java.util.ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            boolean v = pass == 1;
            java.util.List<float[]> res = v ? views : fresh;
            Tensor tx = v ? offsetView(owned, x, rows, d, 1) : own(owned, cpu.upload(x, rows, d));
            Tensor ty = v ? offsetView(owned, y, rows, d, 2) : own(owned, cpu.upload(y, rows, d));
            Tensor tb = v ? offsetView(owned, bias, 1, d, 3).reshape(d) : own(owned, cpu.upload(bias, d));
            Tensor tw = v ? offsetView(owned, w, l, d, 4) : own(owned, cpu.upload(w, l, d));
            Tensor tg = v ? offsetView(owned, y, l > rows ? rows : l, d, 5) : own(owned, cpu.upload(y, rows, d));
            Tensor tv = v ? offsetView(owned, vals, rows, k, 1) : own(owned, cpu.upload(vals, rows, k));
            Tensor ti = own(owned, cpu.uploadInts(idx, rows, k));
            Tensor out = v ? offsetView(owned, new float[rows * d], rows, d, 3) : own(owned, cpu.zeros(DType.F32, rows, d));
            Tensor dots = v ? offsetView(owned, new float[rows * k], rows, k, 2) : own(owned, cpu.zeros(DType.F32, rows, k));
            Tensor m1 = v ? offsetView(owned, new float[rows * d], rows, d, 1) : own(owned, cpu.zeros(DType.F32, rows, d));
            Tensor m2 = v ? offsetView(owned, new float[rows * d], rows, d, 4) : own(owned, cpu.zeros(DType.F32, rows, d));
            cpu.relu(tx, out);
            res.add(cpu.download(out));
            cpu.reluBackward(ty, out, tg);
            res.add(cpu.download(tg));
            cpu.addRowVector(tx, tb);
            res.add(cpu.download(tx));
            cpu.adamStep(tx, ty, m1, m2, 1e-2f, 0.9f, 0.999f, 1e-8f, 3);
            res.add(cpu.download(tx));
            res.add(cpu.download(m2));
            cpu.sparseDecode(tv, ti, tw, out);
            res.add(cpu.download(out));
            cpu.sparseDots(ty, ti, tw, dots);
            res.add(cpu.download(dots));
            cpu.sparseOuterAccumulate(tv, ti, ty, tw);
            res.add(cpu.download(tw));
            cpu.normalizeRows(tw);
            res.add(cpu.download(tw));
            cpu.projectOutRows(tx, ty);
            res.add(cpu.download(tx));
        }
        String[] names = {"relu", "reluBackward", "addRowVector", "adam p", "adam v", "sparseDecode", "sparseDots",
            "sparseOuterAccumulate", "normalizeRows", "projectOutRows"};
        for (int i = 0; i < names.length; i++) {
            assertArrayEquals(fresh.get(i), views.get(i), names[i] + " on offset views (seed " + seed + ")");
        }
        owned.forEach(Tensor::close);
    }

    private static Tensor own(java.util.List<Tensor> owned, Tensor t) {
        owned.add(t);
        return t;
    }

    /**
     * The fused sparseBackward against the four calls it stands for, bit for bit, on fresh random
     * inputs: TopK-like rows (distinct latents) and rows with repeats, zero and negative values,
     * set and accumulate, widths that leave a SIMD tail, and 1 and 2 threads.
     */
    @Test
    void sparseBackwardIsTheFourSeparateCallsBitForBit() {
        try (CpuBackend two = new CpuBackend(2)) {
            for (int trial = 0; trial < 6; trial++) {
                boolean repeats = trial % 2 == 1;
                boolean accumulate = trial % 3 != 0;
                int b = 1 + rng.nextInt(300);
                int l = 5 + rng.nextInt(600);
                int k = 1 + rng.nextInt(Math.min(l, 40));
                int d = 1 + rng.nextInt(80);
                int h = 1 + rng.nextInt(80);
                float[] vals = random(b * k);
                for (int i = 0; i < vals.length; i += 7) {
                    vals[i] = 0f;
                }
                int[] idx = new int[b * k];
                for (int r = 0; r < b; r++) {
                    int[] perm = dev.esae.train.EpochRandom.permutation(rng, l);
                    for (int q = 0; q < k; q++) {
                        idx[r * k + q] = repeats ? rng.nextInt(l) : perm[q];
                    }
                }
                float[] dOut = random(b * d);
                float[] w = random(l * d);
                float[] x = random(b * h);
                float[] gd0 = random(l * d);
                float[] ge0 = random(l * h);
                String what = "B" + b + " L" + l + " K" + k + " D" + d + " H" + h + (repeats ? " repeats" : "")
                        + (accumulate ? " accumulate" : " set") + " on " + VectorSupport.describe() + " (seed " + seed + ")";
                float[][] expected;
                try (Tensor tv = cpu.upload(vals, b, k); Tensor ti = cpu.uploadInts(idx, b, k); Tensor to = cpu.upload(dOut, b, d);
                     Tensor tw = cpu.upload(w, l, d); Tensor tx = cpu.upload(x, b, h); Tensor gd = cpu.upload(gd0, l, d);
                     Tensor ge = cpu.upload(ge0, l, h); Tensor dv = cpu.zeros(DType.F32, b, k)) {
                    if (!accumulate) {
                        cpu.fill(gd, 0f);
                        cpu.fill(ge, 0f);
                    }
                    cpu.sparseOuterAccumulate(tv, ti, to, gd);
                    cpu.sparseDots(to, ti, tw, dv);
                    cpu.reluBackward(dv, tv, dv);
                    cpu.sparseOuterAccumulate(dv, ti, tx, ge);
                    expected = new float[][] {cpu.download(gd), cpu.download(ge), cpu.download(dv)};
                }
                for (CpuBackend be : new CpuBackend[] {cpu, two}) {
                    try (Tensor tv = be.upload(vals, b, k); Tensor ti = be.uploadInts(idx, b, k); Tensor to = be.upload(dOut, b, d);
                         Tensor tw = be.upload(w, l, d); Tensor tx = be.upload(x, b, h); Tensor gd = be.upload(gd0, l, d);
                         Tensor ge = be.upload(ge0, l, h); Tensor dv = be.zeros(DType.F32, b, k)) {
                        be.sparseBackward(tv, ti, to, tw, tx, accumulate, gd, ge, dv);
                        String t = what + ", " + be.threads() + " thread(s)";
                        assertArrayEquals(expected[0], be.download(gd), "decoderGrad " + t);
                        assertArrayEquals(expected[1], be.download(ge), "encoderGrad " + t);
                        assertArrayEquals(expected[2], be.download(dv), "dValues " + t);
                    }
                }
            }
        }
        OpenBlas.setThreads(Integer.getInteger("esae.test.threads", 1));
    }

    @Test
    void sparseDotsOfCancellingShortRowsAreSummedFromDoubleProducts() {
        // Rows x = [u, v], w = [p, -q] with v·q within an ulp or so of u·p: the products of two
        // floats are exact in double and so is their difference, so a dot formed from double
        // products rounds once, to (float) (u·p - v·q). Rounding each product to float first
        // (as the scalar loop once did) leaves an error of the order of u·p, far above the result.
        int rows = 64;
        float[] x = new float[rows * 2];
        float[] w = new float[rows * 2];
        int[] idx = new int[rows];
        float[] expect = new float[rows];
        for (int r = 0; r < rows; r++) {
            float u = (float) (0.5 + rng.nextDouble() / 2);
            float p = (float) (0.5 + rng.nextDouble() / 2);
            float v = (float) (0.5 + rng.nextDouble() / 2);
            float q = (float) ((double) u * p / v);
            int row = rows - 1 - r;
            idx[r] = row;
            x[2 * r] = u;
            x[2 * r + 1] = v;
            w[2 * row] = p;
            w[2 * row + 1] = -q;
            expect[r] = (float) ((double) u * p - (double) v * q);
        }
        try (Tensor tx = cpu.upload(x, rows, 2); Tensor ti = cpu.uploadInts(idx, rows, 1); Tensor tw = cpu.upload(w, rows, 2);
             Tensor out = cpu.zeros(DType.F32, rows, 1)) {
            cpu.sparseDots(tx, ti, tw, out);
            assertArrayEquals(expect, cpu.download(out), "sparseDots on " + VectorSupport.describe() + " (seed " + seed + ")");
        }
    }

    @Test
    void everySelfTestCheckPassesOnTheCpu() {
        List<OpCheck> checks = SelfTest.run(cpu, seed);
        assertTrue(checks.size() > 30);
        for (OpCheck c : checks) {
            assertTrue(c.passed(), c + " (seed " + seed + ")");
        }
    }
}
