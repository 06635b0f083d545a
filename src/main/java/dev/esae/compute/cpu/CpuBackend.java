package dev.esae.compute.cpu;

import static dev.esae.compute.OpShapes.intSize;
import static dev.esae.compute.OpShapes.requireLength;
import static dev.esae.compute.cpu.CpuOperands.cpu;
import static dev.esae.compute.cpu.CpuOperands.f32;
import static dev.esae.compute.cpu.CpuOperands.isF64;
import static dev.esae.compute.cpu.CpuOperands.typed;

import dev.esae.compute.Backend;
import dev.esae.compute.ConvGeometry;
import dev.esae.compute.DType;
import dev.esae.compute.OpShapes;
import dev.esae.compute.Tensor;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.Pointer;

/**
 * The CPU backend: OpenBLAS GEMM on off-heap memory, and the other operations in Java over direct
 * buffers, split across {@link #threads()} threads where the work is large enough. The operations
 * that layers use also run in float64 (for gradient checks); the rest are float32 only.
 *
 * <p>This class holds the backend's memory operations and hands each other operation to the class
 * of its family: {@link CpuLinearAlgebra}, {@link CpuElementwise}, {@link CpuConvolution},
 * {@link CpuReductions}, {@link CpuSparseRows} and {@link CpuImages}.
 */
public final class CpuBackend implements Backend {
    private final int threads;
    private final CpuParallel parallel;
    private final CpuElementwise elementwise;
    private final CpuConvolution convolution;
    private final CpuReductions reductions;
    private final CpuSparseRows sparseRows;
    private final CpuImages imageOps;

    /** Opens a CPU backend using {@code threads} threads for OpenBLAS and for its own loops. */
    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        OpenBlas.setThreads(threads);
        this.threads = threads;
        this.parallel = new CpuParallel(threads);
        this.elementwise = new CpuElementwise(parallel);
        this.convolution = new CpuConvolution(parallel);
        this.reductions = new CpuReductions(parallel);
        this.sparseRows = new CpuSparseRows(parallel);
        this.imageOps = new CpuImages(parallel);
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

    // ---- memory ----

    @Override
    public Tensor zeros(DType dtype, int... shape) {
        return new CpuTensor(this, dtype, shape);
    }

    /** A zero tensor of {@code dtype} and {@code shape}, which {@code length} host values must fill. */
    private CpuTensor forValues(DType dtype, int length, int[] shape) {
        requireLength(length, shape);
        return new CpuTensor(this, dtype, shape);
    }

    @Override
    public Tensor upload(float[] values, int... shape) {
        CpuTensor t = forValues(DType.F32, values.length, shape);
        t.floats.duplicate().put(values);
        return t;
    }

    @Override
    public Tensor uploadDoubles(double[] values, int... shape) {
        CpuTensor t = forValues(DType.F64, values.length, shape);
        t.doubles.duplicate().put(values);
        return t;
    }

    @Override
    public Tensor uploadInts(int[] values, int... shape) {
        CpuTensor t = forValues(DType.I32, values.length, shape);
        t.ints.duplicate().put(values);
        return t;
    }

    @Override
    public float[] download(Tensor t) {
        float[] out = new float[intSize(t)];
        f32(t).f().duplicate().get(out);
        return out;
    }

    @Override
    public double[] downloadDoubles(Tensor t) {
        double[] out = new double[intSize(t)];
        typed(t, DType.F64).d().duplicate().get(out);
        return out;
    }

    @Override
    public int[] downloadInts(Tensor t) {
        int[] out = new int[intSize(t)];
        typed(t, DType.I32).i().duplicate().get(out);
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
        int n = intSize(t);
        if (isF64(t)) {
            DoubleBuffer b = cpu(t).d();
            for (int i = 0; i < n; i++) {
                b.put(i, value);
            }
        } else {
            FloatBuffer b = cpu(t).f();
            for (int i = 0; i < n; i++) {
                b.put(i, value);
            }
        }
    }

    // ---- linear algebra ----

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        CpuLinearAlgebra.gemm(transA, transB, alpha, a, b, beta, c);
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        CpuLinearAlgebra.axpy(alpha, x, y);
    }

    // ---- elementwise, losses and optimisers ----

    @Override
    public void addRowVector(Tensor x, Tensor bias) {
        elementwise.addRowVector(x, bias);
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        elementwise.relu(x, y);
    }

    @Override
    public void reluBackward(Tensor gradOut, Tensor output, Tensor gradIn) {
        elementwise.reluBackward(gradOut, output, gradIn);
    }

    @Override
    public void mseLoss(Tensor pred, Tensor target, Tensor grad, Tensor loss) {
        elementwise.mseLoss(pred, target, grad, loss);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, long t) {
        elementwise.adamStep(param, grad, m, v, lr, beta1, beta2, eps, t);
    }

    // ---- convolution ----

    @Override
    public void im2col(Tensor input, ConvGeometry g, Tensor cols) {
        convolution.im2col(input, g, cols);
    }

    @Override
    public void col2im(Tensor cols, ConvGeometry g, Tensor input) {
        convolution.col2im(cols, g, input);
    }

    // ---- reductions and selection ----

    @Override
    public void sumRows(Tensor x, float beta, Tensor out) {
        reductions.sumRows(x, beta, out);
    }

    @Override
    public void sumSquares(Tensor x, Tensor out) {
        reductions.sumSquares(x, out);
    }

    @Override
    public void topk(Tensor x, int k, Tensor values, Tensor indices) {
        reductions.topk(x, k, values, indices);
    }

    // ---- rows by index, row norms ----

    @Override
    public void gatherRows(Tensor src, Tensor indices, Tensor dst) {
        sparseRows.gatherRows(src, indices, dst);
    }

    @Override
    public void sparseDecode(Tensor values, Tensor indices, Tensor rows, Tensor out) {
        sparseRows.sparseDecode(values, indices, rows, out);
    }

    @Override
    public void sparseOuterAccumulate(Tensor values, Tensor indices, Tensor x, Tensor rowsGrad) {
        sparseRows.sparseOuterAccumulate(values, indices, x, rowsGrad);
    }

    @Override
    public void sparseDots(Tensor x, Tensor indices, Tensor rows, Tensor out) {
        sparseRows.sparseDots(x, indices, rows, out);
    }

    @Override
    public void sparseBackward(Tensor values, Tensor indices, Tensor dOut, Tensor decoder, Tensor input, boolean accumulate,
            Tensor decoderGrad, Tensor encoderGrad, Tensor dValues) {
        sparseRows.sparseBackward(values, indices, dOut, decoder, input, accumulate, decoderGrad, encoderGrad, dValues);
    }

    @Override
    public void updateDeadLatents(Tensor values, Tensor indices, int rows, int deadAfter, Tensor rowsSinceFired, Tensor deadMask) {
        int[] s = OpShapes.updateDeadLatents(values, indices, rows, deadAfter, rowsSinceFired, deadMask);
        CpuDeadLatents.update(f32(values).f(), typed(indices, DType.I32).i(), s[0], rows, deadAfter,
                typed(rowsSinceFired, DType.I32).i(), f32(deadMask).f(), s[1]);
    }

    @Override
    public void normalizeRows(Tensor w) {
        sparseRows.normalizeRows(w);
    }

    @Override
    public void projectOutRows(Tensor grad, Tensor w) {
        sparseRows.projectOutRows(grad, w);
    }

    // ---- images ----

    @Override
    public void rot90(Tensor images, int quarterTurns, Tensor out) {
        imageOps.rot90(images, quarterTurns, out);
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
