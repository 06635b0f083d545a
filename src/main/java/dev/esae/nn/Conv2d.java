package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.ConvGeometry;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.SplittableRandom;

/**
 * A 2-D convolution on NHWC images by im2col and one GEMM per batch:
 * {@code y [batch·positions, out] = im2col(x) W^T + b}, with {@code W [out, in, kh, kw]}
 * (PyTorch's layout) viewed as {@code [out, in·kh·kw]}.
 */
public final class Conv2d extends PatchLayer {
    private final int outChannels;
    private int lastBatch;

    /** A convolution of {@code inH × inW × inChannels} images with a square kernel. */
    public Conv2d(Backend backend, DType dtype, int inH, int inW, int inChannels, int outChannels, int kernel, int stride,
            int padding, boolean inputGrad, SplittableRandom rng) {
        this(backend, dtype, new ConvGeometry(inChannels, inH, inW, kernel, kernel, stride, padding), outChannels, inputGrad,
                rng);
    }

    /** {@code geometry} is checked before anything is allocated; the weight is {@code [out, in, kh, kw]}. */
    private Conv2d(Backend backend, DType dtype, ConvGeometry geometry, int outChannels, boolean inputGrad,
            SplittableRandom rng) {
        super(backend, dtype, new int[] {outChannels, geometry.channels(), geometry.kernelH(), geometry.kernelW()},
                outChannels, geometry.patchSize(), rng, geometry, inputGrad, outChannels, geometry.outPositions(),
                geometry.outPositions() * outChannels, geometry.inputSize());
        this.outChannels = outChannels;
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    @Override
    public String describe() {
        return "Conv2d(" + geometry.channels() + ", " + outChannels + ", kernel " + geometry.kernelH() + ", stride "
                + geometry.stride() + ", padding " + geometry.padding() + ") on " + geometry.inH() + "x" + geometry.inW();
    }

    @Override
    public int inputSize() {
        return geometry.inputSize();
    }

    @Override
    public int outputSize() {
        return geometry.outPositions() * outChannels;
    }

    @Override
    public long trainingFlopsPerSample() {
        return 2L * geometry.outPositions() * geometry.patchSize() * outChannels * (inputGrad ? 3 : 2);
    }

    @Override
    public Tensor forward(Tensor input) {
        lastBatch = input.dim(0);
        int rows = lastBatch * geometry.outPositions();
        Tensor c = cols.rows(lastBatch).reshape(rows, geometry.patchSize());
        backend.im2col(input, geometry, c);
        Tensor y = output.rows(lastBatch);
        Tensor y2d = y.reshape(rows, outChannels);
        backend.gemm(false, true, 1f, c, weight2d, 0f, y2d);
        backend.addRowVector(y2d, bias.value());
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        int rows = lastBatch * geometry.outPositions();
        Tensor dy = gradOutput.reshape(rows, outChannels);
        Tensor c = cols.rows(lastBatch).reshape(rows, geometry.patchSize());
        backend.gemm(true, false, 1f, dy, c, 0f, weightGrad2d);
        backend.sumRows(dy, 0f, bias.grad());
        if (!inputGrad) {
            return null;
        }
        Tensor dc = gradCols.rows(lastBatch).reshape(rows, geometry.patchSize());
        backend.gemm(false, false, 1f, dy, weight2d, 0f, dc);
        Tensor dx = gradInput.rows(lastBatch);
        backend.col2im(dc, geometry, dx);
        return dx;
    }
}
