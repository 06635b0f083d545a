package dev.esae.equivariance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.esae.train.Provenance;
import java.util.List;

/**
 * A transform folder's {@code r2.json}: the data, how M was fitted, and the R² of the fit, of the
 * identity and of closed-form least squares (and of the fit with the cycle penalty when asked).
 *
 * @param solver how M was fitted ({@link TransformSolver#id})
 * @param fittedCycle the fit with the cycle penalty (left out when none was asked)
 */
public record TransformFitReport(int inputs, int n, int d, String solver, String orientations, @JsonUnwrapped SolverRun run,
        long seed, List<Integer> powers, TransformScore fitted, TransformScore identity, TransformScore lstsq, double cycleError,
        double finalLoss, @JsonInclude(JsonInclude.Include.NON_NULL) CycleFit fittedCycle, String r2Convention, String esaeVersion,
        Provenance provenance) {
    /** How R² is computed, as the file says it. */
    public static final String R2_CONVENTION = "per dimension 1 - SS_res/SS_tot, plain mean over dimensions; constant dimensions skipped";

    /**
     * What one solver's run was: Adam's schedule, or L-BFGS's iterations and why it stopped (the
     * other solver's fields are left out).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SolverRun(Integer epochs, Integer batch, Double lr, Integer maxIterations, Integer iterations, Integer evaluations,
            Integer history, String stop, Double startLoss) {
        /** An Adam fit's schedule. */
        public static SolverRun adam(int epochs, int batch, float lr) {
            return new SolverRun(epochs, batch, (double) lr, null, null, null, null, null, null);
        }

        /** An L-BFGS fit's budget and what it did. */
        public static SolverRun lbfgs(int maxIterations, int iterations, int evaluations, int history, String stop, double startLoss) {
            return new SolverRun(null, null, null, maxIterations, iterations, evaluations, history, stop, startLoss);
        }
    }

    /** The fit with the cycle penalty of weight {@code cycleWeight}: its score, last loss and run. */
    public record CycleFit(@JsonUnwrapped TransformScore score, double cycleWeight, double finalLoss, @JsonUnwrapped SolverRun run) {}

    /** What the study reads back of an r2.json: the solver and the fit's score. */
    public record Summary(String solver, TransformScore fitted) {}
}
