package dev.esae.compute.cpu;

import static dev.esae.compute.cpu.CpuOperands.f32;
import static dev.esae.compute.cpu.CpuParallel.ELEMENTWISE_GRAIN;

import dev.esae.compute.OpShapes;
import dev.esae.compute.Rot90;
import dev.esae.compute.Tensor;
import java.nio.FloatBuffer;

/**
 * The CPU backend's image operation: {@code rot90}, the rotation group's action on a batch of
 * square float32 images, pixel by pixel through {@link Rot90}'s index map, parallel over images.
 */
final class CpuImages {
    private final CpuParallel parallel;

    CpuImages(CpuParallel parallel) {
        this.parallel = parallel;
    }

    /** {@link dev.esae.compute.Backend#rot90}. */
    void rot90(Tensor images, int quarterTurns, Tensor out) {
        OpShapes.rot90(images, out);
        FloatBuffer in = f32(images).f();
        FloatBuffer o = f32(out).f();
        int size = images.dim(1);
        int pixels = size * size;
        int turns = Rot90.normalize(quarterTurns);
        parallel.forRange(images.dim(0), Math.max(1, ELEMENTWISE_GRAIN / pixels), (from, to) -> {
            for (int b = from; b < to; b++) {
                int base = b * pixels;
                for (int r = 0; r < size; r++) {
                    for (int c = 0; c < size; c++) {
                        o.put(base + r * size + c, in.get(base + Rot90.sourceIndex(size, turns, r, c)));
                    }
                }
            }
        });
    }
}
