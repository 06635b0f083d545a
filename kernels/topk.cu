// Row-wise top-k (k <= TOPK_MAX_K, any number of columns), one block per row.
//
// Values map to 32-bit keys whose unsigned order is Java's Float.compare order (-0 < +0, NaN
// above +inf). A radix select over the keys, 8 bits per pass, finds the key T of the k-th largest
// value and how many of the k are ties at T. A collect pass, where each thread owns a contiguous
// slice of the row so that slice order is column order, takes every key above T and the
// lowest-column ties at T; a bitonic sort then orders the k by (value desc, column asc), the CPU
// backend's deterministic order.
#include "common.cuh"

#define TOPK_THREADS 256
#define TOPK_MAX_K 128

__device__ __forceinline__ unsigned order_key(float v) {
    unsigned bits = v != v ? 0x7fc00000u : __float_as_uint(v);
    return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

// True when entry (ka, ia) comes after (kb, ib) in the output order.
__device__ __forceinline__ bool later(unsigned ka, int ia, unsigned kb, int ib) {
    return ka < kb || (ka == kb && ia > ib);
}

KERNEL topk_f32(const float* __restrict__ x, int rows, int cols, int k,
                float* __restrict__ values, int* __restrict__ indices) {
    __shared__ int hist[256];
    __shared__ unsigned sDesired;
    __shared__ unsigned sMask;
    __shared__ int sRemaining;
    __shared__ int scanGt[TOPK_THREADS];
    __shared__ int scanEq[TOPK_THREADS];
    __shared__ unsigned candKey[TOPK_MAX_K];
    __shared__ int candIdx[TOPK_MAX_K];

    const int t = threadIdx.x;
    const float* xr = x + (long long)blockIdx.x * cols;
    if (t == 0) {
        sDesired = 0;
        sMask = 0;
        sRemaining = k;
    }
    __syncthreads();

    // Radix select: after the pass at `shift`, the keys that match sDesired on sMask's bits hold
    // the k-th largest, and sRemaining is its rank among them.
    for (int shift = 24; shift >= 0; shift -= 8) {
        for (int i = t; i < 256; i += TOPK_THREADS) hist[i] = 0;
        __syncthreads();
        unsigned desired = sDesired;
        unsigned mask = sMask;
        for (int c = t; c < cols; c += TOPK_THREADS) {
            unsigned key = order_key(xr[c]);
            if ((key & mask) == desired) atomicAdd(&hist[(key >> shift) & 0xffu], 1);
        }
        __syncthreads();
        if (t == 0) {
            int remaining = sRemaining;
            int above = 0;
            int bin = 255;
            for (; bin > 0; bin--) {
                if (above + hist[bin] >= remaining) break;
                above += hist[bin];
            }
            sRemaining = remaining - above;
            sDesired = desired | ((unsigned)bin << shift);
            sMask = mask | (0xffu << shift);
        }
        __syncthreads();
    }
    const unsigned threshold = sDesired;
    const int tiesWanted = sRemaining;
    const int aboveTotal = k - tiesWanted;

    // Collect, in column order: each thread counts its slice, one exclusive scan gives each slice
    // its first output position.
    const int slice = (cols + TOPK_THREADS - 1) / TOPK_THREADS;
    const int begin = min(cols, t * slice);
    const int end = min(cols, begin + slice);
    int gt = 0;
    int eq = 0;
    for (int c = begin; c < end; c++) {
        unsigned key = order_key(xr[c]);
        gt += key > threshold;
        eq += key == threshold;
    }
    scanGt[t] = gt;
    scanEq[t] = eq;
    __syncthreads();
    for (int offset = 1; offset < TOPK_THREADS; offset <<= 1) {
        int addGt = t >= offset ? scanGt[t - offset] : 0;
        int addEq = t >= offset ? scanEq[t - offset] : 0;
        __syncthreads();
        scanGt[t] += addGt;
        scanEq[t] += addEq;
        __syncthreads();
    }
    int posGt = scanGt[t] - gt;
    int posEq = scanEq[t] - eq;
    for (int c = begin; c < end && (posGt < aboveTotal || posEq < tiesWanted); c++) {
        unsigned key = order_key(xr[c]);
        if (key > threshold) {
            candKey[posGt] = key;
            candIdx[posGt] = c;
            posGt++;
        } else if (key == threshold) {
            if (posEq < tiesWanted) {
                candKey[aboveTotal + posEq] = key;
                candIdx[aboveTotal + posEq] = c;
            }
            posEq++;
        }
    }
    int padded = 1;
    while (padded < k) padded <<= 1;
    for (int i = k + t; i < padded; i += TOPK_THREADS) {
        candKey[i] = 0;  // below every real key (a key of 0 would be a negative NaN, mapped away)
        candIdx[i] = 0x7fffffff;
    }

    // Bitonic sort of the `padded` candidates.
    for (int size = 2; size <= padded; size <<= 1) {
        for (int stride = size >> 1; stride > 0; stride >>= 1) {
            __syncthreads();
            for (int i = t; i < padded; i += TOPK_THREADS) {
                int j = i ^ stride;
                if (j > i) {
                    bool ascending = (i & size) == 0;
                    bool iLater = later(candKey[i], candIdx[i], candKey[j], candIdx[j]);
                    if (iLater == ascending) {
                        unsigned tk = candKey[i];
                        candKey[i] = candKey[j];
                        candKey[j] = tk;
                        int ti = candIdx[i];
                        candIdx[i] = candIdx[j];
                        candIdx[j] = ti;
                    }
                }
            }
        }
    }
    __syncthreads();
    for (int i = t; i < k; i += TOPK_THREADS) {
        int c = candIdx[i];
        values[(long long)blockIdx.x * k + i] = xr[c];
        indices[(long long)blockIdx.x * k + i] = c;
    }
}
