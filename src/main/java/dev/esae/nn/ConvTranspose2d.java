package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.ConvGeometry;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.SplittableRandom;

/**
 * A transposed 2-D convolution on NHWC images: the data gradient of a {@link Conv2d} run forwards.
 * {@code cols = x W} with {@code W [in, out, kh, kw]} (PyTorch's layout) viewed as
 * {@code [in, out·kh·kw]}, then {@code y = col2im(cols) + b}. The output is
 * {@code (inH - 1)·stride - 2·padding + kernel + outputPadding} on each side.
 */
public final class ConvTranspose2d extends PatchLayer {
    private final int inH;
    private final int inW;
    private final int inChannels;
    private final int outChannels;
    private Tensor lastInput;

    public ConvTranspose2d(Backend backend, DType dtype, int inH, int inW, int inChannels, int outChannels, int kernel,
            int stride, int padding, int outputPadding, boolean inputGrad, SplittableRandom rng) {
        this(backend, dtype, inH, inW, inChannels, geometry(inH, inW, outChannels, kernel, stride, padding, outputPadding),
                inputGrad, rng);
    }

    /**
     * {@code geometry} (checked before anything is allocated) is that of the {@link Conv2d} whose
     * data gradient this layer is; the weight is {@code [in, out, kh, kw]}.
     */
    private ConvTranspose2d(Backend backend, DType dtype, int inH, int inW, int inChannels, ConvGeometry geometry,
            boolean inputGrad, SplittableRandom rng) {
        // PyTorch's fan-in: weight.size(1) * kernel area = out channels * kh * kw, the patch size.
        super(backend, dtype, new int[] {inChannels, geometry.channels(), geometry.kernelH(), geometry.kernelW()},
                geometry.channels(), geometry.patchSize(), rng, geometry, inputGrad, inChannels, inH * inW, geometry.inputSize(),
                inH * inW * inChannels);
        this.inH = inH;
        this.inW = inW;
        this.inChannels = inChannels;
        this.outChannels = geometry.channels();
    }

    /**
     * The geometry of the convolution from the {@code (inH - 1)·stride - 2·padding + kernel +
     * outputPadding} output back to {@code inH × inW}, refused where it would not come back.
     */
    private static ConvGeometry geometry(int inH, int inW, int outChannels, int kernel, int stride, int padding,
            int outputPadding) {
        if (outputPadding < 0 || outputPadding >= Math.max(stride, 1)) {
            throw new IllegalArgumentException("output padding must be below the stride, got " + outputPadding);
        }
        int outH = (inH - 1) * stride - 2 * padding + kernel + outputPadding;
        int outW = (inW - 1) * stride - 2 * padding + kernel + outputPadding;
        ConvGeometry geometry = new ConvGeometry(outChannels, outH, outW, kernel, kernel, stride, padding);
        if (geometry.outH() != inH || geometry.outW() != inW) {
            throw new IllegalArgumentException("transposed convolution geometry does not invert: " + geometry);
        }
        return geometry;
    }

    @Override
    public String describe() {
        return "ConvTranspose2d(" + inChannels + ", " + outChannels + ", kernel " + geometry.kernelH() + ", stride "
                + geometry.stride() + ", padding " + geometry.padding() + ") to " + geometry.inH() + "x" + geometry.inW();
    }

    @Override
    public int inputSize() {
        return inH * inW * inChannels;
    }

    @Override
    public int outputSize() {
        return geometry.inputSize();
    }

    @Override
    public long trainingFlopsPerSample() {
        return 2L * inH * inW * inChannels * geometry.patchSize() * (inputGrad ? 3 : 2);
    }

    @Override
    public Tensor forward(Tensor input) {
        int batch = input.dim(0);
        int rows = batch * inH * inW;
        lastInput = input.reshape(rows, inChannels);
        Tensor c = cols.rows(batch).reshape(rows, geometry.patchSize());
        backend.gemm(false, false, 1f, lastInput, weight2d, 0f, c);
        Tensor y = output.rows(batch);
        backend.col2im(c, geometry, y);
        backend.addRowVector(y, bias.value());
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        int rows = lastInput.dim(0);
        int batch = rows / (inH * inW);
        Tensor dc = gradCols.rows(batch).reshape(rows, geometry.patchSize());
        backend.im2col(gradOutput, geometry, dc);
        backend.gemm(true, false, 1f, lastInput, dc, 0f, weightGrad2d);
        backend.sumRows(gradOutput.reshape(batch * geometry.inH() * geometry.inW(), outChannels), 0f, bias.grad());
        if (!inputGrad) {
            return null;
        }
        Tensor dx = gradInput.rows(batch);
        backend.gemm(false, true, 1f, dc, weight2d, 0f, dx.reshape(rows, inChannels));
        return dx;
    }
}
