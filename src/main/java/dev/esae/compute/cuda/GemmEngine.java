package dev.esae.compute.cuda;

/**
 * Row-major strided-batched SGEMM on device addresses: {@code C[i] = alpha op(A[i]) op(B[i]) +
 * beta C[i]} for {@code i < batch} ({@code beta == 0} ignores C). Leading dimensions are the
 * stored row lengths; a stride of 0 shares one matrix across the batch.
 */
interface GemmEngine extends AutoCloseable {
    /** Which implementation runs and why, for {@code esae doctor} and the backend line. */
    String description();

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long strideA,
               long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch);

    @Override
    default void close() {}
}
