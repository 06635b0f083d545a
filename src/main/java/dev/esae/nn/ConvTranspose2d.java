package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.ConvGeometry;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A transposed 2-D convolution on NHWC images: the data gradient of a {@link Conv2d} run forwards.
 * {@code cols = x W} with {@code W [in, out, kh, kw]} (PyTorch's layout) viewed as
 * {@code [in, out·kh·kw]}, then {@code y = col2im(cols) + b}. The output is
 * {@code (inH - 1)·stride - 2·padding + kernel + outputPadding} on each side.
 */
public final class ConvTranspose2d implements Layer {
    private final Backend backend;
    private final int inH;
    private final int inW;
    private final int inChannels;
    private final int outChannels;
    private final ConvGeometry geometry;
    private final boolean inputGrad;
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor weight2d;
    private final Tensor weightGrad2d;
    private final Buffer cols;
    private final Buffer output;
    private final Buffer gradCols;
    private final Buffer gradInput;
    private Tensor lastInput;

    public ConvTranspose2d(Backend backend, DType dtype, int inH, int inW, int inChannels, int outChannels, int kernel,
            int stride, int padding, int outputPadding, boolean inputGrad, SplittableRandom rng) {
        if (outputPadding < 0 || outputPadding >= Math.max(stride, 1)) {
            throw new IllegalArgumentException("output padding must be below the stride, got " + outputPadding);
        }
        this.backend = backend;
        this.inH = inH;
        this.inW = inW;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        int outH = (inH - 1) * stride - 2 * padding + kernel + outputPadding;
        int outW = (inW - 1) * stride - 2 * padding + kernel + outputPadding;
        this.geometry = new ConvGeometry(outChannels, outH, outW, kernel, kernel, stride, padding);
        if (geometry.outH() != inH || geometry.outW() != inW) {
            throw new IllegalArgumentException("transposed convolution geometry does not invert: " + geometry);
        }
        this.inputGrad = inputGrad;
        int k = geometry.patchSize();
        int fanIn = k; // PyTorch: weight.size(1) * kernel area = out channels * kh * kw
        int[] shape = {inChannels, outChannels, kernel, kernel};
        this.weight = new Parameter(backend, dtype, "weight", shape, Init.uniformFanIn(rng, inChannels * k, fanIn));
        this.bias = new Parameter(backend, dtype, "bias", new int[] {outChannels}, Init.uniformFanIn(rng, outChannels, fanIn));
        this.weight2d = weight.value().reshape(inChannels, k);
        this.weightGrad2d = weight.grad().reshape(inChannels, k);
        int positions = inH * inW;
        this.cols = new Buffer(backend, dtype, positions * k);
        this.output = new Buffer(backend, dtype, geometry.inputSize());
        this.gradCols = new Buffer(backend, dtype, positions * k);
        this.gradInput = new Buffer(backend, dtype, positions * inChannels);
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

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
        cols.close();
        output.close();
        gradCols.close();
        gradInput.close();
    }
}
