package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What Linear, Conv2d and ConvTranspose2d have in common as affine maps {@code y = A(x) + b}: a
 * weight and a bias, drawn as PyTorch draws them ({@link Init}: the weight first, then the bias,
 * both from the same fan-in), and the reusable buffers the layer owns. It answers
 * {@link #parameters()} and releases all of them on {@link #close()}.
 */
abstract class AffineLayer implements Layer {
    final Backend backend;
    final Parameter weight;
    final Parameter bias;
    private final DType dtype;
    private final List<Buffer> buffers = new ArrayList<>();

    /**
     * @param weightShape the weight in PyTorch's layout, e.g. {@code [out, in, kh, kw]}
     * @param biasSize the bias length (the output features or channels)
     * @param fanIn {@code weight.size(1)} × kernel area, PyTorch's fan-in for both draws
     */
    AffineLayer(Backend backend, DType dtype, int[] weightShape, int biasSize, int fanIn, SplittableRandom rng) {
        this.backend = backend;
        this.dtype = dtype;
        int weightSize = 1;
        for (int d : weightShape) {
            weightSize *= d;
        }
        this.weight = new Parameter(backend, dtype, "weight", weightShape, Init.uniformFanIn(rng, weightSize, fanIn));
        this.bias = new Parameter(backend, dtype, "bias", new int[] {biasSize}, Init.uniformFanIn(rng, biasSize, fanIn));
    }

    /** A buffer of {@code width} values per sample, released with the layer. */
    final Buffer buffer(int width) {
        Buffer b = new Buffer(backend, dtype, width);
        buffers.add(b);
        return b;
    }

    @Override
    public final List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public final void close() {
        weight.close();
        bias.close();
        for (Buffer b : buffers) {
            b.close();
        }
    }
}
