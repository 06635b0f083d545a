package dev.esae.compute.cpu;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * AuxK's dead-latent bookkeeping on the CPU ({@link dev.esae.compute.Backend#updateDeadLatents}),
 * over buffers whose shapes and types the backend has checked. One thread: a step touches L
 * counters and B·K selected entries, far below what is worth splitting.
 */
final class CpuDeadLatents {
    private CpuDeadLatents() {}

    /**
     * Advances the {@code latents} counters by {@code rows} (saturating at {@code deadAfter}),
     * resets those of the latents selected with a positive value, and writes the mask.
     * Every index is checked before anything is written, so a bad one changes nothing.
     */
    static void update(FloatBuffer values, IntBuffer indices, int entries, int rows, int deadAfter, IntBuffer rowsSinceFired,
            FloatBuffer deadMask, int latents) {
        for (int e = 0; e < entries; e++) {
            int latent = indices.get(e);
            if (latent < 0 || latent >= latents) {
                throw new IndexOutOfBoundsException("updateDeadLatents: index " + latent + " outside " + latents + " latents");
            }
        }
        for (int i = 0; i < latents; i++) {
            // In long: a counter near deadAfter plus a batch's rows can pass 2^31.
            rowsSinceFired.put(i, (int) Math.min((long) rowsSinceFired.get(i) + rows, deadAfter));
        }
        for (int e = 0; e < entries; e++) {
            if (values.get(e) > 0f) {
                rowsSinceFired.put(indices.get(e), 0);
            }
        }
        for (int i = 0; i < latents; i++) {
            deadMask.put(i, rowsSinceFired.get(i) >= deadAfter ? 0f : Float.NEGATIVE_INFINITY);
        }
    }
}
