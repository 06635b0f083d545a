package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;

/**
 * A trainable tensor and its gradient. {@code shape} is the PyTorch layout of the weight (e.g.
 * {@code [out, in, kh, kw]} for a convolution), which is how it is saved; the tensors themselves
 * may be viewed with another shape by the layer that owns them.
 */
public final class Parameter implements AutoCloseable {
    private final String name;
    private final int[] shape;
    private final Tensor value;
    private final Tensor grad;

    /** A parameter of {@code shape} holding {@code init} (row-major), with a zero gradient. */
    public Parameter(Backend backend, DType dtype, String name, int[] shape, double[] init) {
        this.name = name;
        this.shape = shape.clone();
        this.value = dtype == DType.F64 ? backend.uploadDoubles(init, shape) : backend.upload(toFloats(init), shape);
        this.grad = backend.zeros(dtype, shape);
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** The name within its module, e.g. {@code weight}. */
    public String name() {
        return name;
    }

    /** A copy of the saved (PyTorch) shape. */
    public int[] shape() {
        return shape.clone();
    }

    public Tensor value() {
        return value;
    }

    /** The gradient of the last backward pass (overwritten by each pass, not accumulated). */
    public Tensor grad() {
        return grad;
    }

    @Override
    public void close() {
        value.close();
        grad.close();
    }
}
