package dev.esae.base;

import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import dev.esae.data.ContactSheet;
import dev.esae.io.Png;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A picture of what a base model does: input images in the top row, their reconstructions below. */
public final class Reconstructions {
    private Reconstructions() {}

    /** Draws the first {@code n} of {@code images} ([N, 4096] in [0, 1]) and their reconstructions. */
    public static void write(Path file, Backend backend, Autoencoder model, float[] images, int n) throws IOException {
        float[] first = Arrays.copyOf(images, n * Autoencoder.IMAGE);
        float[] out;
        try (Tensor x = backend.upload(first, n, Autoencoder.IMAGE)) {
            out = backend.download(model.forward(x));
        }
        List<byte[]> tiles = new ArrayList<>();
        for (float[] source : new float[][] {first, out}) {
            for (int i = 0; i < n; i++) {
                byte[] tile = new byte[Autoencoder.IMAGE];
                for (int j = 0; j < tile.length; j++) {
                    float v = Math.max(0f, Math.min(1f, source[i * Autoencoder.IMAGE + j]));
                    tile[j] = (byte) Math.round(v * 255f);
                }
                tiles.add(tile);
            }
        }
        ContactSheet sheet = ContactSheet.of(tiles, Autoencoder.SIDE, n, 2, 4);
        Png.writeGray(file, sheet.pixels(), sheet.width(), sheet.height());
    }
}
