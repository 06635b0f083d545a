package dev.esae.compute.cuda;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * cuBLAS through JCublas2, when {@code libcublas.so.12} loads (a CUDA 12 install). cuBLAS is
 * column-major: a row-major {@code C = op(A) op(B)} is the column-major {@code C^T = op(B)^T op(A)^T},
 * so the operands swap and the buffers stay as they are.
 */
final class CublasGemm implements GemmEngine {
    private final cublasHandle handle = new cublasHandle();
    private final JCudaRuntime runtime;

    private CublasGemm(JCudaRuntime runtime) {
        this.runtime = runtime;
        runtime.makeCurrent();
        JCublas2.setExceptionsEnabled(false);
        check(JCublas2.cublasCreate(handle), "cublasCreate");
        check(JCublas2.cublasSetStream(handle, new cudaStream_t(runtime.stream())), "cublasSetStream");
    }

    /** cuBLAS on the runtime's stream, or null with {@code why[0]} saying why it cannot load. */
    static CublasGemm tryOpen(JCudaRuntime runtime, String[] why) {
        try {
            return new CublasGemm(runtime);
        } catch (LinkageError e) {
            why[0] = "libcublas.so.12 not found: " + CudaBackendProvider.linkCause(e);
        } catch (RuntimeException e) {
            why[0] = "cuBLAS did not start: " + e.getMessage();
        }
        return null;
    }

    private static void check(int status, String what) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new DeviceException(what + " failed: " + cublasStatus.stringFor(status));
        }
    }

    @Override
    public String description() {
        return "cuBLAS (libcublas.so.12)";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long strideA,
                      long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch) {
        runtime.makeCurrent();  // cuBLAS, like the driver calls, uses the calling thread's context
        int opA = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opB = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        check(JCublas2.cublasSgemmStridedBatched(handle, opB, opA, n, m, k, Pointer.to(new float[] {alpha}),
                JCudaRuntime.at(b), ldb, strideB, JCudaRuntime.at(a), lda, strideA, Pointer.to(new float[] {beta}),
                JCudaRuntime.at(c), ldc, strideC, batch), "cublasSgemmStridedBatched");
    }

    @Override
    public void close() {
        runtime.makeCurrent();
        JCublas2.cublasDestroy(handle);
    }
}
