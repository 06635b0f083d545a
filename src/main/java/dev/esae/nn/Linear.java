package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.SplittableRandom;

/** {@code y = x W^T + b} with {@code W [out, in]} (PyTorch's layout). */
public final class Linear extends AffineLayer {
    private final int in;
    private final int out;
    private final boolean inputGrad;
    private final Buffer output;
    private final Buffer gradInput;
    private Tensor lastInput;

    /**
     * @param inputGrad whether {@link #backward} computes the input gradient (not needed by a
     *     model's first layer)
     */
    public Linear(Backend backend, DType dtype, int in, int out, boolean inputGrad, SplittableRandom rng) {
        super(backend, dtype, new int[] {out, in}, out, in, rng);
        this.in = in;
        this.out = out;
        this.inputGrad = inputGrad;
        this.output = buffer(out);
        this.gradInput = buffer(in);
    }

    @Override
    public String describe() {
        return "Linear(" + in + ", " + out + ")";
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public long trainingFlopsPerSample() {
        return 2L * in * out * (inputGrad ? 3 : 2);
    }

    @Override
    public Tensor forward(Tensor input) {
        int batch = input.dim(0);
        lastInput = input.reshape(batch, in);
        Tensor y = output.rows(batch);
        backend.gemm(false, true, 1f, lastInput, weight.value(), 0f, y);
        backend.addRowVector(y, bias.value());
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        int batch = lastInput.dim(0);
        Tensor dy = gradOutput.reshape(batch, out);
        backend.gemm(true, false, 1f, dy, lastInput, 0f, weight.grad());
        backend.sumRows(dy, 0f, bias.grad());
        if (!inputGrad) {
            return null;
        }
        Tensor dx = gradInput.rows(batch);
        backend.gemm(false, false, 1f, dy, weight.value(), 0f, dx);
        return dx;
    }
}
