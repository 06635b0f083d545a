package dev.esae.compute;

/**
 * The shape of one 2-D convolution over NHWC images: input {@code [inH, inW, channels]}, a square
 * or rectangular kernel, stride and zero padding. {@code im2col} turns each output position into a
 * row of {@link #patchSize()} values ordered (channel, kernel row, kernel column), matching the
 * PyTorch weight layout {@code [out, in, kh, kw]} flattened.
 *
 * <p>A transposed convolution with the same parameters is this convolution run backwards: its
 * output is the convolution's input, so it is described by the same geometry.
 */
public record ConvGeometry(int channels, int inH, int inW, int kernelH, int kernelW, int stride, int padding) {
    public ConvGeometry {
        if (channels < 1 || inH < 1 || inW < 1 || kernelH < 1 || kernelW < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("invalid convolution geometry " + this);
        }
        if (inH + 2 * padding < kernelH || inW + 2 * padding < kernelW) {
            throw new IllegalArgumentException("kernel larger than the padded input: " + this);
        }
    }

    public int outH() {
        return (inH + 2 * padding - kernelH) / stride + 1;
    }

    public int outW() {
        return (inW + 2 * padding - kernelW) / stride + 1;
    }

    /** Output positions per image (rows of im2col per image). */
    public int outPositions() {
        return outH() * outW();
    }

    /** Values per im2col row: channels × kernel height × kernel width. */
    public int patchSize() {
        return channels * kernelH * kernelW;
    }

    /** Values of one input image. */
    public int inputSize() {
        return inH * inW * channels;
    }

    /**
     * For one image, the flat NHWC input index that each im2col entry reads (row-major over
     * {@code [outPositions, patchSize]}), or -1 where it reads zero padding.
     */
    public int[] gatherMap() {
        int ho = outH();
        int wo = outW();
        int k = patchSize();
        int[] map = new int[ho * wo * k];
        for (int oy = 0; oy < ho; oy++) {
            for (int ox = 0; ox < wo; ox++) {
                int row = (oy * wo + ox) * k;
                for (int c = 0; c < channels; c++) {
                    for (int ky = 0; ky < kernelH; ky++) {
                        int iy = oy * stride - padding + ky;
                        for (int kx = 0; kx < kernelW; kx++) {
                            int ix = ox * stride - padding + kx;
                            boolean inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW;
                            map[row + (c * kernelH + ky) * kernelW + kx] = inside ? (iy * inW + ix) * channels + c : -1;
                        }
                    }
                }
            }
        }
        return map;
    }
}
