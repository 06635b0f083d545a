package dev.esae.equivariance;

/**
 * How M is fitted (SPEC §3): Adam with {@code lr}, {@code batch} inputs per step, {@code epochs}
 * passes, and an optional cycle penalty {@code cycleWeight · ‖M^n − I‖²_F / d} (0: the paper's
 * plain fit).
 */
public record TransformConfig(int epochs, int batch, float learningRate, long seed, float cycleWeight) {}
