package dev.esae.sae;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.equivariance.ActivationSet;

/**
 * An SAE's reconstruction and sparsity over every row of an activation set (SPEC §4): MSE (mean
 * over elements), the fraction of variance unexplained (squared error over the target's variance
 * about its per-dimension mean), L0 and L1 of z per row, and the latents never active.
 *
 * <p>Targets follow the kind: each row itself, or the canonical orientation for the invariant
 * kind. The equivariant kind is scored against ψ(g^p x) with output {@code M^p x̂}; with
 * {@code unknownP} it also picks, for each row, the p whose {@code M^p x̂} is closest to the row,
 * and reports how often that is the true p and the error with that choice.
 */
public final class SaeMetrics {
    private static final int CHUNK = 256;

    private SaeMetrics() {}

    public static SaeScores evaluate(Backend backend, TopKSae sae, SaeKind kind, ActivationSet acts, float[] m,
            boolean unknownP) {
        int n = acts.order();
        int d = acts.dim();
        int l = sae.latents();
        int k = sae.k();
        boolean equivariant = kind.needsTransform();
        boolean[] active = new boolean[l];
        double sse = 0;
        double sseUnknown = 0;
        int hits = 0;
        double l0 = 0;
        double l1 = 0;
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        float[] data = acts.data();
        int rowsTotal = acts.count() * n;
        try (Tensor mt = equivariant ? backend.upload(m, d, d) : null) {
            for (int start = 0; start < acts.count(); start += CHUNK) {
                int inputs = Math.min(CHUNK, acts.count() - start);
                int rows = inputs * n;
                float[] x = java.util.Arrays.copyOfRange(data, start * n * d, (start + inputs) * n * d);
                float[][] powered = new float[equivariant ? n : 1][];
                try (Tensor tx = backend.upload(x, rows, d)) {
                    Tensor out = sae.forward(tx);
                    float[] z = backend.download(sae.latentValues());
                    int[] idx = backend.downloadInts(sae.latentIndices());
                    for (int i = 0; i < rows * k; i++) {
                        if (z[i] > 0) {
                            l0++;
                            l1 += z[i];
                            active[idx[i]] = true;
                        }
                    }
                    if (equivariant) {
                        // M^q x̂ for every q, by repeated products on the backend.
                        try (Tensor a = backend.zeros(DType.F32, rows, d); Tensor b = backend.zeros(DType.F32, rows, d)) {
                            backend.copy(out, a);
                            for (int q = 0; q < n; q++) {
                                powered[q] = backend.download(a);
                                backend.gemm(false, true, 1f, a, mt, 0f, b);
                                backend.copy(b, a);
                            }
                        }
                    } else {
                        powered[0] = backend.download(out);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    int input = start + r / n;
                    int p = r % n;
                    int targetRow = kind.invariantTargets() && !equivariant ? input * n : input * n + p;
                    float[] pred = powered[equivariant ? p : 0];
                    double err = 0;
                    for (int j = 0; j < d; j++) {
                        double t = data[targetRow * d + j];
                        double e = t - pred[r * d + j];
                        err += e * e;
                        sum[j] += t;
                        sumSq[j] += t * t;
                    }
                    sse += err;
                    if (equivariant && unknownP) {
                        int best = 0;
                        double bestErr = Double.POSITIVE_INFINITY;
                        for (int q = 0; q < n; q++) {
                            double e2 = 0;
                            for (int j = 0; j < d; j++) {
                                double e = data[targetRow * d + j] - powered[q][r * d + j];
                                e2 += e * e;
                            }
                            if (e2 < bestErr) {
                                bestErr = e2;
                                best = q;
                            }
                        }
                        hits += best == p ? 1 : 0;
                        sseUnknown += bestErr;
                    }
                }
            }
        }
        double variance = 0;
        for (int j = 0; j < d; j++) {
            variance += sumSq[j] - sum[j] * sum[j] / rowsTotal;
        }
        int dead = 0;
        for (boolean a : active) {
            dead += a ? 0 : 1;
        }
        SaeScores.UnknownP u = equivariant && unknownP
                ? new SaeScores.UnknownP(hits / (double) rowsTotal, sseUnknown / ((double) rowsTotal * d), sseUnknown / variance) : null;
        return new SaeScores(sse / ((double) rowsTotal * d), sse / variance, l0 / rowsTotal, l1 / rowsTotal, dead / (double) l, dead,
                rowsTotal, equivariant ? "psi(g^p x), output M^p D(E(psi(g^p x)))"
                : kind.invariantTargets() ? "psi(x) (canonical)" : "the input row", u, null, null, null);
    }
}
