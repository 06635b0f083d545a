package dev.esae.compute.cuda;

import dev.esae.compute.Backend;
import dev.esae.compute.ConvGeometry;
import dev.esae.compute.DType;
import dev.esae.compute.OpShapes;
import dev.esae.compute.Rot90;
import dev.esae.compute.Tensor;

/**
 * The CUDA backend: every {@link Backend} operation as a launch of esae's kernels
 * ({@code kernels/*.cu}) on one stream, with tensors in a caching device-memory pool.
 *
 * <p>It computes in float32 (float64 tensors can be made, filled, copied and read back, for the
 * same checks as on the CPU, but not computed on). TopK takes K up to {@value #MAX_K}. Indices are
 * not bounds-checked on the device. {@link #sparseOuterAccumulate} adds with atomics, so its
 * last bits can differ between runs; every other operation gives the same bits on every run.
 */
public final class CudaBackend implements Backend {
    /** The largest K of {@link #topk} (the kernel keeps the K candidates in shared memory). */
    public static final int MAX_K = 128;
    private static final int THREADS = 256;
    private static final int MAX_BLOCKS = 4096;
    private static final int MAX_PARTIALS = 1024;

    private final DeviceRuntime runtime;
    private final GemmEngine gemm;
    private final DeviceMemoryPool pool;
    private final int threads;
    /** Per-block partial sums of the two-launch reductions (stream order makes one buffer enough). */
    private final long partials;
    private boolean closed;

    /** A backend on {@code runtime} that multiplies matrices with {@code gemm}; owns both. */
    CudaBackend(DeviceRuntime runtime, GemmEngine gemm, int threads) {
        this.runtime = runtime;
        this.gemm = gemm;
        this.pool = new DeviceMemoryPool(runtime);
        this.threads = threads;
        this.partials = pool.allocate((long) MAX_PARTIALS * Double.BYTES);
    }

    /** A backend running esae's own GEMM kernel (the emulator's, and where cuBLAS 12 is missing). */
    public static CudaBackend withKernelGemm(DeviceRuntime runtime, String why, int threads) {
        return new CudaBackend(runtime, new KernelGemm(runtime, why), threads);
    }

    @Override
    public boolean computesDouble() {
        return false;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        return "cuda: " + runtime.description() + "; GEMM: " + gemm.description();
    }

    @Override
    public int threads() {
        return threads;
    }

    /** Device memory in use and cached by the pool, and how often it asked the driver for more. */
    public DeviceMemoryPool.Usage memoryUsage() {
        return pool.usage();
    }

    void release(long address) {
        if (!closed) {
            pool.release(address);
        }
    }

    // ---- argument checks ----

    private CudaTensor cuda(Tensor t) {
        if (!(t instanceof CudaTensor c) || t.backend() != this) {
            throw new IllegalArgumentException("tensor " + t + " belongs to backend " + t.backend().name() + ", not this cuda backend");
        }
        return c;
    }

    private long typed(Tensor t, DType type) {
        if (t.dtype() != type) {
            throw new IllegalArgumentException("expected a " + type + " tensor, got " + t
                    + (t.dtype() == DType.F64 ? " (the CUDA backend computes in float32)" : ""));
        }
        return cuda(t).address();
    }

    private long f32(Tensor t) {
        return typed(t, DType.F32);
    }

    private long i32(Tensor t) {
        return typed(t, DType.I32);
    }

    private static int blocks(long n, int cap) {
        return (int) Math.max(1, Math.min(cap, (n + THREADS - 1) / THREADS));
    }

    private void elementwise(String kernel, long n, KernelArgs args) {
        runtime.launch(kernel, blocks(n, MAX_BLOCKS), 1, 1, THREADS, 1, 1, args);
    }

    // ---- memory ----

    private CudaTensor allocate(DType dtype, int[] shape) {
        long bytes = Tensor.sizeOf(shape) * dtype.bytes();
        return new CudaTensor(this, dtype, shape, pool.allocate(bytes));
    }

    @Override
    public Tensor zeros(DType dtype, int... shape) {
        CudaTensor t = allocate(dtype, shape);
        long words = t.bytes() / Float.BYTES;  // +0.0f is all zero bits, for every dtype
        elementwise("fill_f32", words, KernelArgs.of().ptr(t.address()).i64(words).f32(0f));
        return t;
    }

