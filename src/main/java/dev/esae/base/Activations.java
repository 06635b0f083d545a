package dev.esae.base;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.data.CyclicGroup;
import dev.esae.data.DatasetFiles;
import dev.esae.data.ShapesDataset;
import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import dev.esae.train.Provenance;
import dev.esae.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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

    /**
     * {@code esae activations} as a library call: ψ of every image of {@code dataset} (read from
     * {@code dataDir}) in all four orientations through the base model in {@code modelDir}, written
     * as float32 {@code [N, 4, 256]} to {@code out} with its {@link ActivationsInfo} beside it.
     */
    public static ActivationsInfo write(Backend backend, Path modelDir, Path dataDir, ShapesDataset dataset, Path out, long seed,
            TrainingListener progress) throws IOException {
        CyclicGroup group = CyclicGroup.C4;
        try (Autoencoder ae = ModelFiles.load(backend, modelDir)) {
            float[] acts = extract(backend, ae, dataset.imagesAsFloats(), group, progress);
            Npy.write(out, HostArray.ofFloats(acts, dataset.size(), group.order(), Autoencoder.LATENT));
            ActivationsInfo info = new ActivationsInfo(modelDir.toString(), ae.architecture().id(), dataDir.toString(),
                    DatasetFiles.orientations(dataDir).id(), List.of(dataset.size(), group.order(), Autoencoder.LATENT),
                    Provenance.of(backend, seed, List.of(modelDir.resolve(ModelFiles.WEIGHTS), DatasetFiles.imagesFile(dataDir))));
            info.write(out);
            return info;
        }
    }
}
