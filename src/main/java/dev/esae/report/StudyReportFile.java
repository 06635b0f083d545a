package dev.esae.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.esae.data.DatasetInfo;
import dev.esae.equivariance.TransformFitReport;
import dev.esae.probe.CustomTask;
import dev.esae.probe.ProbeSummary;
import dev.esae.probe.ProbeTask;
import dev.esae.sae.SaeScores;
import java.util.List;
import java.util.Map;

/**
 * A study's {@code report.json}: its settings and step times, the paper's claims checked on it
 * ({@link PaperClaims}), every number per base model, and the datasets.
 *
 * @param timingsS wall seconds per step
 * @param complete true once the whole report is written (the study's last step checks it)
 */
public record StudyReportFile(StudySettings settings, Map<String, Double> timingsS, Map<String, PaperClaims.Claim> claims,
        Map<String, Model> models, Map<String, Dataset> datasets, boolean complete) {

    /**
     * One base model's numbers.
     *
     * @param r2 each solver's r2.json
     * @param atlas the feature atlas's part (left out when the study has no atlas yet)
     */
    public record Model(double baseFinalLoss, Map<String, TransformFitReport> r2, Choice mForEquivariantSae, List<Sae> saes,
            List<Probing> probing, List<Frontier.Point> frontier, @JsonInclude(JsonInclude.Include.NON_NULL) StudyAtlas.Section atlas) {}

    /** The fit of M the equivariant SAEs use: the solver with the higher training R². */
    public record Choice(double r2, String solver) {}

    /** One SAE's metrics.json, with its kind and K. */
    public record Sae(String kind, int k, @JsonUnwrapped SaeScores metrics) {}

    /**
     * One row of the probing summary: mean test F1 per task group (left out when no task of it was
     * probed) and over all tasks: S, SO, SP, SPO for the shapes; invariant and orientation for a
     * tasks CSV's (Fashion-MNIST's class and class-at-rotation tasks).
     */
    public record Probing(String sae, String kind, int k, @JsonProperty("L") int length, String input, String probe,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("S") Double s,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("SO") Double so,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("SP") Double sp,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("SPO") Double spo,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double invariant, @JsonInclude(JsonInclude.Include.NON_NULL) Double orientation,
            double all) {
        /** The row of a probing summary. */
        public static Probing of(ProbeSummary.Row r) {
            return new Probing(r.sae(), r.kind(), r.k(), r.length(), r.input().id(), r.probe(), r.group(ProbeTask.Group.S),
                    r.group(ProbeTask.Group.SO), r.group(ProbeTask.Group.SP), r.group(ProbeTask.Group.SPO),
                    r.means().get(CustomTask.INVARIANT), r.means().get(CustomTask.ORIENTATION), r.all());
        }
    }

    /**
     * A dataset's dataset.json, and for the probe set how many of its images are also training images.
     *
     * @param alsoInTrainingSet left out for the training set
     */
    public record Dataset(@JsonUnwrapped DatasetInfo info, @JsonInclude(JsonInclude.Include.NON_NULL) Integer alsoInTrainingSet) {}
}
