package dev.esae.compute.cuda;

/** esae's own tiled SGEMM kernel ({@code kernels/gemm.cu}): 64×64 output tiles, one launch per batch. */
final class KernelGemm implements GemmEngine {
    static final int TILE = 64;
    static final int THREADS = 256;

    private final DeviceRuntime runtime;
    private final String why;

    KernelGemm(DeviceRuntime runtime, String why) {
        this.runtime = runtime;
        this.why = why;
    }

    @Override
    public String description() {
        return "esae's tiled SGEMM kernel (" + why + ")";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long strideA,
                      long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch) {
        int gridX = (n + TILE - 1) / TILE;
        int gridY = (m + TILE - 1) / TILE;
        if (gridY > 65_535 || batch > 65_535) {
            throw new IllegalArgumentException("gemm of " + m + " rows in a batch of " + batch + " exceeds one launch");
        }
        runtime.launch("sgemm_f32", gridX, gridY, batch, THREADS, 1, 1, KernelArgs.of()
                .i32(transA ? 1 : 0).i32(transB ? 1 : 0).i32(m).i32(n).i32(k).f32(alpha)
                .ptr(a).i32(lda).i64(strideA).ptr(b).i32(ldb).i64(strideB).f32(beta).ptr(c).i32(ldc).i64(strideC));
    }
}
