package dev.esae.probe;

import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import dev.esae.sae.TopKSae;

/**
 * An SAE's codes for a set of rows, as it computes them: for each row its K selected latents
 * ({@code indices}, by value descending) and their values after the ReLU ({@code values}, zero
 * where the selected pre-activation was negative).
 */
public record SparseCodes(int rows, int k, int latents, float[] values, int[] indices) {
    private static final int CHUNK = 512;

    /** Encodes every row of {@code x} with {@code sae} on its backend, a chunk at a time. */
    public static SparseCodes encode(Backend backend, TopKSae sae, Features x) {
        if (x.cols() != sae.dim()) {
            throw new IllegalArgumentException("the SAE reads d = " + sae.dim() + ", the rows have " + x.cols());
        }
        int k = sae.k();
        float[] values = new float[x.rows() * k];
        int[] indices = new int[x.rows() * k];
        for (int start = 0; start < x.rows(); start += CHUNK) {
            int size = Math.min(CHUNK, x.rows() - start);
            float[] chunk = java.util.Arrays.copyOfRange(x.values(), start * x.cols(), (start + size) * x.cols());
            try (Tensor t = backend.upload(chunk, size, x.cols())) {
                sae.forward(t);
                System.arraycopy(backend.download(sae.latentValues()), 0, values, start * k, size * k);
                System.arraycopy(backend.downloadInts(sae.latentIndices()), 0, indices, start * k, size * k);
            }
        }
        return new SparseCodes(x.rows(), k, sae.latents(), values, indices);
    }

    /**
     * The {@code length} latents whose mean activation differs most between positive and negative
     * rows among {@code rows} (SPEC §5's truncation, on the training split): by
     * {@code |mean over positives − mean over negatives|} descending, the lower index first on ties.
     */
    public int[] topByMeanDifference(boolean[] y, int[] rows, int length) {
        if (length < 1 || length > latents) {
            throw new IllegalArgumentException("truncation length " + length + " must be in [1, " + latents + "]");
        }
        double[] posSum = new double[latents];
        double[] negSum = new double[latents];
        int pos = 0;
        for (int r : rows) {
            double[] sum = y[r] ? posSum : negSum;
            pos += y[r] ? 1 : 0;
            for (int j = r * k; j < (r + 1) * k; j++) {
                sum[indices[j]] += values[j];
            }
        }
        int neg = rows.length - pos;
        double[] score = new double[latents];
        for (int l = 0; l < latents; l++) {
            score[l] = Math.abs((pos == 0 ? 0 : posSum[l] / pos) - (neg == 0 ? 0 : negSum[l] / neg));
        }
        // Partial selection of the best `length` (length is small: 8 or 32).
        int[] best = new int[length];
        int filled = 0;
        for (int l = 0; l < latents; l++) {
            if (filled == length && !(score[l] > score[best[length - 1]])) {
                continue;
            }
            int at = filled == length ? length - 1 : filled++;
            while (at > 0 && score[l] > score[best[at - 1]]) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = l;
        }
        return best;
    }
}
