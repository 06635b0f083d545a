// Sparse decoder kernels of the TopK SAEs: they touch only the K selected rows of the decoder
// W [L, D] for each input, never the whole dense code; and AuxK's dead-latent bookkeeping over
// the same selected entries.
#include "common.cuh"

// out[b, :] = sum_k values[b, k] * rows[indices[b, k], :]; one block per input row, threads over D,
// k in ascending order (the CPU backend's order).
KERNEL sparse_decode_f32(const float* __restrict__ values, const int* __restrict__ indices,
                         const float* __restrict__ rows, float* __restrict__ out, int batch, int k, int d) {
    int b = blockIdx.x;
    const float* v = values + (long long)b * k;
    const int* idx = indices + (long long)b * k;
    for (int j = threadIdx.x; j < d; j += blockDim.x) {
        float acc = 0.f;
        for (int q = 0; q < k; q++) acc += v[q] * rows[(long long)idx[q] * d + j];
        out[(long long)b * d + j] = acc;
    }
}

// rowsGrad[indices[b, k], :] += values[b, k] * x[b, :]. Inputs that selected the same latent add
// into the same row with atomicAdd, so the order of those additions (and the last bits of the
// sum) can vary from run to run on a GPU.
KERNEL sparse_outer_accumulate_f32(const float* __restrict__ values, const int* __restrict__ indices,
                                   const float* __restrict__ x, float* __restrict__ rowsGrad,
                                   int batch, int k, int d) {
    int b = blockIdx.x;
    for (int q = 0; q < k; q++) {
        float v = values[(long long)b * k + q];
        float* dst = rowsGrad + (long long)indices[(long long)b * k + q] * d;
        for (int j = threadIdx.x; j < d; j += blockDim.x) atomicAdd(&dst[j], v * x[(long long)b * d + j]);
    }
}

// out[b, k] = <x[b, :], rows[indices[b, k], :]>. One block per input row; each group of 32 threads
// takes one k at a time, and its lanes' partial sums are added in lane order.
#define DOT_THREADS 256
#define DOT_GROUPS (DOT_THREADS / 32)
KERNEL sparse_dots_f32(const float* __restrict__ x, const int* __restrict__ indices,
                       const float* __restrict__ rows, float* __restrict__ out, int batch, int k, int d) {
    __shared__ float part[DOT_THREADS];
    int b = blockIdx.x;
    int group = threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    const float* xb = x + (long long)b * d;
    for (int q0 = 0; q0 < k; q0 += DOT_GROUPS) {
        int q = q0 + group;
        float acc = 0.f;
        if (q < k) {
            const float* w = rows + (long long)indices[(long long)b * k + q] * d;
            for (int j = lane; j < d; j += 32) acc += xb[j] * w[j];
        }
        part[threadIdx.x] = acc;
        __syncthreads();
        if (lane == 0 && q < k) {
            float s = 0.f;
            for (int l = 0; l < 32; l++) s += part[threadIdx.x + l];
            out[(long long)b * k + q] = s;
        }
        __syncthreads();
    }
}

// Each row of w [L, D] scaled to unit norm (a zero row stays zero); one block per row.
KERNEL normalize_rows_f32(float* __restrict__ w, int count, int d) {
    float* row = w + (long long)blockIdx.x * d;
    double acc = 0;
    for (int j = threadIdx.x; j < d; j += blockDim.x) acc += (double)row[j] * row[j];
    double ss = block_sum(acc);
    if (ss > 0) {
        float inv = (float)(1.0 / sqrt(ss));
        for (int j = threadIdx.x; j < d; j += blockDim.x) row[j] *= inv;
    }
}

// grad[i] -= <grad[i], w[i]> w[i] for each row; one block per row.
KERNEL project_out_rows_f32(float* __restrict__ grad, const float* __restrict__ w, int count, int d) {
    float* g = grad + (long long)blockIdx.x * d;
    const float* row = w + (long long)blockIdx.x * d;
    double acc = 0;
    for (int j = threadIdx.x; j < d; j += blockDim.x) acc += (double)g[j] * row[j];
    float dot = (float)block_sum(acc);
    for (int j = threadIdx.x; j < d; j += blockDim.x) g[j] -= dot * row[j];
}

// AuxK's dead-latent bookkeeping (Backend.updateDeadLatents), two launches in stream order. The
// first advances every counter by the batch's rows, saturating at deadAfter (int32 then holds it
// however long training runs, and the dead test is as with an unbounded count), and writes the
// mask from it: 0 for a dead latent, -inf for a live one.
KERNEL dead_latents_advance(int* __restrict__ rowsSinceFired, float* __restrict__ deadMask, int latents, int rows, int deadAfter) {
    FOR_EACH(i, latents) {
        long long c = (long long)rowsSinceFired[i] + rows;  // in 64 bits: it can pass 2^31
        int count = (int)(c < deadAfter ? c : deadAfter);
        rowsSinceFired[i] = count;
        deadMask[i] = count >= deadAfter ? 0.f : __uint_as_float(0xff800000u);
    }
}

// The second: every latent selected with a value > 0 fired, so its counter is 0 and its mask
// follows. Entries naming the same latent all write the same two values, so their order does not
// matter. A NaN value is not > 0, as on the CPU.
KERNEL dead_latents_reset_fired(const float* __restrict__ values, const int* __restrict__ indices, long long entries,
                                int* __restrict__ rowsSinceFired, float* __restrict__ deadMask, int deadAfter) {
    FOR_EACH(e, entries) {
        if (values[e] > 0.f) {
            int latent = indices[e];
            rowsSinceFired[latent] = 0;
            deadMask[latent] = 0 >= deadAfter ? 0.f : __uint_as_float(0xff800000u);
        }
    }
}
