package dev.esae.nn;

import java.util.SplittableRandom;

/**
 * PyTorch's default initialisation of Linear, Conv2d and ConvTranspose2d: weights by
 * {@code kaiming_uniform_(a = sqrt(5))}, which is uniform on {@code ±1/sqrt(fan_in)}, and biases
 * uniform on the same bound. {@code fan_in} is {@code weight.size(1) × kernel area}: the input
 * features of a Linear or Conv2d, but the <em>output</em> channels of a ConvTranspose2d, whose
 * weight is {@code [in, out, kh, kw]}.
 */
public final class Init {
    private Init() {}

    /** {@code n} values uniform on {@code [-1/sqrt(fanIn), 1/sqrt(fanIn))}. */
    public static double[] uniformFanIn(SplittableRandom rng, int n, int fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rng.nextDouble() * 2 - 1) * bound;
        }
        return v;
    }
}
