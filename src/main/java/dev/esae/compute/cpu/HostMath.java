package dev.esae.compute.cpu;

/**
 * Loops over plain Java arrays that host-side code (the probes) runs millions of times: SIMD
 * through {@link VectorOps} when {@link VectorSupport} allows it, else a scalar loop.
 */
public final class HostMath {
    private HostMath() {}

    /** The squared Euclidean distance between {@code a[aAt .. aAt+len)} and {@code b[bAt .. bAt+len)}. */
    public static float squaredDistance(float[] a, int aAt, float[] b, int bAt, int len) {
        if (VectorSupport.available()) {
            return VectorOps.squaredDistance(a, aAt, b, bAt, len);
        }
        double sum = 0;
        for (int j = 0; j < len; j++) {
            double diff = a[aAt + j] - b[bAt + j];
            sum += diff * diff;
        }
        return (float) sum;
    }
}
