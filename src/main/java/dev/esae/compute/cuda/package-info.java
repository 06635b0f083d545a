/**
 * The CUDA backend: esae's kernels ({@code kernels/*.cu}, built into fatbins in the jar) launched
 * through JCuda's driver API ({@code JCudaRuntime}), a caching memory pool, and GEMM by cuBLAS 12
 * where it loads, else esae's own kernel. {@code DeviceRuntime} is the seam the tests use to run the
 * same backend on a host emulator of the kernels.
 */
package dev.esae.compute.cuda;
