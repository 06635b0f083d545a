// Elementwise kernels and the Adam step. Each mirrors the CPU backend's formula in the same
// precision, so results agree to rounding (nvcc may fuse a multiply-add where Java does not).
#include "common.cuh"

KERNEL fill_f32(float* x, long long n, float value) {
    FOR_EACH(i, n) x[i] = value;
}

KERNEL fill_f64(double* x, long long n, double value) {
    FOR_EACH(i, n) x[i] = value;
}

KERNEL axpy_f32(const float* __restrict__ x, float* __restrict__ y, long long n, float alpha) {
    FOR_EACH(i, n) y[i] += alpha * x[i];
}

KERNEL add_row_vector_f32(float* __restrict__ x, const float* __restrict__ bias, long long n, int cols) {
    FOR_EACH(i, n) x[i] += bias[i % cols];
}

KERNEL relu_f32(const float* x, float* y, long long n) {
    FOR_EACH(i, n) {
        float v = x[i];
        y[i] = v > 0.f ? v : 0.f;
    }
}

KERNEL relu_backward_f32(const float* gradOut, const float* __restrict__ output, float* gradIn, long long n) {
    FOR_EACH(i, n) gradIn[i] = output[i] > 0.f ? gradOut[i] : 0.f;
}

// PyTorch's Adam: the bias corrections are computed in double on the host and passed as floats.
KERNEL adam_f32(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m,
                float* __restrict__ v, long long n, float beta1, float beta2, float stepSize,
                float sqrtBc2, float eps) {
    float b1c = 1.f - beta1;
    float b2c = 1.f - beta2;
    FOR_EACH(i, n) {
        float gi = g[i];
        float mi = beta1 * m[i] + b1c * gi;
        float vi = beta2 * v[i] + b2c * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i] - stepSize * mi / (sqrtf(vi) / sqrtBc2 + eps);
    }
}

// dst[r, :] = src[indices[r], :]
KERNEL gather_rows_f32(const float* __restrict__ src, const int* __restrict__ indices,
                       float* __restrict__ dst, int rows, int cols) {
    FOR_EACH(i, (long long)rows * cols) {
        long long r = i / cols;
        long long c = i - r * cols;
        dst[i] = src[(long long)indices[r] * cols + c];
    }
}
