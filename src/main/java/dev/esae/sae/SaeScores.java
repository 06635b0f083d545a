package dev.esae.sae;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.esae.train.Provenance;

/**
 * An SAE's {@code metrics.json}: what {@link SaeMetrics} measures over every row of an activation
 * set, then how its training ended and where it came from (null until {@link #withTraining}).
 *
 * @param deadFraction the fraction of latents never active over the rows
 * @param target what the outputs were scored against
 * @param unknownP the equivariant kind with p unknown (left out otherwise)
 */
public record SaeScores(double mse, double fvu, double l0, double l1, double deadFraction, int deadLatents, int rows, String target,
        @JsonInclude(JsonInclude.Include.NON_NULL) UnknownP unknownP,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double finalLoss,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer epochs,
        @JsonInclude(JsonInclude.Include.NON_NULL) Provenance provenance) {
    /**
     * The equivariant SAE when each row's p is picked as the one whose {@code M^p x̂} is closest.
     *
     * @param accuracy how often that p is the true one
     */
    public record UnknownP(double accuracy, double mse, double fvu) {}

    /** These scores with the training's last loss, its epochs and the provenance. */
    public SaeScores withTraining(double lastLoss, int epochsDone, Provenance from) {
        return new SaeScores(mse, fvu, l0, l1, deadFraction, deadLatents, rows, target, unknownP, lastLoss, epochsDone, from);
    }
}
