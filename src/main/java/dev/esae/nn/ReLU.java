package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.List;

/** {@code y = max(x, 0)}; its backward pass passes the gradient where the output is positive. */
public final class ReLU implements Layer {
    private final Backend backend;
    private final int size;
    private final Buffer output;
    private final Buffer gradInput;
    private Tensor lastOutput;

    public ReLU(Backend backend, DType dtype, int size) {
        this.backend = backend;
        this.size = size;
        this.output = new Buffer(backend, dtype, size);
        this.gradInput = new Buffer(backend, dtype, size);
    }

    @Override
    public String describe() {
        return "ReLU()";
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public long trainingFlopsPerSample() {
        return 0;
    }

    @Override
    public Tensor forward(Tensor input) {
        int batch = input.dim(0);
        lastOutput = output.rows(batch);
        backend.relu(input.reshape(batch, size), lastOutput);
        return lastOutput;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        int batch = lastOutput.dim(0);
        Tensor dx = gradInput.rows(batch);
        backend.reluBackward(gradOutput.reshape(batch, size), lastOutput, dx);
        return dx;
    }

    /** The output of the last forward pass (tests read its sign pattern to detect kink crossings). */
    Tensor lastOutput() {
        return lastOutput;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public void close() {
        output.close();
        gradInput.close();
    }
}
