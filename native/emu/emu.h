// A host emulation of the part of CUDA C++ that esae's kernels use, so that the same kernel
// sources compile with g++ and run on a CPU (tests on machines without a GPU). Each CUDA thread of
// a block is a fiber; __syncthreads() switches fibers; blocks run one after another, so
// __shared__ variables can be plain statics. Not for speed: for checking the kernels' logic.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

struct EmuDim3 {
    unsigned x, y, z;
};
extern EmuDim3 threadIdx, blockIdx, blockDim, gridDim;
void __syncthreads();

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __shared__ static

using std::max;
using std::min;

inline unsigned __float_as_uint(float f) {
    unsigned u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

inline float __uint_as_float(unsigned u) {
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

// One fiber runs at a time, so a plain read-modify-write is atomic here.
template <typename T>
inline T atomicAdd(T* address, T value) {
    T old = *address;
    *address = old + value;
    return old;
}