    @Override
    public Tensor upload(float[] values, int... shape) {
        OpShapes.requireLength(values.length, shape);
        CudaTensor t = allocate(DType.F32, shape);
        runtime.copyIn(t.address(), values, t.bytes());
        return t;
    }

    @Override
    public Tensor uploadInts(int[] values, int... shape) {
        OpShapes.requireLength(values.length, shape);
        CudaTensor t = allocate(DType.I32, shape);
        runtime.copyIn(t.address(), values, t.bytes());
        return t;
    }

    @Override
    public Tensor uploadDoubles(double[] values, int... shape) {
        OpShapes.requireLength(values.length, shape);
        CudaTensor t = allocate(DType.F64, shape);
        runtime.copyIn(t.address(), values, t.bytes());
        return t;
    }

    @Override
    public double[] downloadDoubles(Tensor t) {
        double[] out = new double[OpShapes.intSize(t)];
        runtime.copyOut(typed(t, DType.F64), out, t.size() * Double.BYTES);
        return out;
    }

    @Override
    public float[] download(Tensor t) {
        float[] out = new float[OpShapes.intSize(t)];
        runtime.copyOut(f32(t), out, t.size() * Float.BYTES);
        return out;
    }

    @Override
    public int[] downloadInts(Tensor t) {
        int[] out = new int[OpShapes.intSize(t)];
        runtime.copyOut(i32(t), out, t.size() * Integer.BYTES);
        return out;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CudaTensor s = cuda(src);
        CudaTensor d = cuda(dst);
        if (s.size() != d.size() || s.dtype() != d.dtype()) {
            throw new IllegalArgumentException("copy " + src + " to " + dst + ": sizes or dtypes differ");
        }
        runtime.copyDevice(d.address(), s.address(), s.bytes());
    }

    @Override
    public void fill(Tensor t, float value) {
        if (t.dtype() == DType.F64) {
            elementwise("fill_f64", t.size(), KernelArgs.of().ptr(cuda(t).address()).i64(t.size()).f64(value));
        } else {
            elementwise("fill_f32", t.size(), KernelArgs.of().ptr(f32(t)).i64(t.size()).f32(value));
        }
    }

