package dev.esae.compute.cpu;

import static dev.esae.compute.OpShapes.intSize;
import static dev.esae.compute.cpu.CpuOperands.cpu;
import static dev.esae.compute.cpu.CpuOperands.f32;
import static dev.esae.compute.cpu.CpuOperands.isF64;
import static dev.esae.compute.cpu.CpuOperands.typed;
import static dev.esae.compute.cpu.CpuParallel.ELEMENTWISE_GRAIN;

import dev.esae.compute.DType;
import dev.esae.compute.OpShapes;
import dev.esae.compute.Tensor;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * The CPU backend's reductions: column sums ({@code sumRows}) and the sum of squares, accumulated
 * in double, and the row-wise top-k selection ({@link TopKHeap}, with its SIMD group bound when
 * {@link VectorSupport} allows). Work is split so that each sum is formed in the same order
 * whatever the thread count.
 */
final class CpuReductions {
    private final CpuParallel parallel;

    CpuReductions(CpuParallel parallel) {
        this.parallel = parallel;
    }

    /** {@link dev.esae.compute.Backend#sumRows}. */
    void sumRows(Tensor x, float beta, Tensor out) {
        boolean f64 = isF64(x, out);
        int cols = intSize(out);
        int rows = OpShapes.rowsOf(x, cols, "output");
        // Columns are independent, so splitting them across threads keeps the summation order fixed.
        parallel.forRange(cols, 64, (from, to) -> {
            double[] acc = new double[to - from];
            if (f64) {
                DoubleBuffer xb = cpu(x).d();
                for (int r = 0; r < rows; r++) {
                    for (int j = from; j < to; j++) {
                        acc[j - from] += xb.get(r * cols + j);
                    }
                }
                DoubleBuffer ob = cpu(out).d();
                for (int j = from; j < to; j++) {
                    ob.put(j, beta == 0f ? acc[j - from] : beta * ob.get(j) + acc[j - from]);
                }
            } else {
                FloatBuffer xb = cpu(x).f();
                for (int r = 0; r < rows; r++) {
                    int base = r * cols;
                    for (int j = from; j < to; j++) {
                        acc[j - from] += xb.get(base + j);
                    }
                }
                FloatBuffer ob = cpu(out).f();
                for (int j = from; j < to; j++) {
                    ob.put(j, (float) (beta == 0f ? acc[j - from] : beta * (double) ob.get(j) + acc[j - from]));
                }
            }
        });
    }

    /** {@link dev.esae.compute.Backend#sumSquares}. */
    void sumSquares(Tensor x, Tensor out) {
        OpShapes.oneValue(out, "sumSquares");
        int n = intSize(x);
        double acc = 0;
        if (isF64(x, out)) {
            DoubleBuffer xb = cpu(x).d();
            for (int i = 0; i < n; i++) {
                double v = xb.get(i);
                acc += v * v;
            }
            cpu(out).d().put(0, acc);
        } else {
            FloatBuffer xb = cpu(x).f();
            for (int i = 0; i < n; i++) {
                double v = xb.get(i);
                acc += v * v;
            }
            cpu(out).f().put(0, (float) acc);
        }
    }

    /** {@link dev.esae.compute.Backend#topk}. */
    void topk(Tensor x, int k, Tensor values, Tensor indices) {
        int[] rc = OpShapes.topk(x, k, values, indices);
        int rows = rc[0];
        int cols = rc[1];
        FloatBuffer xb = f32(x).f();
        FloatBuffer vb = f32(values).f();
        IntBuffer ib = typed(indices, DType.I32).i();
        boolean simd = VectorSupport.available();
        parallel.forRange(rows, Math.max(1, ELEMENTWISE_GRAIN / cols), (from, to) -> {
            TopKHeap heap = new TopKHeap(k);
            for (int r = from; r < to; r++) {
                if (simd) {
                    heap.selectRowSimd(xb, r * cols, cols, vb, ib, r * k);
                } else {
                    heap.selectRow(xb, r * cols, cols, vb, ib, r * k);
                }
            }
        });
    }
}
