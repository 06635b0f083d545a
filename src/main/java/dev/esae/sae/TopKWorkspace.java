package dev.esae.sae;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.Arrays;

/**
 * The main branch's scratch tensors of a {@link TopKSae} step, sized for {@code capacity} rows:
 * the encoder's centred input and pre-activations, the TopK selection and its values, the
 * reconstruction, and the backward pass's gradients over the selected latents.
 */
final class TopKWorkspace extends Workspace {
    /** A column of ones {@code [B, 1]}: the rank-1 factor of bias terms. */
    final Tensor ones;
    final Tensor centered;
    final Tensor pre;
    final Tensor vals;
    final Tensor idx;
    final Tensor z;
    final Tensor out;
    final Tensor dvals;
    /** The gradient at the encoder's last-layer input, where the AuxK branch joins. */
    final Tensor dh;
    /** {@code [d]}: column sums for b_dec's gradient through the centred input. */
    final Tensor biasSum;

    TopKWorkspace(Backend backend, int capacity, int dim, int latents, int k, int encoderWidth) {
        super(backend, capacity);
        float[] one = new float[capacity];
        Arrays.fill(one, 1f);
        ones = own(backend.upload(one, capacity, 1));
        centered = zeros(DType.F32, capacity, dim);
        pre = zeros(DType.F32, capacity, latents);
        vals = zeros(DType.F32, capacity, k);
        idx = zeros(DType.I32, capacity, k);
        z = zeros(DType.F32, capacity, k);
        out = zeros(DType.F32, capacity, dim);
        dvals = zeros(DType.F32, capacity, k);
        dh = zeros(DType.F32, capacity, encoderWidth);
        biasSum = zeros(DType.F32, dim);
    }
}
