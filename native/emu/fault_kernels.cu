// Kernels with a planted fault, compiled into the emulator only (never into the GPU fatbins): the
// tests launch them through each front end to see the emulator's checks fire.
#include "common.cuh"

// Thread 0 leaves before the barrier the rest of the block waits at.
KERNEL emu_fault_early_return(float* x) {
    if (threadIdx.x == 0) return;
    __syncthreads();
    x[threadIdx.x] = 1.f;
}
