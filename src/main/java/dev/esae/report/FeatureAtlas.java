package dev.esae.report;

import dev.esae.base.Autoencoder;
import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import dev.esae.data.CyclicGroup;
import dev.esae.data.ShapesDataset;
import dev.esae.probe.ProbeSet;
import dev.esae.probe.SparseCodes;
import dev.esae.sae.SaeFiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The features of an equivariant SAE and their symmetry (SPEC §7, the paper's Figure 1, right):
 * for each live dictionary row D_i, the cosines of {@code M^p D_i} with D_i (near 1 for every p:
 * an invariant feature, otherwise equivariant), the row {@code M D_i} is closest to, the decoded
 * images of {@code M^p (b_dec + a_i D_i)} through the base decoder minus those of {@code M^p b_dec}
 * (a_i the latent's mean value when it fires), and the probe images that activate it most.
 */
public final class FeatureAtlas {
    /** A feature is invariant when {@code cos(M^p D_i, D_i)} reaches this for every p = 1..n−1. */
    public static final double INVARIANT_COSINE = 0.9;
    private static final int TOP_INPUTS = 4;

    /** One feature: latent index, how often it fires, its class and cosines, its image and its top inputs. */
    public record Feature(int latent, int fires, double meanValue, boolean invariant, double[] cosines, int mapsTo, double mapsToCosine,
            List<byte[]> decoded, List<byte[]> topInputs) {}

    private FeatureAtlas() {}

    /**
     * The {@code limit} most frequently firing latents of {@code sae} on the probe set, most frequent first.
     *
     * @param images the probe set's canonical images (each is shown at the power the probe set drew)
     */
    public static List<Feature> compute(Backend backend, Autoencoder model, SaeFiles.Loaded sae, ProbeSet set, ShapesDataset images,
            int limit) {
        int d = sae.sae().dim();
        int latents = sae.sae().latents();
        int n = set.order();
        float[] m = sae.transform();
        float[] wDec = backend.download(sae.sae().namedParameters().get("W_dec").value());
        float[] bDec = backend.download(sae.sae().namedParameters().get("b_dec").value());
        SparseCodes codes = SparseCodes.encode(backend, sae.sae(), set.psi());
        int[] fires = new int[latents];
        double[] sum = new double[latents];
        for (int j = 0; j < codes.values().length; j++) {
            if (codes.values()[j] > 0) {
                fires[codes.indices()[j]]++;
                sum[codes.indices()[j]] += codes.values()[j];
            }
        }
        Integer[] order = new Integer[latents];
        for (int i = 0; i < latents; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> fires[a] != fires[b] ? Integer.compare(fires[b], fires[a]) : Integer.compare(a, b));
        double[] norms = new double[latents];
        for (int i = 0; i < latents; i++) {
            norms[i] = Math.sqrt(dot(wDec, i * d, wDec, i * d, d));
        }
        int[] powers = set.powers();
        CyclicGroup group = new CyclicGroup(n);
        // The decoded M^p b_dec, the same for every feature: the reference of each difference image.
        float[][] biases = new float[n][];
        biases[0] = bDec;
        for (int p = 1; p < n; p++) {
            biases[p] = apply(m, biases[p - 1], d);
        }
        float[] baseline = decode(backend, model, biases);
        List<Feature> out = new ArrayList<>();
        for (int r = 0; r < Math.min(limit, latents) && fires[order[r]] > 0; r++) {
            int i = order[r];
            double mean = sum[i] / fires[i];
            float[] row = Arrays.copyOfRange(wDec, i * d, (i + 1) * d);
            double[] cos = new double[n - 1];
            float[] moved = row;
            float[] first = null;
            boolean invariant = true;
            for (int p = 1; p < n; p++) {
                moved = apply(m, moved, d);
                if (p == 1) {
                    first = moved;
                }
                cos[p - 1] = dot(moved, 0, row, 0, d) / (Math.sqrt(dot(moved, 0, moved, 0, d)) * norms[i] + 1e-30);
                invariant &= cos[p - 1] >= INVARIANT_COSINE;
            }
            int best = -1;
            double bestCos = Double.NEGATIVE_INFINITY;
            double firstNorm = Math.sqrt(dot(first, 0, first, 0, d)) + 1e-30;
            for (int j = 0; j < latents; j++) {
                if (j != i && fires[j] > 0) {
                    double c = dot(first, 0, wDec, j * d, d) / (firstNorm * norms[j] + 1e-30);
                    if (c > bestCos) {
                        bestCos = c;
                        best = j;
                    }
                }
            }
            // M^p (b_dec + a_i D_i) for p = 0..n-1, decoded by the base model, shown as the change from
            // decoding M^p b_dec alone: b_dec (near the data mean) would otherwise dominate every picture.
            float[][] vectors = new float[n][];
            vectors[0] = new float[d];
            for (int c = 0; c < d; c++) {
                vectors[0][c] = (float) (bDec[c] + mean * row[c]);
            }
            for (int p = 1; p < n; p++) {
                vectors[p] = apply(m, vectors[p - 1], d);
            }
            List<byte[]> decoded = differenceImages(decode(backend, model, vectors), baseline, n);
            out.add(new Feature(i, fires[i], mean, invariant, cos, best, best < 0 ? Double.NaN : bestCos, decoded,
                    topInputs(codes, i, images, powers, group)));
        }
        return out;
    }

    private static List<byte[]> topInputs(SparseCodes codes, int latent, ShapesDataset images, int[] powers, CyclicGroup group) {
        int k = codes.k();
        List<float[]> hits = new ArrayList<>();
        for (int r = 0; r < codes.rows(); r++) {
            for (int j = r * k; j < (r + 1) * k; j++) {
                if (codes.indices()[j] == latent && codes.values()[j] > 0) {
                    hits.add(new float[] {codes.values()[j], r});
                }
            }
        }
        hits.sort((a, b) -> a[0] != b[0] ? Float.compare(b[0], a[0]) : Float.compare(a[1], b[1]));
        List<byte[]> out = new ArrayList<>();
        for (int h = 0; h < Math.min(TOP_INPUTS, hits.size()); h++) {
            int r = (int) hits.get(h)[1];
            out.add(group.actOnImage(images.image(r), ShapesDataset.SIZE, powers[r]));
        }
        return out;
    }

    /** The base decoder's images {@code [vectors, 4096]} of {@code vectors}. */
    private static float[] decode(Backend backend, Autoencoder model, float[][] vectors) {
        int d = vectors[0].length;
        float[] flat = new float[vectors.length * d];
        for (int p = 0; p < vectors.length; p++) {
            System.arraycopy(vectors[p], 0, flat, p * d, d);
        }
        try (Tensor t = backend.upload(flat, vectors.length, d)) {
            return backend.download(model.decode(t));
        }
    }

    /**
     * The n images {@code with − without}: mid-grey for no change, brighter where the feature adds
     * ink, darker where it removes it, scaled by the largest change over the n images.
     */
    private static List<byte[]> differenceImages(float[] with, float[] without, int n) {
        int size = Autoencoder.IMAGE;
        double scale = 1e-12;
        for (int j = 0; j < n * size; j++) {
            scale = Math.max(scale, Math.abs(with[j] - without[j]));
        }
        List<byte[]> out = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            byte[] img = new byte[size];
            for (int j = 0; j < size; j++) {
                double diff = (with[p * size + j] - without[p * size + j]) / scale;
                img[j] = (byte) Math.round(127.5 + 127.5 * Math.max(-1, Math.min(1, diff)));
            }
            out.add(img);
        }
        return out;
    }

    /** {@code M v} for a row-major {@code M [d, d]}. */
    private static float[] apply(float[] m, float[] v, int d) {
        float[] out = new float[d];
        for (int a = 0; a < d; a++) {
            double s = 0;
            for (int b = 0; b < d; b++) {
                s += (double) m[a * d + b] * v[b];
            }
            out[a] = (float) s;
        }
        return out;
    }

    private static double dot(float[] a, int aAt, float[] b, int bAt, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += (double) a[aAt + j] * b[bAt + j];
        }
        return s;
    }
}
