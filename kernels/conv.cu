// im2col / col2im for NHWC images, the layout of dev.esae.compute.ConvGeometry: each output
// position is a row of channels x kernelH x kernelW values ordered (channel, ky, kx).
#include "common.cuh"

KERNEL im2col_f32(const float* __restrict__ in, float* __restrict__ cols, int batch, int channels,
                  int inH, int inW, int kernelH, int kernelW, int stride, int padding, int outH, int outW) {
    int patch = channels * kernelH * kernelW;
    long long total = (long long)batch * outH * outW * patch;
    FOR_EACH(i, total) {
        long long pos = i / patch;
        int j = (int)(i - pos * patch);
        int p = (int)(pos % (outH * outW));
        long long b = pos / (outH * outW);
        int oy = p / outW;
        int ox = p - oy * outW;
        int c = j / (kernelH * kernelW);
        int r = j - c * kernelH * kernelW;
        int ky = r / kernelW;
        int kx = r - ky * kernelW;
        int iy = oy * stride - padding + ky;
        int ix = ox * stride - padding + kx;
        bool inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW;
        cols[i] = inside ? in[((b * inH + iy) * inW + ix) * channels + c] : 0.f;
    }
}

// The adjoint, as a gather: each input value sums the entries that read it. The loop runs ky and
// kx downwards, which visits output positions in ascending order, the CPU backend's order, so
// both add the same numbers in the same order.
KERNEL col2im_f32(const float* __restrict__ cols, float* __restrict__ in, int batch, int channels,
                  int inH, int inW, int kernelH, int kernelW, int stride, int padding, int outH, int outW) {
    int patch = channels * kernelH * kernelW;
    long long total = (long long)batch * inH * inW * channels;
    FOR_EACH(i, total) {
        int c = (int)(i % channels);
        long long pix = i / channels;
        int ix = (int)(pix % inW);
        long long rest = pix / inW;
        int iy = (int)(rest % inH);
        long long b = rest / inH;
        float acc = 0.f;
        for (int ky = kernelH - 1; ky >= 0; ky--) {
            int ty = iy + padding - ky;
            if (ty < 0 || ty % stride != 0 || ty / stride >= outH) continue;
            int oy = ty / stride;
            for (int kx = kernelW - 1; kx >= 0; kx--) {
                int tx = ix + padding - kx;
                if (tx < 0 || tx % stride != 0 || tx / stride >= outW) continue;
                int ox = tx / stride;
                long long row = (b * outH + oy) * outW + ox;
                acc += cols[row * patch + (c * kernelH + ky) * kernelW + kx];
            }
        }
        in[i] = acc;
    }
}
