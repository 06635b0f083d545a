package dev.esae.base;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.data.CyclicGroup;
import dev.esae.train.TrainingListener;

/**
 * ψ of every image in every orientation: {@code [N, n, 256]}, where entry {@code [i, p]} is the
 * encoder's output for {@code g^p x_i}.
 */
public final class Activations {
    private static final int CHUNK = 256;

    private Activations() {}

    /** @param images {@code [N, 4096]} in [0, 1] */
    public static float[] extract(Backend backend, Autoencoder model, float[] images, CyclicGroup group, TrainingListener progress) {
        int count = images.length / Autoencoder.IMAGE;
        int n = group.order();
        int d = Autoencoder.LATENT;
        float[] out = new float[count * n * d];
        int chunks = (count + CHUNK - 1) / CHUNK;
        progress.onStart(0, 1, chunks, count);
        try (Tensor data = backend.upload(images, count, Autoencoder.SIDE, Autoencoder.SIDE);
             Tensor rotated = backend.zeros(DType.F32, CHUNK, Autoencoder.SIDE, Autoencoder.SIDE)) {
            for (int c = 0; c < chunks; c++) {
                int start = c * CHUNK;
                int size = Math.min(CHUNK, count - start);
                Tensor r = size == CHUNK ? rotated : rotated.rows(0, size);
                for (int p = 0; p < n; p++) {
                    backend.rot90(data.rows(start, size), group.quarterTurns(p), r);
                    float[] psi = backend.download(model.encode(r.reshape(size, Autoencoder.IMAGE)));
                    for (int i = 0; i < size; i++) {
                        System.arraycopy(psi, i * d, out, ((start + i) * n + p) * d, d);
                    }
                }
                progress.onBatch(0, c + 1, () -> Double.NaN);
            }
        }
        return out;
    }
}
