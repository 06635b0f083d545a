package dev.esae.compute.cpu;

import static dev.esae.compute.OpShapes.intSize;
import static dev.esae.compute.OpShapes.requireSameSize;
import static dev.esae.compute.cpu.CpuOperands.cpu;
import static dev.esae.compute.cpu.CpuOperands.f32;
import static dev.esae.compute.cpu.CpuOperands.isF64;
import static dev.esae.compute.cpu.CpuParallel.ELEMENTWISE_GRAIN;

import dev.esae.compute.OpShapes;
import dev.esae.compute.Tensor;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The CPU backend's elementwise operations, where each output element depends only on the inputs
 * at the same position: the bias add (a row broadcast), ReLU and its backward pass, the MSE loss
 * and its gradient, and the Adam update. The ones layers use are also written for float64
 * (gradient checks); in float32, all but the loss run through {@link VectorOps} when
 * {@link VectorSupport} allows, else in scalar loops that apply the same float operations in the
 * same order, so both give the same bits.
 */
final class CpuElementwise {
    private final CpuParallel parallel;

    CpuElementwise(CpuParallel parallel) {
        this.parallel = parallel;
    }

    /** {@link dev.esae.compute.Backend#addRowVector}. */
    void addRowVector(Tensor x, Tensor bias) {
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
            ByteBuffer xb = cpu(x).b();
            ByteBuffer bb = cpu(bias).b();
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

    /** {@link dev.esae.compute.Backend#relu}. */
    void relu(Tensor x, Tensor y) {
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
            ByteBuffer xb = cpu(x).b();
            ByteBuffer yb = cpu(y).b();
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

    /** {@link dev.esae.compute.Backend#reluBackward}. */
    void reluBackward(Tensor gradOut, Tensor output, Tensor gradIn) {
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
            ByteBuffer g = cpu(gradOut).b();
            ByteBuffer o = cpu(output).b();
            ByteBuffer gi = cpu(gradIn).b();
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

    /** {@link dev.esae.compute.Backend#mseLoss}. */
    void mseLoss(Tensor pred, Tensor target, Tensor grad, Tensor loss) {
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
            // Four running sums, not one: one chain of dependent double additions was the loop's
            // whole cost (the gradient does not depend on the order; the loss moves in its last bits).
            double a0 = 0;
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                float d0 = p.get(i) - t.get(i);
                float d1 = p.get(i + 1) - t.get(i + 1);
                float d2 = p.get(i + 2) - t.get(i + 2);
                float d3 = p.get(i + 3) - t.get(i + 3);
                a0 += (double) d0 * d0;
                a1 += (double) d1 * d1;
                a2 += (double) d2 * d2;
                a3 += (double) d3 * d3;
                g.put(i, scale * d0);
                g.put(i + 1, scale * d1);
                g.put(i + 2, scale * d2);
                g.put(i + 3, scale * d3);
            }
            for (; i < n; i++) {
                float diff = p.get(i) - t.get(i);
                a0 += (double) diff * diff;
                g.put(i, scale * diff);
            }
            acc = (a0 + a1) + (a2 + a3);
            cpu(loss).f().put(0, (float) (acc / n));
        }
    }

    /** {@link dev.esae.compute.Backend#adamStep}. */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, long t) {
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
            ByteBuffer pb = f32(param).b();
            ByteBuffer gb = f32(grad).b();
            ByteBuffer mbb = f32(m).b();
            ByteBuffer vbb = f32(v).b();
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
}
