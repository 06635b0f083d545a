package dev.esae.nn;

import dev.esae.compute.Tensor;
import java.util.List;

/**
 * One layer with an explicit backward pass. Inputs are batches: dimension 0 is the batch, the rest
 * is one sample (any shape of the right size). A layer owns its output and input-gradient buffers,
 * sized for the largest batch seen and reused, so a training step allocates no tensor memory; the
 * tensors it returns stay valid until its next call.
 */
public interface Layer extends AutoCloseable {
    /** A description such as {@code Linear(4096, 256)}. */
    String describe();

    /** Values per sample at the input. */
    int inputSize();

    /** Values per sample at the output. */
    int outputSize();

    /** The output for {@code input}; the layer keeps what its backward pass needs. */
    Tensor forward(Tensor input);

    /**
     * Given the gradient of the loss with respect to the last output, sets each parameter's
     * gradient and returns the gradient with respect to the last input ({@code null} when the layer
     * was built without one, e.g. the first layer of a model).
     */
    Tensor backward(Tensor gradOutput);

    /**
     * Floating-point operations of one training step per sample: the GEMMs of the forward pass,
     * the weight gradient, and the input gradient when it is computed (elementwise work is not
     * counted: it is memory-bound, and small beside the products).
     */
    long trainingFlopsPerSample();

    /** Trainable parameters, in a fixed order (none for ReLU). */
    List<Parameter> parameters();

    /** Releases the layer's buffers and parameters. */
    @Override
    void close();
}
