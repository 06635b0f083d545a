package dev.esae.probe;

import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import dev.esae.sae.SaeFiles;
import java.util.Arrays;

/**
 * The SAE-side probe inputs of SPEC §5 for one SAE on the probe set: (a) the activations of a
 * chosen set of latents and (b) the truncated reconstruction, the decoder run on z with every
 * other latent set to zero, {@code Σ_{j∈S} z_j W_dec[j] + b_dec}; for the equivariant kind then
 * mapped by {@code M^p} with each row's own p.
 *
 * <p>By linearity {@code M^p (z W_dec + b_dec) = z (W_dec M^pᵀ) + M^p b_dec}, so the decoder is
 * transformed once per power (n products on the backend) and each truncated reconstruction is a
 * sum over at most K rows.
 */
public final class SaeFeatures {
    private final SparseCodes codes;
    private final int dim;
    private final float[][] decoders;
    private final float[][] biases;
    private final int[] rowPower;

    private SaeFeatures(SparseCodes codes, int dim, float[][] decoders, float[][] biases, int[] rowPower) {
        this.codes = codes;
        this.dim = dim;
        this.decoders = decoders;
        this.biases = biases;
        this.rowPower = rowPower;
    }

    /**
     * Encodes the probe set with {@code sae} and prepares its decoder (per power of M for the
     * equivariant kind).
     */
    public static SaeFeatures of(Backend backend, SaeFiles.Loaded sae, ProbeSet set) {
        SparseCodes codes = SparseCodes.encode(backend, sae.sae(), set.psi());
        int d = sae.sae().dim();
        int latents = sae.sae().latents();
        float[] wDec = backend.download(sae.sae().namedParameters().get("W_dec").value());
        float[] bDec = backend.download(sae.sae().namedParameters().get("b_dec").value());
        if (!sae.kind().needsTransform()) {
            return new SaeFeatures(codes, d, new float[][] {wDec}, new float[][] {bDec}, null);
        }
        int n = set.order();
        float[][] decoders = new float[n][];
        float[][] biases = new float[n][];
        decoders[0] = wDec;
        biases[0] = bDec;
        try (Tensor m = backend.upload(sae.transform(), d, d);
             Tensor a = backend.upload(wDec, latents, d);
             Tensor b = backend.zeros(dev.esae.compute.DType.F32, latents, d);
             Tensor u = backend.upload(bDec, 1, d);
             Tensor v = backend.zeros(dev.esae.compute.DType.F32, 1, d)) {
            for (int p = 1; p < n; p++) {
                // Row vectors times Mᵀ: each decoder row r becomes M r.
                backend.gemm(false, true, 1f, a, m, 0f, b);
                backend.copy(b, a);
                backend.gemm(false, true, 1f, u, m, 0f, v);
                backend.copy(v, u);
                decoders[p] = backend.download(a);
                biases[p] = backend.download(u);
            }
        }
        return new SaeFeatures(codes, d, decoders, biases, set.powers());
    }

    public SparseCodes codes() {
        return codes;
    }

    /** Input (a): the activations of {@code selected} latents, {@code [N, L]} (zero where a latent is not in a row's TopK). */
    public Features latents(int[] selected) {
        int[] column = columns(selected);
        int k = codes.k();
        float[] out = new float[codes.rows() * selected.length];
        for (int r = 0; r < codes.rows(); r++) {
            for (int j = r * k; j < (r + 1) * k; j++) {
                int c = column[codes.indices()[j]];
                if (c >= 0) {
                    out[r * selected.length + c] = codes.values()[j];
                }
            }
        }
        return new Features(out, codes.rows(), selected.length);
    }

    /** Input (b): the truncated reconstruction from {@code selected} latents, {@code [N, d]}. */
    public Features reconstruction(int[] selected) {
        int[] column = columns(selected);
        int k = codes.k();
        float[] out = new float[codes.rows() * dim];
        for (int r = 0; r < codes.rows(); r++) {
            int p = rowPower == null ? 0 : rowPower[r];
            float[] dec = decoders[p];
            int at = r * dim;
            System.arraycopy(biases[p], 0, out, at, dim);
            for (int j = r * k; j < (r + 1) * k; j++) {
                int latent = codes.indices()[j];
                float z = codes.values()[j];
                if (column[latent] >= 0 && z != 0) {
                    int from = latent * dim;
                    for (int c = 0; c < dim; c++) {
                        out[at + c] += z * dec[from + c];
                    }
                }
            }
        }
        return new Features(out, codes.rows(), dim);
    }

    private int[] columns(int[] selected) {
        int[] column = new int[codes.latents()];
        Arrays.fill(column, -1);
        for (int c = 0; c < selected.length; c++) {
            column[selected[c]] = c;
        }
        return column;
    }
}
