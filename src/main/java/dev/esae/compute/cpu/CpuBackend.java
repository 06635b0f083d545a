package dev.esae.compute.cpu;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static dev.esae.compute.OpShapes.intSize;
import static dev.esae.compute.OpShapes.requireLength;
import static dev.esae.compute.OpShapes.requireSameSize;

import dev.esae.compute.Backend;
import dev.esae.compute.ConvGeometry;
import dev.esae.compute.DType;
import dev.esae.compute.OpShapes;
import dev.esae.compute.Rot90;
import dev.esae.compute.Tensor;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The CPU backend: OpenBLAS GEMM on off-heap memory, and the other operations in Java over direct
 * buffers, split across {@link #threads()} threads where the work is large enough. The operations
 * that layers use also run in float64 (for gradient checks); the rest are float32 only.
 */
public final class CpuBackend implements Backend {
    /** Elements per chunk below which elementwise work stays on one thread. */
    private static final int ELEMENTWISE_GRAIN = 1 << 15;

    private final int threads;
    private final CpuParallel parallel;
    private final Map<ConvGeometry, int[]> gatherMaps = new ConcurrentHashMap<>();

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

    private static CpuTensor typed(Tensor t, DType type) {
        CpuTensor c = cpu(t);
        if (c.dtype() != type) {
            throw new IllegalArgumentException("expected a " + type + " tensor, got " + t);
        }
        return c;
    }

    private static CpuTensor f32(Tensor t) {
        return typed(t, DType.F32);
    }

    /** True for F64, false for F32; anything else, or a mix with {@code others}, is refused. */
    private static boolean isF64(Tensor first, Tensor... others) {
        DType type = first.dtype();
        if (type != DType.F32 && type != DType.F64) {
            throw new IllegalArgumentException("expected a float tensor, got " + first);
        }
        for (Tensor o : others) {
            if (o.dtype() != type) {
                throw new IllegalArgumentException("mixed precision: " + first + " and " + o);
            }
        }
        return type == DType.F64;
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
    public Tensor uploadDoubles(double[] values, int... shape) {
        requireLength(values.length, shape);
        CpuTensor t = new CpuTensor(this, DType.F64, shape);
        t.doubles.duplicate().put(values);
        return t;
    }

    @Override
    public Tensor uploadInts(int[] values, int... shape) {
        requireLength(values.length, shape);
        CpuTensor t = new CpuTensor(this, DType.I32, shape);
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
        boolean f64 = isF64(a, b, c);
        int[] mnk = OpShapes.gemm(transA, transB, a, b, c);
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        int ta = transA ? CblasTrans : CblasNoTrans;
        int tb = transB ? CblasTrans : CblasNoTrans;
        if (f64) {
            openblas_nolapack.cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, cpu(a).doublePointer(), a.dim(1),
                    cpu(b).doublePointer(), b.dim(1), beta, cpu(c).doublePointer(), c.dim(1));
        } else {
            openblas_nolapack.cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, cpu(a).floatPointer(), a.dim(1),
                    cpu(b).floatPointer(), b.dim(1), beta, cpu(c).floatPointer(), c.dim(1));
        }
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        requireSameSize(x, y);
        if (isF64(x, y)) {
            openblas_nolapack.cblas_daxpy(intSize(x), alpha, cpu(x).doublePointer(), 1, cpu(y).doublePointer(), 1);
        } else {
            openblas_nolapack.cblas_saxpy(intSize(x), alpha, cpu(x).floatPointer(), 1, cpu(y).floatPointer(), 1);
        }
    }

    // ---- elementwise ----

    @Override
    public void addRowVector(Tensor x, Tensor bias) {
        boolean f64 = isF64(x, bias);
        int cols = intSize(bias);
        int rows = OpShapes.rowsOf(x, cols, "bias");
        int grain = Math.max(1, ELEMENTWISE_GRAIN / cols);
        if (f64) {
            DoubleBuffer xb = cpu(x).d();
            DoubleBuffer bb = cpu(bias).d();
            parallel.forRange(rows, grain, (from, to) -> {
                for (int i = from * cols; i < to * cols; i++) {
                    xb.put(i, xb.get(i) + bb.get(i % cols));
                }
            });
        } else if (VectorSupport.available()) {
            java.nio.ByteBuffer xb = cpu(x).b();
            java.nio.ByteBuffer bb = cpu(bias).b();
            int xAt = cpu(x).base;
            int bAt = cpu(bias).base;
            parallel.forRange(rows, grain, (from, to) -> VectorOps.addRowVector(xb, xAt, bb, bAt, cols, from, to));
        } else {
            FloatBuffer xb = cpu(x).f();
            FloatBuffer bb = cpu(bias).f();
            parallel.forRange(rows, grain, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int base = r * cols;
                    for (int j = 0; j < cols; j++) {
                        xb.put(base + j, xb.get(base + j) + bb.get(j));
                    }
                }
            });
        }
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        requireSameSize(x, y);
        if (isF64(x, y)) {
            DoubleBuffer xb = cpu(x).d();
            DoubleBuffer yb = cpu(y).d();
            parallel.forRange(intSize(x), ELEMENTWISE_GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) {
                    double v = xb.get(i);
                    yb.put(i, v > 0 ? v : 0);
                }
            });
        } else if (VectorSupport.available()) {
            java.nio.ByteBuffer xb = cpu(x).b();
            java.nio.ByteBuffer yb = cpu(y).b();
            int xAt = cpu(x).base;
            int yAt = cpu(y).base;
            parallel.forRange(intSize(x), ELEMENTWISE_GRAIN, (from, to) -> VectorOps.relu(xb, xAt, yb, yAt, from, to));
        } else {
            FloatBuffer xb = cpu(x).f();
            FloatBuffer yb = cpu(y).f();
            parallel.forRange(intSize(x), ELEMENTWISE_GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float v = xb.get(i);
                    yb.put(i, v > 0f ? v : 0f);
                }
            });
        }
    }

    @Override
    public void reluBackward(Tensor gradOut, Tensor output, Tensor gradIn) {
        requireSameSize(gradOut, output);
        requireSameSize(gradOut, gradIn);
        if (isF64(gradOut, output, gradIn)) {
            DoubleBuffer g = cpu(gradOut).d();
            DoubleBuffer o = cpu(output).d();
            DoubleBuffer gi = cpu(gradIn).d();
            parallel.forRange(intSize(gradOut), ELEMENTWISE_GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) {
                    gi.put(i, o.get(i) > 0 ? g.get(i) : 0);
                }
            });
        } else if (VectorSupport.available()) {
            java.nio.ByteBuffer g = cpu(gradOut).b();
            java.nio.ByteBuffer o = cpu(output).b();
            java.nio.ByteBuffer gi = cpu(gradIn).b();
            int gAt = cpu(gradOut).base;
            int oAt = cpu(output).base;
            int giAt = cpu(gradIn).base;
            parallel.forRange(intSize(gradOut), ELEMENTWISE_GRAIN,
                    (from, to) -> VectorOps.reluBackward(g, gAt, o, oAt, gi, giAt, from, to));
        } else {
            FloatBuffer g = cpu(gradOut).f();
            FloatBuffer o = cpu(output).f();
            FloatBuffer gi = cpu(gradIn).f();
            parallel.forRange(intSize(gradOut), ELEMENTWISE_GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) {
                    gi.put(i, o.get(i) > 0f ? g.get(i) : 0f);
                }
            });
        }
    }

    // ---- convolution ----

    private int[] gatherMap(ConvGeometry g) {
        return gatherMaps.computeIfAbsent(g, ConvGeometry::gatherMap);
    }

    @Override
    public void im2col(Tensor input, ConvGeometry g, Tensor cols) {
        boolean f64 = isF64(input, cols);
        int batch = OpShapes.conv(input, g, cols);
        int[] map = gatherMap(g);
        int in = g.inputSize();
        int per = map.length;
        if (f64) {
            DoubleBuffer x = cpu(input).d();
            DoubleBuffer c = cpu(cols).d();
            parallel.forRange(batch, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    for (int j = 0; j < per; j++) {
                        int src = map[j];
                        c.put(b * per + j, src < 0 ? 0 : x.get(b * in + src));
                    }
                }
            });
        } else {
            FloatBuffer x = cpu(input).f();
            FloatBuffer c = cpu(cols).f();
            parallel.forRange(batch, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    int xo = b * in;
                    int co = b * per;
                    for (int j = 0; j < per; j++) {
                        int src = map[j];
                        c.put(co + j, src < 0 ? 0f : x.get(xo + src));
                    }
                }
            });
        }
    }

    @Override
    public void col2im(Tensor cols, ConvGeometry g, Tensor input) {
        boolean f64 = isF64(input, cols);
        int batch = OpShapes.conv(input, g, cols);
        int[] map = gatherMap(g);
        int in = g.inputSize();
        int per = map.length;
        // Each image's pixels are written by that image's rows only, so images run in parallel.
        if (f64) {
            DoubleBuffer x = cpu(input).d();
            DoubleBuffer c = cpu(cols).d();
            parallel.forRange(batch, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    for (int i = 0; i < in; i++) {
                        x.put(b * in + i, 0);
                    }
                    for (int j = 0; j < per; j++) {
                        int dst = map[j];
                        if (dst >= 0) {
                            x.put(b * in + dst, x.get(b * in + dst) + c.get(b * per + j));
                        }
                    }
                }
            });
        } else {
            FloatBuffer x = cpu(input).f();
            FloatBuffer c = cpu(cols).f();
            parallel.forRange(batch, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    int xo = b * in;
                    int co = b * per;
                    for (int i = 0; i < in; i++) {
                        x.put(xo + i, 0f);
                    }
                    for (int j = 0; j < per; j++) {
                        int dst = map[j];
                        if (dst >= 0) {
                            x.put(xo + dst, x.get(xo + dst) + c.get(co + j));
                        }
                    }
                }
            });
        }
    }

    // ---- losses and optimisers ----

    @Override
    public void mseLoss(Tensor pred, Tensor target, Tensor grad, Tensor loss) {
        int n = OpShapes.mse(pred, target, grad, loss);
        double acc = 0;
        if (isF64(pred, target, grad, loss)) {
            DoubleBuffer p = cpu(pred).d();
            DoubleBuffer t = cpu(target).d();
            DoubleBuffer g = cpu(grad).d();
            double scale = 2.0 / n;
            for (int i = 0; i < n; i++) {
                double diff = p.get(i) - t.get(i);
                acc += diff * diff;
                g.put(i, scale * diff);
            }
            cpu(loss).d().put(0, acc / n);
        } else {
            FloatBuffer p = cpu(pred).f();
            FloatBuffer t = cpu(target).f();
            FloatBuffer g = cpu(grad).f();
            float scale = (float) (2.0 / n);
            for (int i = 0; i < n; i++) {
                float diff = p.get(i) - t.get(i);
                acc += (double) diff * diff;
                g.put(i, scale * diff);
            }
            cpu(loss).f().put(0, (float) (acc / n));
        }
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, long t) {
        OpShapes.adam(param, grad, m, v, t);
        FloatBuffer p = f32(param).f();
        FloatBuffer g = f32(grad).f();
        FloatBuffer mb = f32(m).f();
        FloatBuffer vb = f32(v).f();
        // The scalars as PyTorch computes them: in double, then applied in float.
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float sqrtBc2 = (float) Math.sqrt(bc2);
        if (VectorSupport.available()) {
            java.nio.ByteBuffer pb = f32(param).b();
            java.nio.ByteBuffer gb = f32(grad).b();
            java.nio.ByteBuffer mbb = f32(m).b();
            java.nio.ByteBuffer vbb = f32(v).b();
            int pAt = cpu(param).base;
            int gAt = cpu(grad).base;
            int mAt = cpu(m).base;
            int vAt = cpu(v).base;
            parallel.forRange(intSize(param), ELEMENTWISE_GRAIN, (from, to) -> VectorOps.adam(pb, pAt, gb, gAt, mbb, mAt, vbb, vAt,
                    beta1, beta2, stepSize, sqrtBc2, eps, from, to));
            return;
        }
        float b1c = 1f - beta1;
        float b2c = 1f - beta2;
        parallel.forRange(intSize(param), ELEMENTWISE_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float gi = g.get(i);
                float mi = beta1 * mb.get(i) + b1c * gi;
                float vi = beta2 * vb.get(i) + b2c * gi * gi;
                mb.put(i, mi);
                vb.put(i, vi);
                p.put(i, p.get(i) - stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps));
            }
        });
    }

    @Override
    public void gatherRows(Tensor src, Tensor indices, Tensor dst) {
        OpShapes.gatherRows(src, indices, dst);
        CpuTensor s = f32(src);
        CpuTensor d = f32(dst);
        IntBuffer idx = typed(indices, DType.I32).i();
        int width = src.dim(1);
        long rowBytes = (long) width * Float.BYTES;
        org.bytedeco.javacpp.BytePointer dp = d.bytePointer();
        org.bytedeco.javacpp.BytePointer sp = s.bytePointer();
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

    // ---- reductions ----

    @Override
    public void sumRows(Tensor x, float beta, Tensor out) {
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

    @Override
    public void sumSquares(Tensor x, Tensor out) {
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

    // ---- selection ----

    @Override
    public void topk(Tensor x, int k, Tensor values, Tensor indices) {
        int[] rc = OpShapes.topk(x, k, values, indices);
        int rows = rc[0];
        int cols = rc[1];
        FloatBuffer xb = f32(x).f();
        FloatBuffer vb = f32(values).f();
        IntBuffer ib = typed(indices, DType.I32).i();
        boolean simd = VectorSupport.available();
        java.nio.ByteBuffer xBytes = cpu(x).b();
        int xAt = cpu(x).base;
        parallel.forRange(rows, Math.max(1, ELEMENTWISE_GRAIN / cols), (from, to) -> {
            TopKHeap heap = new TopKHeap(k);
            for (int r = from; r < to; r++) {
                if (simd) {
                    heap.selectRow(xBytes, xAt + r * cols, xb, r * cols, cols, vb, ib, r * k);
                } else {
                    heap.selectRow(xb, r * cols, cols, vb, ib, r * k);
                }
            }
        });
    }

    // ---- sparse rows ----

    /** Checks {@code values, indices [B, K]}, {@code rows [L, D]} and returns {B, K, L, D}. */
    private static int[] sparseShapes(Tensor values, Tensor indices, Tensor rows) {
        int[] s = OpShapes.sparse(values, indices, rows);
        typed(indices, DType.I32);
        f32(values);
        f32(rows);
        return s;
    }

    private static int index(IntBuffer idx, int at, int limit) {
        int i = idx.get(at);
        if (i < 0 || i >= limit) {
            throw new IndexOutOfBoundsException("sparse op: index " + i + " outside " + limit + " rows");
        }
        return i;
    }

    @Override
    public void sparseDecode(Tensor values, Tensor indices, Tensor rows, Tensor out) {
        int[] s = sparseShapes(values, indices, rows);
        int b = s[0];
        int k = s[1];
        int l = s[2];
        int d = s[3];
        OpShapes.matrix(out, b, d, "sparseDecode output");
        FloatBuffer v = f32(values).f();
        IntBuffer idx = cpu(indices).i();
        FloatBuffer w = f32(rows).f();
        FloatBuffer o = f32(out).f();
        boolean simd = VectorSupport.available();
        java.nio.ByteBuffer wBytes = cpu(rows).b();
        java.nio.ByteBuffer oBytes = cpu(out).b();
        int wAt = cpu(rows).base;
        int oAt = cpu(out).base;
        parallel.forRange(b, Math.max(1, ELEMENTWISE_GRAIN / (k * d)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int ob = r * d;
                for (int j = 0; j < d; j++) {
                    o.put(ob + j, 0f);
                }
                for (int q = 0; q < k; q++) {
                    float z = v.get(r * k + q);
                    if (z == 0f) {
                        continue;
                    }
                    int wb = index(idx, r * k + q, l) * d;
                    if (simd) {
                        VectorOps.axpyRow(oBytes, oAt + ob, wBytes, wAt + wb, z, d);
                        continue;
                    }
                    for (int j = 0; j < d; j++) {
                        o.put(ob + j, o.get(ob + j) + z * w.get(wb + j));
                    }
                }
            }
        });
    }

    @Override
    public void sparseOuterAccumulate(Tensor values, Tensor indices, Tensor x, Tensor rowsGrad) {
        int[] s = sparseShapes(values, indices, rowsGrad);
        int b = s[0];
        int k = s[1];
        int l = s[2];
        int d = s[3];
        OpShapes.matrix(x, b, d, "sparseOuterAccumulate input");
        FloatBuffer v = f32(values).f();
        IntBuffer idx = cpu(indices).i();
        FloatBuffer xb = f32(x).f();
        FloatBuffer g = f32(rowsGrad).f();
        boolean simd = VectorSupport.available();
        java.nio.ByteBuffer xBytes = cpu(x).b();
        java.nio.ByteBuffer gBytes = cpu(rowsGrad).b();
        int xAt = cpu(x).base;
        int gAt = cpu(rowsGrad).base;
        for (int e = 0; e < b * k; e++) {
            index(idx, e, l);
        }
        // Threads own disjoint ranges of rows and scan every (b, k) in order: no races, and each
        // row's sum is formed in the same order whatever the thread count.
        parallel.forRange(l, Math.max(1, l / Math.max(1, threads)), (from, to) -> {
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
                        VectorOps.axpyRow(gBytes, gAt + gb, xBytes, xAt + xo, z, d);
                        continue;
                    }
                    for (int j = 0; j < d; j++) {
                        g.put(gb + j, g.get(gb + j) + z * xb.get(xo + j));
                    }
                }
            }
        });
    }

    @Override
    public void sparseDots(Tensor x, Tensor indices, Tensor rows, Tensor out) {
        int[] s = OpShapes.sparseDots(x, indices, rows, out);
        int b = s[0];
        int k = s[1];
        int l = s[2];
        int d = s[3];
        FloatBuffer xb = f32(x).f();
        IntBuffer idx = typed(indices, DType.I32).i();
        FloatBuffer w = f32(rows).f();
        FloatBuffer o = f32(out).f();
        boolean simd = VectorSupport.available();
        java.nio.ByteBuffer xBytes = cpu(x).b();
        java.nio.ByteBuffer wBytes = cpu(rows).b();
        int xAt = cpu(x).base;
        int wAt = cpu(rows).base;
        parallel.forRange(b, Math.max(1, ELEMENTWISE_GRAIN / (k * d)), (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int q = 0; q < k; q++) {
                    int wb = index(idx, r * k + q, l) * d;
                    if (simd) {
                        o.put(r * k + q, VectorOps.dotRow(xBytes, xAt + r * d, wBytes, wAt + wb, d));
                        continue;
                    }
                    double acc = 0;
                    for (int j = 0; j < d; j++) {
                        acc += xb.get(r * d + j) * w.get(wb + j);
                    }
                    o.put(r * k + q, (float) acc);
                }
            }
        });
    }

    @Override
    public void updateDeadLatents(Tensor values, Tensor indices, int rows, int deadAfter, Tensor rowsSinceFired, Tensor deadMask) {
        int[] s = OpShapes.updateDeadLatents(values, indices, rows, deadAfter, rowsSinceFired, deadMask);
        CpuDeadLatents.update(f32(values).f(), typed(indices, DType.I32).i(), s[0], rows, deadAfter,
                typed(rowsSinceFired, DType.I32).i(), f32(deadMask).f(), s[1]);
    }

    @Override
    public void normalizeRows(Tensor w) {
        OpShapes.rowMatrix(w, "normalizeRows");
        int d = w.dim(1);
        FloatBuffer b = f32(w).f();
        if (VectorSupport.available()) {
            java.nio.ByteBuffer bytes = cpu(w).b();
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

    @Override
    public void projectOutRows(Tensor grad, Tensor w) {
        OpShapes.projectOutRows(grad, w);
        int d = w.dim(1);
        FloatBuffer g = f32(grad).f();
        FloatBuffer b = f32(w).f();
        if (VectorSupport.available()) {
            java.nio.ByteBuffer gBytes = cpu(grad).b();
            java.nio.ByteBuffer wBytes = cpu(w).b();
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
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += (double) g.get(r * d + j) * b.get(r * d + j);
                }
                float c = (float) dot;
                for (int j = 0; j < d; j++) {
                    g.put(r * d + j, g.get(r * d + j) - c * b.get(r * d + j));
                }
            }
        });
    }

    // ---- images ----

    @Override
    public void rot90(Tensor images, int quarterTurns, Tensor out) {
        OpShapes.rot90(images, out);
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
