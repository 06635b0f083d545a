package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.ConvGeometry;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.SplittableRandom;

/**
 * A convolution done as GEMM on image patches (im2col / col2im), what {@link Conv2d} and
 * {@link ConvTranspose2d} share: the geometry of the patches, the weight viewed as a
 * {@code [rows, patch]} matrix (and its gradient), and the four per-sample buffers of a forward
 * and backward pass (the patches, the output, the patches' gradient, the input's gradient).
 */
abstract class PatchLayer extends AffineLayer {
    final ConvGeometry geometry;
    final boolean inputGrad;
    final Tensor weight2d;
    final Tensor weightGrad2d;
    final Buffer cols;
    final Buffer output;
    final Buffer gradCols;
    final Buffer gradInput;

    /**
     * @param weightRows the rows of the weight as a matrix of patches (out channels for a convolution, in channels for a transposed one)
     * @param positions the patches per sample
     * @param outputWidth the values per sample of the output
     * @param inputWidth the values per sample of the input
     */
    PatchLayer(Backend backend, DType dtype, int[] weightShape, int biasSize, int fanIn, SplittableRandom rng, ConvGeometry geometry,
            boolean inputGrad, int weightRows, int positions, int outputWidth, int inputWidth) {
        super(backend, dtype, weightShape, biasSize, fanIn, rng);
        this.geometry = geometry;
        this.inputGrad = inputGrad;
        int k = geometry.patchSize();
        this.weight2d = weight.value().reshape(weightRows, k);
        this.weightGrad2d = weight.grad().reshape(weightRows, k);
        this.cols = buffer(positions * k);
        this.output = buffer(outputWidth);
        this.gradCols = buffer(positions * k);
        this.gradInput = buffer(inputWidth);
    }
}
