/**
 * The CPU backend: direct-memory tensors, SGEMM through OpenBLAS (JavaCPP), and the other operations
 * as Java loops (SIMD through the Vector API where the module is present, scalar otherwise, double
 * for the float64 tensors of gradient checks), parallel over rows ({@code CpuParallel}).
 * {@code CpuBackend} is the entry point and holds the memory operations; the others are written by
 * family in {@code CpuLinearAlgebra}, {@code CpuElementwise}, {@code CpuConvolution},
 * {@code CpuReductions}, {@code CpuSparseRows} and {@code CpuImages}.
 */
package dev.esae.compute.cpu;
