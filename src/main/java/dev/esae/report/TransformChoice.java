package dev.esae.report;

import dev.esae.InputException;
import dev.esae.equivariance.TransformFitReport;
import dev.esae.io.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Which fitted M a study gives its equivariant SAEs (SPEC §3): of the solvers' fits, the one with
 * the higher mean R² on the training activations (their {@code r2.json}); a tie goes to the first
 * solver listed (Adam, the paper's).
 *
 * @param solver the chosen solver's id
 * @param dir its transform folder
 * @param r2 its mean R² over p = 1..n−1
 */
public record TransformChoice(String solver, Path dir, double r2) {
    /** The solvers a study fits, in order of preference on a tie. */
    public static final List<String> SOLVERS = List.of("adam", "lbfgs");

    /** The better of the study's fits for {@code arch}, from their r2.json; an {@link InputException} when one is missing. */
    public static TransformChoice best(StudyLayout layout, String arch) {
        Map<String, Double> r2 = new java.util.LinkedHashMap<>();
        for (String solver : SOLVERS) {
            r2.put(solver, meanR2(layout.transform(arch, solver).resolve("r2.json")));
        }
        return of(layout, arch, r2);
    }

    /** The better of fits whose mean R² are already read ({@code r2} by solver, in {@link #SOLVERS} order). */
    public static TransformChoice of(StudyLayout layout, String arch, Map<String, Double> r2) {
        String solver = better(r2);
        return new TransformChoice(solver, layout.transform(arch, solver), r2.get(solver));
    }

    /**
     * The solver with the higher R², in the map's order: a tie keeps the earlier one, a NaN gives way
     * to the next. The one rule for the study's choice and for the report's claim R1.
     */
    static String better(Map<String, Double> r2BySolver) {
        String best = null;
        double bestR2 = Double.NaN;
        for (Map.Entry<String, Double> e : r2BySolver.entrySet()) {
            if (best == null || e.getValue() > bestR2 || Double.isNaN(bestR2)) {
                best = e.getKey();
                bestR2 = e.getValue();
            }
        }
        return best;
    }

    /** {@code fitted.mean} of an {@code r2.json}. */
    static double meanR2(Path file) {
        TransformFitReport.Summary r = Json.read(file, TransformFitReport.Summary.class, "a transform fit's report (make it with 'esae fit-m')");
        if (r.fitted() == null) {
            throw new InputException(file + ": has no fitted.mean (make it with 'esae fit-m')");
        }
        return r.fitted().mean();
    }
}