    // ---- linear algebra ----

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int[] mnk = OpShapes.gemm(transA, transB, a, b, c);
        gemm.sgemm(transA, transB, mnk[0], mnk[1], mnk[2], alpha, f32(a), a.dim(1), 0, f32(b), b.dim(1), 0,
                beta, f32(c), c.dim(1), 0, 1);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int[] s = OpShapes.gemmBatched(transA, transB, a, b, c);
        long strideA = a.dim(0) == 1 ? 0 : a.rowSize();
        long strideB = b.dim(0) == 1 ? 0 : b.rowSize();
        gemm.sgemm(transA, transB, s[1], s[2], s[3], alpha, f32(a), a.dim(2), strideA, f32(b), b.dim(2), strideB,
                beta, f32(c), c.dim(2), c.rowSize(), s[0]);
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        OpShapes.requireSameSize(x, y);
        elementwise("axpy_f32", x.size(), KernelArgs.of().ptr(f32(x)).ptr(f32(y)).i64(x.size()).f32(alpha));
    }

    // ---- elementwise ----

    @Override
    public void addRowVector(Tensor x, Tensor bias) {
        int cols = OpShapes.intSize(bias);
        OpShapes.rowsOf(x, cols, "bias");
        elementwise("add_row_vector_f32", x.size(), KernelArgs.of().ptr(f32(x)).ptr(f32(bias)).i64(x.size()).i32(cols));
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        OpShapes.requireSameSize(x, y);
        elementwise("relu_f32", x.size(), KernelArgs.of().ptr(f32(x)).ptr(f32(y)).i64(x.size()));
    }

    @Override
    public void reluBackward(Tensor gradOut, Tensor output, Tensor gradIn) {
        OpShapes.requireSameSize(gradOut, output);
        OpShapes.requireSameSize(gradOut, gradIn);
        elementwise("relu_backward_f32", gradOut.size(),
                KernelArgs.of().ptr(f32(gradOut)).ptr(f32(output)).ptr(f32(gradIn)).i64(gradOut.size()));
    }

    // ---- convolution ----

    private KernelArgs convArgs(long from, long to, int batch, ConvGeometry g) {
        return KernelArgs.of().ptr(from).ptr(to).i32(batch).i32(g.channels()).i32(g.inH()).i32(g.inW())
                .i32(g.kernelH()).i32(g.kernelW()).i32(g.stride()).i32(g.padding()).i32(g.outH()).i32(g.outW());
    }

    @Override
    public void im2col(Tensor input, ConvGeometry g, Tensor cols) {
        int batch = OpShapes.conv(input, g, cols);
        elementwise("im2col_f32", cols.size(), convArgs(f32(input), f32(cols), batch, g));
    }

    @Override
    public void col2im(Tensor cols, ConvGeometry g, Tensor input) {
        int batch = OpShapes.conv(input, g, cols);
        elementwise("col2im_f32", input.size(), convArgs(f32(cols), f32(input), batch, g));
    }

    // ---- losses and optimisers ----

    /** Launches a partial-sum kernel's grid, then adds its partials into {@code out[0]} / divisor. */
    private void reduce(String kernel, long n, KernelArgs args, long out, double divisor) {
        int parts = blocks(n, MAX_PARTIALS);
        runtime.launch(kernel, parts, 1, 1, THREADS, 1, 1, args.ptr(partials));
        runtime.launch("finish_sum_f32", 1, 1, 1, THREADS, 1, 1,
                KernelArgs.of().ptr(partials).i32(parts).ptr(out).f64(divisor));
    }

    @Override
    public void mseLoss(Tensor pred, Tensor target, Tensor grad, Tensor loss) {
        int n = OpShapes.mse(pred, target, grad, loss);
        reduce("mse_partial_f32", n, KernelArgs.of().ptr(f32(pred)).ptr(f32(target)).ptr(f32(grad)).i64(n)
                .f32((float) (2.0 / n)), f32(loss), n);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, long t) {
        OpShapes.adam(param, grad, m, v, t);
        // The scalars as PyTorch computes them: in double, then applied in float.
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        elementwise("adam_f32", param.size(), KernelArgs.of().ptr(f32(param)).ptr(f32(grad)).ptr(f32(m)).ptr(f32(v))
                .i64(param.size()).f32(beta1).f32(beta2).f32((float) (lr / bc1)).f32((float) Math.sqrt(bc2)).f32(eps));
    }

    @Override
    public void gatherRows(Tensor src, Tensor indices, Tensor dst) {
        OpShapes.gatherRows(src, indices, dst);
        elementwise("gather_rows_f32", dst.size(), KernelArgs.of().ptr(f32(src)).ptr(i32(indices)).ptr(f32(dst))
                .i32(dst.dim(0)).i32(dst.dim(1)));
    }

    // ---- reductions ----

    @Override
    public void sumRows(Tensor x, float beta, Tensor out) {
        int cols = OpShapes.intSize(out);
        int rows = OpShapes.rowsOf(x, cols, "output");
        runtime.launch("sum_rows_f32", (cols + 31) / 32, 1, 1, 32, 8, 1,
                KernelArgs.of().ptr(f32(x)).i32(rows).i32(cols).f32(beta).ptr(f32(out)));
    }

    @Override
    public void sumSquares(Tensor x, Tensor out) {
        OpShapes.oneValue(out, "sumSquares");
        reduce("sum_squares_partial_f32", x.size(), KernelArgs.of().ptr(f32(x)).i64(x.size()), f32(out), 1.0);
    }

    // ---- selection ----

    @Override
    public void topk(Tensor x, int k, Tensor values, Tensor indices) {
        int[] rc = OpShapes.topk(x, k, values, indices);
        if (k > MAX_K) {
            throw new IllegalArgumentException("topk on CUDA takes k <= " + MAX_K + ", got " + k);
        }
        runtime.launch("topk_f32", rc[0], 1, 1, THREADS, 1, 1,
                KernelArgs.of().ptr(f32(x)).i32(rc[0]).i32(rc[1]).i32(k).ptr(f32(values)).ptr(i32(indices)));
    }

    // ---- sparse rows ----

    /** Threads for a loop over D: whole warps, at most {@value #THREADS}. */
    private static int rowThreads(int d) {
        return Math.min(THREADS, (d + 31) / 32 * 32);
    }

    @Override
    public void sparseDecode(Tensor values, Tensor indices, Tensor rows, Tensor out) {
        int[] s = OpShapes.sparse(values, indices, rows);
        OpShapes.matrix(out, s[0], s[3], "sparseDecode output");
        runtime.launch("sparse_decode_f32", s[0], 1, 1, rowThreads(s[3]), 1, 1, KernelArgs.of().ptr(f32(values))
                .ptr(i32(indices)).ptr(f32(rows)).ptr(f32(out)).i32(s[0]).i32(s[1]).i32(s[3]));
    }

    @Override
    public void sparseOuterAccumulate(Tensor values, Tensor indices, Tensor x, Tensor rowsGrad) {
        int[] s = OpShapes.sparse(values, indices, rowsGrad);
        OpShapes.matrix(x, s[0], s[3], "sparseOuterAccumulate input");
        runtime.launch("sparse_outer_accumulate_f32", s[0], 1, 1, rowThreads(s[3]), 1, 1, KernelArgs.of()
                .ptr(f32(values)).ptr(i32(indices)).ptr(f32(x)).ptr(f32(rowsGrad)).i32(s[0]).i32(s[1]).i32(s[3]));
    }

    @Override
    public void sparseDots(Tensor x, Tensor indices, Tensor rows, Tensor out) {
        int[] s = OpShapes.sparseDots(x, indices, rows, out);
        runtime.launch("sparse_dots_f32", s[0], 1, 1, THREADS, 1, 1, KernelArgs.of().ptr(f32(x)).ptr(i32(indices))
                .ptr(f32(rows)).ptr(f32(out)).i32(s[0]).i32(s[1]).i32(s[3]));
    }

    @Override
    public void updateDeadLatents(Tensor values, Tensor indices, int rows, int deadAfter, Tensor rowsSinceFired, Tensor deadMask) {
        int[] s = OpShapes.updateDeadLatents(values, indices, rows, deadAfter, rowsSinceFired, deadMask);
        long counters = i32(rowsSinceFired);
        long mask = f32(deadMask);
        // Advance all, then reset the fired: the stream keeps the two launches in order.
        elementwise("dead_latents_advance", s[1], KernelArgs.of().ptr(counters).ptr(mask).i32(s[1]).i32(rows).i32(deadAfter));
        elementwise("dead_latents_reset_fired", s[0], KernelArgs.of().ptr(f32(values)).ptr(i32(indices)).i64(s[0])
                .ptr(counters).ptr(mask).i32(deadAfter));
    }

    @Override
    public void normalizeRows(Tensor w) {
        OpShapes.rowMatrix(w, "normalizeRows");
        runtime.launch("normalize_rows_f32", w.dim(0), 1, 1, THREADS, 1, 1,
                KernelArgs.of().ptr(f32(w)).i32(w.dim(0)).i32(w.dim(1)));
    }

    @Override
    public void projectOutRows(Tensor grad, Tensor w) {
        OpShapes.projectOutRows(grad, w);
        runtime.launch("project_out_rows_f32", w.dim(0), 1, 1, THREADS, 1, 1,
                KernelArgs.of().ptr(f32(grad)).ptr(f32(w)).i32(w.dim(0)).i32(w.dim(1)));
    }

    // ---- images ----

    @Override
    public void rot90(Tensor images, int quarterTurns, Tensor out) {
        OpShapes.rot90(images, out);
        elementwise("rot90_f32", images.size(), KernelArgs.of().ptr(f32(images)).ptr(f32(out))
                .i32(images.dim(0)).i32(images.dim(1)).i32(Rot90.normalize(quarterTurns)));
    }

    @Override
    public void synchronize() {
        runtime.synchronize();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            runtime.synchronize();
        } finally {
            closed = true;
            gemm.close();
            pool.close();
            runtime.close();
        }
    }
}
