package dev.esae.equivariance;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * How well a matrix explains the activations' transformation (SPEC §3): R² of {@code M^p ψ(x)}
 * against {@code ψ(g^p x)} for each p = 1..n−1, their mean and (population) standard deviation,
 * and {@code ‖M^n − I‖_F/√d}.
 */
public final class TransformReport {
    private TransformReport() {}

    /** R² per p = 1..n−1 of {@code m}'s powers on {@code acts}, with mean, std and cycle error. */
    public static TransformScore evaluate(Backend backend, ActivationSet acts, float[] m) {
        int n = acts.order();
        int d = acts.dim();
        int count = acts.count();
        List<Double> perP = new ArrayList<>();
        int skipped = 0;
        try (Tensor mt = backend.upload(m, d, d); Tensor a = backend.upload(acts.orientation(0), count, d);
             Tensor next = backend.zeros(DType.F32, count, d); Tensor prev = backend.zeros(DType.F32, count, d)) {
            backend.copy(a, prev);
            for (int p = 1; p < n; p++) {
                backend.gemm(false, true, 1f, prev, mt, 0f, next);
                R2.Score s = R2.score(acts.orientation(p), backend.download(next), count, d);
                perP.add(s.mean());
                skipped = Math.max(skipped, s.skippedConstantDims());
                backend.copy(next, prev);
            }
        }
        double mean = perP.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = perP.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElse(Double.NaN);
        return new TransformScore(perP, mean, Math.sqrt(var), CyclePenalty.cycleError(m, d, n), skipped);
    }

    /** The identity matrix of size d. */
    public static float[] identity(int d) {
        float[] m = new float[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + i] = 1f;
        }
        return m;
    }

    /** The identity matrix of size d, in double (for parameters and float64 tensors). */
    static double[] identityDoubles(int d) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + i] = 1;
        }
        return m;
    }
}
