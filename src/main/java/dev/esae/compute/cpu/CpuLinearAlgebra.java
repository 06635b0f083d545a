package dev.esae.compute.cpu;

import static dev.esae.compute.OpShapes.intSize;
import static dev.esae.compute.OpShapes.requireSameSize;
import static dev.esae.compute.cpu.CpuOperands.cpu;
import static dev.esae.compute.cpu.CpuOperands.isF64;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import dev.esae.compute.OpShapes;
import dev.esae.compute.Tensor;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The CPU backend's BLAS operations, {@code gemm} and {@code axpy}: straight calls into OpenBLAS
 * on the tensors' off-heap memory (s- or d-prefixed by the operands' precision). OpenBLAS runs its
 * own threads, so nothing here goes through {@link CpuParallel}.
 */
final class CpuLinearAlgebra {
    private CpuLinearAlgebra() {}

    /** {@link dev.esae.compute.Backend#gemm}. */
    static void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        boolean f64 = isF64(a, b, c);
        int[] mnk = OpShapes.gemm(transA, transB, a, b, c);
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        int ta = transA ? CblasTrans : CblasNoTrans;
        int tb = transB ? CblasTrans : CblasNoTrans;
        if (f64) {
            openblas_nolapack.cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, cpu(a).doublePointer(), a.dim(1),
                    cpu(b).doublePointer(), b.dim(1), beta, cpu(c).doublePointer(), c.dim(1));
        } else {
            openblas_nolapack.cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, cpu(a).floatPointer(), a.dim(1),
                    cpu(b).floatPointer(), b.dim(1), beta, cpu(c).floatPointer(), c.dim(1));
        }
    }

    /** {@link dev.esae.compute.Backend#axpy}. */
    static void axpy(float alpha, Tensor x, Tensor y) {
        requireSameSize(x, y);
        if (isF64(x, y)) {
            openblas_nolapack.cblas_daxpy(intSize(x), alpha, cpu(x).doublePointer(), 1, cpu(y).doublePointer(), 1);
        } else {
            openblas_nolapack.cblas_saxpy(intSize(x), alpha, cpu(x).floatPointer(), 1, cpu(y).floatPointer(), 1);
        }
    }
}
