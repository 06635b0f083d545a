package dev.esae.sae;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;

/**
 * The AuxK branch's scratch tensors of a {@link TopKSae} step, sized for {@code capacity} rows:
 * the masked pre-activations, the auxiliary TopK over the dead latents, its reconstruction of the
 * main residual, and the gradients back through the selected latents.
 */
final class AuxKWorkspace extends Workspace {
    /** The pre-activations plus the dead mask: live latents at −∞. */
    final Tensor pre;
    final Tensor vals;
    final Tensor idx;
    final Tensor z;
    final Tensor out;
    /** The main residual {@code target − x̂}, held constant. */
    final Tensor residual;
    final Tensor grad;
    final Tensor gradScaled;
    final Tensor dvals;
    final Tensor dh;
    /** {@code [1]}: the auxiliary MSE before its coefficient. */
    final Tensor loss;

    AuxKWorkspace(Backend backend, int capacity, int dim, int latents, int auxK, int encoderWidth) {
        super(backend, capacity);
        pre = zeros(DType.F32, capacity, latents);
        vals = zeros(DType.F32, capacity, auxK);
        idx = zeros(DType.I32, capacity, auxK);
        z = zeros(DType.F32, capacity, auxK);
        out = zeros(DType.F32, capacity, dim);
        residual = zeros(DType.F32, capacity, dim);
        grad = zeros(DType.F32, capacity, dim);
        gradScaled = zeros(DType.F32, capacity, dim);
        dvals = zeros(DType.F32, capacity, auxK);
        dh = zeros(DType.F32, capacity, encoderWidth);
        loss = zeros(DType.F32, 1);
    }
}
