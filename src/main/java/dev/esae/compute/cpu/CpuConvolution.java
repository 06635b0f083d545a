package dev.esae.compute.cpu;

import static dev.esae.compute.cpu.CpuOperands.cpu;
import static dev.esae.compute.cpu.CpuOperands.isF64;

import dev.esae.compute.ConvGeometry;
import dev.esae.compute.OpShapes;
import dev.esae.compute.Tensor;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CPU backend's convolution unfolding, {@code im2col} and its adjoint {@code col2im}, in
 * float32 and float64, parallel over images. Both follow a geometry's gather map (which input
 * element each column entry reads, or -1 for padding), built once per geometry and cached, since
 * a model uses the same few geometries for every batch.
 */
final class CpuConvolution {
    private final CpuParallel parallel;
    private final Map<ConvGeometry, int[]> gatherMaps = new ConcurrentHashMap<>();

    CpuConvolution(CpuParallel parallel) {
        this.parallel = parallel;
    }

    private int[] gatherMap(ConvGeometry g) {
        return gatherMaps.computeIfAbsent(g, ConvGeometry::gatherMap);
    }

    /** One image's work: its values start at {@code xo} in the images, its columns at {@code co}. */
    @FunctionalInterface
    private interface PerImage {
        void run(int xo, int co);
    }

    /**
     * Checks the operands and runs {@code body} for every image of the batch, images in parallel
     * (each image's values and columns are touched by that image's work only).
     */
    private void eachImage(Tensor input, ConvGeometry g, Tensor cols, PerImage body) {
        int in = g.inputSize();
        int per = gatherMap(g).length;
        eachImageRange(input, g, cols, (from, to) -> {
            for (int b = from; b < to; b++) {
                body.run(b * in, b * per);
            }
        });
    }

    /** Checks the operands and runs {@code body} over ranges of the batch's images, in parallel. */
    private void eachImageRange(Tensor input, ConvGeometry g, Tensor cols, CpuParallel.RangeBody body) {
        int batch = OpShapes.conv(input, g, cols);
        parallel.forRange(batch, 1, body);
    }

    /** {@link dev.esae.compute.Backend#im2col}. */
    void im2col(Tensor input, ConvGeometry g, Tensor cols) {
        int[] map = gatherMap(g);
        if (isF64(input, cols)) {
            DoubleBuffer x = cpu(input).d();
            DoubleBuffer c = cpu(cols).d();
            eachImage(input, g, cols, (xo, co) -> {
                for (int j = 0; j < map.length; j++) {
                    c.put(co + j, map[j] < 0 ? 0 : x.get(xo + map[j]));
                }
            });
        } else {
            FloatBuffer x = cpu(input).f();
            FloatBuffer c = cpu(cols).f();
            int in = g.inputSize();
            eachImageRange(input, g, cols, (from, to) -> {
                // Per image: its pixels and columns copied in bulk, the gather done on arrays (no
                // buffer index check per element, which was most of the cost).
                float[] pixels = new float[in];
                float[] columns = new float[map.length];
                for (int b = from; b < to; b++) {
                    x.get(b * in, pixels, 0, in);
                    for (int j = 0; j < map.length; j++) {
                        columns[j] = map[j] < 0 ? 0f : pixels[map[j]];
                    }
                    c.put(b * map.length, columns, 0, map.length);
                }
            });
        }
    }

    /** {@link dev.esae.compute.Backend#col2im}: each image's pixels are zeroed, then its columns added where they came from. */
    void col2im(Tensor cols, ConvGeometry g, Tensor input) {
        int[] map = gatherMap(g);
        int in = g.inputSize();
        if (isF64(input, cols)) {
            DoubleBuffer x = cpu(input).d();
            DoubleBuffer c = cpu(cols).d();
            eachImage(input, g, cols, (xo, co) -> {
                for (int i = 0; i < in; i++) {
                    x.put(xo + i, 0);
                }
                for (int j = 0; j < map.length; j++) {
                    if (map[j] >= 0) {
                        x.put(xo + map[j], x.get(xo + map[j]) + c.get(co + j));
                    }
                }
            });
        } else {
            FloatBuffer x = cpu(input).f();
            FloatBuffer c = cpu(cols).f();
            eachImageRange(input, g, cols, (from, to) -> {
                float[] pixels = new float[in];
                float[] columns = new float[map.length];
                for (int b = from; b < to; b++) {
                    c.get(b * map.length, columns, 0, map.length);
                    java.util.Arrays.fill(pixels, 0f);
                    // The same additions in the same order as the element-wise loop: same bits.
                    for (int j = 0; j < map.length; j++) {
                        if (map[j] >= 0) {
                            pixels[map[j]] += columns[j];
                        }
                    }
                    x.put(b * in, pixels, 0, in);
                }
            });
        }
    }
}
