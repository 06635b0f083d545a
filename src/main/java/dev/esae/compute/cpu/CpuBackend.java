package dev.esae.compute.cpu;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Rot90;
import dev.esae.compute.Tensor;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The CPU backend: OpenBLAS sgemm on off-heap memory, and the other operations in Java over direct
 * buffers, split across {@link #threads()} threads where the work is large enough.
 */
public final class CpuBackend implements Backend {
    /** Elements per chunk below which elementwise work stays on one thread. */
    private static final int ELEMENTWISE_GRAIN = 1 << 15;

    private final int threads;
    private final CpuParallel parallel;

    /** Opens a CPU backend using {@code threads} threads for OpenBLAS and for its own loops. */
    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        OpenBlas.setThreads(threads);
        this.threads = threads;
        this.parallel = new CpuParallel(threads);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "cpu (OpenBLAS " + OpenBlas.version() + ", " + threads + (threads == 1 ? " thread)" : " threads)");
    }

    @Override
    public int threads() {
        return threads;
    }

    private static CpuTensor cpu(Tensor t) {
        if (!(t instanceof CpuTensor c)) {
            throw new IllegalArgumentException("tensor " + t + " belongs to backend " + t.backend().name() + ", not cpu");
        }
        c.checkLive();
        return c;
    }

    private static CpuTensor f32(Tensor t) {
        CpuTensor c = cpu(t);
        if (c.dtype() != DType.F32) {
            throw new IllegalArgumentException("expected a float tensor, got " + t);
        }
        return c;
    }

    private static int intSize(Tensor t) {
        return (int) t.size();
    }

    // ---- memory ----

    @Override
    public Tensor zeros(DType dtype, int... shape) {
        return new CpuTensor(this, dtype, shape);
    }

    @Override
    public Tensor upload(float[] values, int... shape) {
        requireLength(values.length, shape);
        CpuTensor t = new CpuTensor(this, DType.F32, shape);
        t.floats.duplicate().put(values);
        return t;
    }

    @Override
    public Tensor uploadInts(int[] values, int... shape) {
        requireLength(values.length, shape);
        CpuTensor t = new CpuTensor(this, DType.I32, shape);
        t.ints.duplicate().put(values);
        return t;
    }

    private static void requireLength(int length, int[] shape) {
        if (Tensor.sizeOf(shape) != length) {
            throw new IllegalArgumentException(length + " values do not fill shape " + Arrays.toString(shape));
        }
    }

    @Override
    public float[] download(Tensor t) {
        float[] out = new float[intSize(t)];
        f32(t).f().duplicate().get(out);
        return out;
    }

    @Override
    public int[] downloadInts(Tensor t) {
        CpuTensor c = cpu(t);
        if (c.dtype() != DType.I32) {
            throw new IllegalArgumentException("expected an int tensor, got " + t);
        }
        int[] out = new int[intSize(t)];
        c.i().duplicate().get(out);
        return out;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CpuTensor s = cpu(src);
        CpuTensor d = cpu(dst);
        if (s.size() != d.size() || s.dtype() != d.dtype()) {
            throw new IllegalArgumentException("copy " + src + " to " + dst + ": sizes or dtypes differ");
        }
        Pointer.memcpy(d.bytePointer(), s.bytePointer(), s.size() * s.dtype().bytes());
    }

    @Override
    public void fill(Tensor t, float value) {
        FloatBuffer b = f32(t).f();
        int n = intSize(t);
        for (int i = 0; i < n; i++) {
            b.put(i, value);
        }
    }

    // ---- linear algebra ----

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        CpuTensor ta = f32(a);
        CpuTensor tb = f32(b);
        CpuTensor tc = f32(c);
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
        openblas_nolapack.cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, ta.floatPointer(), a.dim(1), tb.floatPointer(), b.dim(1), beta, tc.floatPointer(), c.dim(1));
    }

    // ---- elementwise ----

    @Override
    public void addRowVector(Tensor x, Tensor bias) {
        FloatBuffer xb = f32(x).f();
        FloatBuffer bb = f32(bias).f();
        int cols = intSize(bias);
        if (x.size() % cols != 0) {
            throw new IllegalArgumentException("bias of " + cols + " does not divide " + x);
        }
        int rows = (int) (x.size() / cols);
        parallel.forRange(rows, Math.max(1, ELEMENTWISE_GRAIN / cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * cols;
                for (int j = 0; j < cols; j++) {
                    xb.put(base + j, xb.get(base + j) + bb.get(j));
                }
            }
        });
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        requireSameSize(x, y);
        FloatBuffer xb = f32(x).f();
        FloatBuffer yb = f32(y).f();
        parallel.forRange(intSize(x), ELEMENTWISE_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = xb.get(i);
                yb.put(i, v > 0f ? v : 0f);
            }
        });
    }

    @Override
    public void reluBackward(Tensor gradOut, Tensor output, Tensor gradIn) {
        requireSameSize(gradOut, output);
        requireSameSize(gradOut, gradIn);
        FloatBuffer g = f32(gradOut).f();
        FloatBuffer o = f32(output).f();
        FloatBuffer gi = f32(gradIn).f();
        parallel.forRange(intSize(gradOut), ELEMENTWISE_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                gi.put(i, o.get(i) > 0f ? g.get(i) : 0f);
            }
        });
    }

    private static void requireSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("sizes differ: " + a + " and " + b);
        }
    }

    // ---- reductions ----

    @Override
    public void sumRows(Tensor x, float beta, Tensor out) {
        FloatBuffer xb = f32(x).f();
        FloatBuffer ob = f32(out).f();
        int cols = intSize(out);
        if (x.size() % cols != 0) {
            throw new IllegalArgumentException("output of " + cols + " does not divide " + x);
        }
        int rows = (int) (x.size() / cols);
        // Columns are independent, so splitting them across threads keeps the summation order fixed.
        parallel.forRange(cols, 64, (from, to) -> {
            double[] acc = new double[to - from];
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                for (int j = from; j < to; j++) {
                    acc[j - from] += xb.get(base + j);
                }
            }
            for (int j = from; j < to; j++) {
                ob.put(j, (float) (beta == 0f ? acc[j - from] : beta * (double) ob.get(j) + acc[j - from]));
            }
        });
    }

    @Override
    public void sumSquares(Tensor x, Tensor out) {
        FloatBuffer xb = f32(x).f();
        if (out.size() != 1) {
            throw new IllegalArgumentException("sumSquares writes one value, got " + out);
        }
        int n = intSize(x);
        double acc = 0;
        for (int i = 0; i < n; i++) {
            double v = xb.get(i);
            acc += v * v;
        }
        f32(out).f().put(0, (float) acc);
    }

    // ---- selection ----

    @Override
    public void topk(Tensor x, int k, Tensor values, Tensor indices) {
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
        FloatBuffer xb = f32(x).f();
        FloatBuffer vb = f32(values).f();
        CpuTensor it = cpu(indices);
        if (it.dtype() != DType.I32) {
            throw new IllegalArgumentException("topk indices must be int, got " + indices);
        }
        IntBuffer ib = it.i();
        parallel.forRange(rows, Math.max(1, ELEMENTWISE_GRAIN / cols), (from, to) -> {
            TopKHeap heap = new TopKHeap(k);
            for (int r = from; r < to; r++) {
                heap.selectRow(xb, r * cols, cols, vb, ib, r * k);
            }
        });
    }

    // ---- images ----

    @Override
    public void rot90(Tensor images, int quarterTurns, Tensor out) {
        if (images.rank() != 3 || images.dim(1) != images.dim(2)) {
            throw new IllegalArgumentException("rot90 needs square images [batch, size, size], got " + images);
        }
        if (!Arrays.equals(images.shape(), out.shape())) {
            throw new IllegalArgumentException("rot90 output " + out + " must match " + images);
        }
        if (images == out) {
            throw new IllegalArgumentException("rot90 cannot rotate in place");
        }
        FloatBuffer in = f32(images).f();
        FloatBuffer o = f32(out).f();
        int size = images.dim(1);
        int pixels = size * size;
        int turns = Rot90.normalize(quarterTurns);
        parallel.forRange(images.dim(0), Math.max(1, ELEMENTWISE_GRAIN / pixels), (from, to) -> {
            for (int b = from; b < to; b++) {
                int base = b * pixels;
                for (int r = 0; r < size; r++) {
                    for (int c = 0; c < size; c++) {
                        o.put(base + r * size + c, in.get(base + Rot90.sourceIndex(size, turns, r, c)));
                    }
                }
            }
        });
    }

    @Override
    public void synchronize() {
        // CPU work completes before each call returns.
    }

    @Override
    public void close() {
        parallel.close();
    }
}
