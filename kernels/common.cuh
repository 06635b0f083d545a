// Shared by every kernel file. Kernels are plain CUDA C++ with two rules that let the same source
// also run under esae's host emulator (native/emu, used by the tests on machines without a GPU):
// block-level cooperation goes through __shared__ memory and __syncthreads() only (no warp
// shuffles or warp-synchronous code), and every __syncthreads() is reached by all threads.
#pragma once
#ifdef ESAE_EMULATE
#include "emu.h"
#endif

#define KERNEL extern "C" __global__ void

// A grid-stride loop: the host caps the grid, each thread walks the range in steps of the grid.
#define FOR_EACH(i, n) \
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); \
         i += (long long)gridDim.x * blockDim.x)

// Threads per block of the reduction kernels (a power of two).
#define REDUCE_THREADS 256

// Sum of one double per thread over a block of REDUCE_THREADS threads, in a fixed tree order (so
// the result is the same on every run). Every thread gets the sum.
__device__ __forceinline__ double block_sum(double v) {
    __shared__ double part[REDUCE_THREADS];
    part[threadIdx.x] = v;
    __syncthreads();
    for (int width = REDUCE_THREADS / 2; width > 0; width >>= 1) {
        if ((int)threadIdx.x < width) {
            part[threadIdx.x] += part[threadIdx.x + width];
        }
        __syncthreads();
    }
    double total = part[0];
    __syncthreads();
    return total;
}
