package dev.esae.equivariance;

import java.util.List;

/**
 * How well one matrix's powers predict the activations (SPEC §3), as r2.json holds it.
 *
 * @param perP R² of {@code M^p ψ(x)} against {@code ψ(g^p x)} for p = 1..n−1
 * @param std the population standard deviation of {@code perP}
 * @param cycleError {@code ‖M^n − I‖_F/√d}
 * @param skippedConstantDims dimensions left out of R² because the target is constant there
 */
public record TransformScore(List<Double> perP, double mean, double std, double cycleError, int skippedConstantDims) {
    public TransformScore {
        perP = List.copyOf(perP);
    }
}
