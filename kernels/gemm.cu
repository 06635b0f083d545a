// esae's own SGEMM, for machines where cuBLAS 12 cannot load (CUDA 13 installs ship cuBLAS 13,
// whose versioned symbols JCublas 12 cannot bind). Row-major C[M, N] = alpha op(A) op(B) + beta C,
// with a batch index in blockIdx.z (strided batches: all powers M^p applied in one launch).
//
// Tiles of 64 x 64 outputs, 16 deep, 256 threads each computing 4 x 4 outputs strided by 16 (so
// shared-memory reads of a warp fall in distinct banks and the stores to C are coalesced).
#include "common.cuh"

#define GEMM_BM 64
#define GEMM_BN 64
#define GEMM_BK 16
#define GEMM_THREADS 256

KERNEL sgemm_f32(int transA, int transB, int M, int N, int K, float alpha,
                 const float* __restrict__ A, int lda, long long strideA,
                 const float* __restrict__ B, int ldb, long long strideB, float beta,
                 float* __restrict__ C, int ldc, long long strideC) {
    __shared__ float As[GEMM_BK][GEMM_BM + 1];
    __shared__ float Bs[GEMM_BK][GEMM_BN + 1];
    A += blockIdx.z * strideA;
    B += blockIdx.z * strideB;
    C += blockIdx.z * strideC;
    const int t = threadIdx.x;
    const int tx = t % 16;
    const int ty = t / 16;
    const int m0 = blockIdx.y * GEMM_BM;
    const int n0 = blockIdx.x * GEMM_BN;
    float acc[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) acc[i][j] = 0.f;

    for (int k0 = 0; k0 < K; k0 += GEMM_BK) {
        // Consecutive threads read consecutive addresses of whichever layout A and B are stored in.
        for (int e = t; e < GEMM_BK * GEMM_BM; e += GEMM_THREADS) {
            int kk = transA ? e / GEMM_BM : e % GEMM_BK;
            int mm = transA ? e % GEMM_BM : e / GEMM_BK;
            int gm = m0 + mm;
            int gk = k0 + kk;
            float v = 0.f;
            if (gm < M && gk < K) v = transA ? A[(long long)gk * lda + gm] : A[(long long)gm * lda + gk];
            As[kk][mm] = v;
        }
        for (int e = t; e < GEMM_BK * GEMM_BN; e += GEMM_THREADS) {
            int kk = transB ? e % GEMM_BK : e / GEMM_BN;
            int nn = transB ? e / GEMM_BK : e % GEMM_BN;
            int gn = n0 + nn;
            int gk = k0 + kk;
            float v = 0.f;
            if (gn < N && gk < K) v = transB ? B[(long long)gn * ldb + gk] : B[(long long)gk * ldb + gn];
            Bs[kk][nn] = v;
        }
        __syncthreads();
        for (int kk = 0; kk < GEMM_BK; kk++) {
            float a[4];
            float b[4];
            for (int i = 0; i < 4; i++) a[i] = As[kk][ty + 16 * i];
            for (int j = 0; j < 4; j++) b[j] = Bs[kk][tx + 16 * j];
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) acc[i][j] += a[i] * b[j];
        }
        __syncthreads();
    }
    for (int i = 0; i < 4; i++) {
        int m = m0 + ty + 16 * i;
        if (m >= M) continue;
        for (int j = 0; j < 4; j++) {
            int n = n0 + tx + 16 * j;
            if (n >= N) continue;
            float r = alpha * acc[i][j];
            long long at = (long long)m * ldc + n;
            C[at] = beta == 0.f ? r : r + beta * C[at];  // beta = 0 ignores C, NaNs included
        }
    }
}
