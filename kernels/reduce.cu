// Reductions. Whole-tensor sums run in two launches: per-block partial sums in double, then one
// block adds the partials in a fixed order, so the result does not vary from run to run.
#include "common.cuh"

KERNEL sum_squares_partial_f32(const float* __restrict__ x, long long n, double* __restrict__ partial) {
    double acc = 0;
    FOR_EACH(i, n) {
        double v = x[i];
        acc += v * v;
    }
    double s = block_sum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// grad = scale * (pred - target); partial sums of (pred - target)^2.
KERNEL mse_partial_f32(const float* __restrict__ pred, const float* __restrict__ target,
                       float* __restrict__ grad, long long n, float scale, double* __restrict__ partial) {
    double acc = 0;
    FOR_EACH(i, n) {
        float diff = pred[i] - target[i];
        acc += (double)diff * diff;
        grad[i] = scale * diff;
    }
    double s = block_sum(acc);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// out[0] = (sum of the partials) / divisor, in one block.
KERNEL finish_sum_f32(const double* __restrict__ partial, int parts, float* __restrict__ out, double divisor) {
    double acc = 0;
    for (int i = threadIdx.x; i < parts; i += blockDim.x) acc += partial[i];
    double s = block_sum(acc);
    if (threadIdx.x == 0) out[0] = (float)(s / divisor);
}

// Column sums, out[j] = beta * out[j] + sum_i x[i, j]. Block (32, 8): 32 columns, 8 row lanes
// whose partial sums are added in lane order.
KERNEL sum_rows_f32(const float* __restrict__ x, int rows, int cols, float beta, float* __restrict__ out) {
    __shared__ double part[8][32];
    int col = blockIdx.x * 32 + threadIdx.x;
    double acc = 0;
    if (col < cols) {
        for (int r = threadIdx.y; r < rows; r += 8) acc += x[(long long)r * cols + col];
    }
    part[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && col < cols) {
        double s = 0;
        for (int l = 0; l < 8; l++) s += part[l][threadIdx.x];
        out[col] = (float)(beta == 0.f ? s : beta * (double)out[col] + s);
    }
}
