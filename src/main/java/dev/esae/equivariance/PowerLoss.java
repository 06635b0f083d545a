package dev.esae.equivariance;

import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;

/**
 * The loss of M on one batch and its gradient: {@code Y_0 = A_0}, {@code Y_p = Y_{p-1} M^T},
 * {@code L = Σ_{p=1}^{n-1} mean((Y_p − A_p)²)}; backward {@code D_{n-1} = G_{n-1}},
 * {@code D_p = G_p + D_{p+1} M}, {@code ∂L/∂M = Σ_p D_p^T Y_{p-1}} (overwriting {@code grad}).
 */
final class PowerLoss {
    private PowerLoss() {}

    /**
     * @param a the batch in each orientation, {@code a[p]} is {@code [b, d]}
     * @param y work space, {@code y[p]} {@code [b, d]} for p ≥ 1 ({@code y[0]} is ignored)
     * @param g work space, {@code g[p]} {@code [b, d]}
     * @param loss a 1-element work tensor
     * @param lossSum receives {@code += L}
     */
    static void forwardBackward(Backend backend, Tensor m, Tensor grad, Tensor[] a, Tensor[] y, Tensor[] g, Tensor loss,
            Tensor lossSum) {
        int n = a.length;
        for (int p = 1; p < n; p++) {
            backend.gemm(false, true, 1f, p == 1 ? a[0] : y[p - 1], m, 0f, y[p]);
            backend.mseLoss(y[p], a[p], g[p], loss);
            backend.axpy(1f, loss, lossSum);
        }
        for (int p = n - 1; p >= 1; p--) {
            if (p < n - 1) {
                backend.gemm(false, false, 1f, g[p + 1], m, 1f, g[p]);
            }
            backend.gemm(true, false, 1f, g[p], p == 1 ? a[0] : y[p - 1], p == n - 1 ? 0f : 1f, grad);
        }
    }
}
