package dev.esae.report;

import dev.esae.InputException;
import dev.esae.io.Json;
import java.io.IOException;
import java.nio.file.Files;
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

    /** The better of the study's fits for {@code arch}; an {@link InputException} when one is missing. */
    public static TransformChoice best(StudyLayout layout, String arch) {
        TransformChoice best = null;
        for (String solver : SOLVERS) {
            Path dir = layout.transform(arch, solver);
            double r2 = meanR2(dir.resolve("r2.json"));
            if (best == null || r2 > best.r2 || Double.isNaN(best.r2)) {
                best = new TransformChoice(solver, dir, r2);
            }
        }
        return best;
    }

    /** {@code fitted.mean} of an {@code r2.json}. */
    static double meanR2(Path file) {
        try {
            Object fitted = Json.parseObject(Files.readString(file)).get("fitted");
            if (fitted instanceof Map<?, ?> f && f.get("mean") instanceof Number n) {
                return n.doubleValue();
            }
            throw new InputException(file + ": has no fitted.mean (make it with 'esae fit-m')");
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(file + ": cannot be read (" + e.getMessage() + "; make it with 'esae fit-m')");
        }
    }
}
