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

    /** {@link dev.esae.compute.Backend#im2col}. */
    void im2col(Tensor input, ConvGeometry g, Tensor cols) {
        boolean f64 = isF64(input, cols);
        int batch = OpShapes.conv(input, g, cols);
        int[] map = gatherMap(g);
        int in = g.inputSize();
        int per = map.length;
        if (f64) {
            DoubleBuffer x = cpu(input).d();
            DoubleBuffer c = cpu(cols).d();
            parallel.forRange(batch, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    for (int j = 0; j < per; j++) {
                        int src = map[j];
                        c.put(b * per + j, src < 0 ? 0 : x.get(b * in + src));
                    }
                }
            });
        } else {
            FloatBuffer x = cpu(input).f();
            FloatBuffer c = cpu(cols).f();
            parallel.forRange(batch, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    int xo = b * in;
                    int co = b * per;
                    for (int j = 0; j < per; j++) {
                        int src = map[j];
                        c.put(co + j, src < 0 ? 0f : x.get(xo + src));
                    }
                }
            });
        }
    }

    /** {@link dev.esae.compute.Backend#col2im}. */
    void col2im(Tensor cols, ConvGeometry g, Tensor input) {
        boolean f64 = isF64(input, cols);
        int batch = OpShapes.conv(input, g, cols);
        int[] map = gatherMap(g);
        int in = g.inputSize();
        int per = map.length;
        // Each image's pixels are written by that image's rows only, so images run in parallel.
        if (f64) {
            DoubleBuffer x = cpu(input).d();
            DoubleBuffer c = cpu(cols).d();
            parallel.forRange(batch, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    for (int i = 0; i < in; i++) {
                        x.put(b * in + i, 0);
                    }
                    for (int j = 0; j < per; j++) {
                        int dst = map[j];
                        if (dst >= 0) {
                            x.put(b * in + dst, x.get(b * in + dst) + c.get(b * per + j));
                        }
                    }
                }
            });
        } else {
            FloatBuffer x = cpu(input).f();
            FloatBuffer c = cpu(cols).f();
            parallel.forRange(batch, 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    int xo = b * in;
                    int co = b * per;
                    for (int i = 0; i < in; i++) {
                        x.put(xo + i, 0f);
                    }
                    for (int j = 0; j < per; j++) {
                        int dst = map[j];
                        if (dst >= 0) {
                            x.put(xo + dst, x.get(xo + dst) + c.get(co + j));
                        }
                    }
                }
            });
        }
    }
}
