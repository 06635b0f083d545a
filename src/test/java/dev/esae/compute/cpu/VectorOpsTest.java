package dev.esae.compute.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The SIMD loops give the same bits as the scalar formulas, on lengths that leave a scalar tail. */
class VectorOpsTest {
    private final long seed = System.nanoTime();
    private final SplittableRandom rng = new SplittableRandom(seed);

    private ByteBuffer random(int n, float scale) {
        ByteBuffer b = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++) {
            b.putFloat(i * 4, (float) (rng.nextGaussian() * scale));
        }
        return b;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocateDirect(b.capacity()).order(ByteOrder.nativeOrder());
        c.put(b.duplicate().clear()).clear();
        return c;
    }

    @Test
    void simdLoopsMatchTheScalarFormulasBitForBit() {
        assumeTrue(VectorSupport.available(), "the JVM runs without jdk.incubator.vector: no SIMD path to compare");
        int n = 1000 + VectorOps.lanes() * 7 + 3;
        ByteBuffer p = random(n, 1);
        ByteBuffer g = random(n, 0.01f);
        ByteBuffer m = random(n, 0.001f);
        ByteBuffer v = random(n, 0.001f);
        for (int i = 0; i < n; i++) {
            v.putFloat(i * 4, Math.abs(v.getFloat(i * 4)));
        }
        ByteBuffer p0 = copy(p);
        ByteBuffer m0 = copy(m);
        ByteBuffer v0 = copy(v);
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float step = (float) (1e-3 / (1 - Math.pow(0.9, 7)));
        float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(0.999, 7));
        VectorOps.adam(p, 0, g, 0, m, 0, v, 0, beta1, beta2, step, sqrtBc2, 1e-8f, 0, n);
        for (int i = 0; i < n; i++) {
            int o = i * 4;
            float gi = g.getFloat(o);
            float mi = beta1 * m0.getFloat(o) + (1f - beta1) * gi;
            float vi = beta2 * v0.getFloat(o) + (1f - beta2) * gi * gi;
            float pi = p0.getFloat(o) - step * mi / ((float) Math.sqrt(vi) / sqrtBc2 + 1e-8f);
            assertEquals(Float.floatToIntBits(mi), Float.floatToIntBits(m.getFloat(o)), "m[" + i + "], seed " + seed);
            assertEquals(Float.floatToIntBits(vi), Float.floatToIntBits(v.getFloat(o)), "v[" + i + "], seed " + seed);
            assertEquals(Float.floatToIntBits(pi), Float.floatToIntBits(p.getFloat(o)), "p[" + i + "], seed " + seed);
        }

        ByteBuffer x = random(n, 1);
        ByteBuffer y = random(n, 1);
        ByteBuffer gi = random(n, 1);
        VectorOps.relu(x, 0, y, 0, 0, n);
        VectorOps.reluBackward(x, 0, y, 0, gi, 0, 3, n);
        for (int i = 0; i < n; i++) {
            float xv = x.getFloat(i * 4);
            assertEquals(xv > 0f ? xv : 0f, y.getFloat(i * 4), 0f);
            if (i >= 3) {
                assertEquals(y.getFloat(i * 4) > 0f ? xv : 0f, gi.getFloat(i * 4), 0f);
            }
        }

        int cols = VectorOps.lanes() * 3 + 5;
        ByteBuffer mat = random(4 * cols, 1);
        ByteBuffer mat0 = copy(mat);
        ByteBuffer bias = random(cols, 1);
        VectorOps.addRowVector(mat, 0, bias, 0, cols, 1, 4);
        for (int i = 0; i < 4 * cols; i++) {
            float expect = i < cols ? mat0.getFloat(i * 4) : mat0.getFloat(i * 4) + bias.getFloat((i % cols) * 4);
            assertEquals(Float.floatToIntBits(expect), Float.floatToIntBits(mat.getFloat(i * 4)), "row-vector add at " + i);
        }

        // Narrow rows (widths that divide the vector): the tiled path, from an offset and a row that is not the first.
        for (int narrow = 1; narrow <= VectorOps.lanes(); narrow *= 2) {
            int rows = 2 * VectorOps.lanes() / narrow + 3;
            int at = 3;
            ByteBuffer tile = random(at + rows * narrow, 1);
            ByteBuffer tile0 = copy(tile);
            ByteBuffer b = random(narrow + 2, 1);
            VectorOps.addRowVector(tile, at, b, 2, narrow, 1, rows);
            for (int i = 0; i < at + rows * narrow; i++) {
                int row = (i - at) / narrow;
                float expect = i < at + narrow ? tile0.getFloat(i * 4) : tile0.getFloat(i * 4) + b.getFloat((2 + (i - at) % narrow) * 4);
                assertEquals(Float.floatToIntBits(expect), Float.floatToIntBits(tile.getFloat(i * 4)),
                        "row-vector add of width " + narrow + " at " + i + " (row " + row + ")");
            }
        }
    }
}
