#include "common.cuh"

// Image kernels. The rotation convention is the one of dev.esae.compute.Rot90:
// one clockwise quarter turn maps out[r][c] = in[size - 1 - c][r].

KERNEL rot90_f32(const float* __restrict__ in, float* __restrict__ out, int batch, int size, int quarterTurns) {
    long long pixels = (long long)size * size;
    long long total = pixels * batch;
    int turns = ((quarterTurns % 4) + 4) % 4;
    int last = size - 1;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total;
         i += (long long)gridDim.x * blockDim.x) {
        long long b = i / pixels;
        int rc = (int)(i - b * pixels);
        int r = rc / size;
        int c = rc - r * size;
        int src;
        switch (turns) {
            case 0: src = r * size + c; break;
            case 1: src = (last - c) * size + r; break;
            case 2: src = (last - r) * size + (last - c); break;
            default: src = c * size + (last - r); break;
        }
        out[i] = in[b * pixels + src];
    }
}
