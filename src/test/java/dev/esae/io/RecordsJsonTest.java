package dev.esae.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.base.Architecture;
import dev.esae.base.BaseModelConfig;
import dev.esae.base.BaseModelInfo;
import dev.esae.equivariance.TransformFitReport;
import dev.esae.equivariance.TransformScore;
import dev.esae.sae.SaeConfig;
import dev.esae.sae.SaeKind;
import dev.esae.sae.SaeScores;
import dev.esae.train.Provenance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every saved record reads back equal to what was written, with the keys in the order the files have always had. */
class RecordsJsonTest {
    private static final Provenance PROVENANCE = new Provenance("0.1.0", "abc", "cpu (OpenBLAS 0.3, 1 thread)", "a CPU", 1, "java 17",
            "Linux", 7, Map.of("acts.npy", "00ff"));

    private static <T> T roundTrip(T value, Class<T> type) {
        String text = Json.pretty(value);
        T back = Json.bind(text, type);
        assertEquals(value, back, text);
        assertEquals(text, Json.pretty(back), "the same bytes again");
        return back;
    }

    private static List<String> keys(Object value) {
        return List.copyOf(Json.parseObject(Json.pretty(value)).keySet());
    }

    @Test
    void aBaseModelConfigReadsBack() {
        BaseModelInfo info = new BaseModelConfig(Architecture.CNN, 3, 32, 1e-3f, 5, "data", 96, "upright").toInfo(2, 0.25, PROVENANCE);
        roundTrip(info, BaseModelInfo.class);
        assertEquals(List.of("kind", "arch", "latent_dim", "image_size", "group_order", "epochs", "epochs_done", "batch", "lr", "seed", "data",
                "images", "orientations", "loss", "final_loss", "esae_version", "provenance"), keys(info));
        assertEquals(new BaseModelConfig(Architecture.CNN, 3, 32, 1e-3f, 5, "data", 96, "upright"), info.toConfig(java.nio.file.Path.of("c")));
    }

    @Test
    void anSaeConfigAndItsMetricsReadBack() {
        SaeConfig cfg = SaeConfig.of(SaeKind.EQUIVARIANT, 16, 128, 4, 4,
                new SaeConfig.Training(2, 8, 1e-3f, 1, 40, 0, 0.03125f, "acts.npy", "upright", "m (M)"), "0.1.0")
                .trained("cuda", 2, 0.5, PROVENANCE);
        roundTrip(cfg, SaeConfig.class);
        assertEquals(List.of("architecture", "d_in", "d_sae", "k", "activation_fn_kwargs", "apply_b_dec_to_input", "normalize_activations",
                "dtype", "device", "esae_kind", "esae_hidden", "group_order", "epochs", "batch", "lr", "seed", "inputs", "auxk", "auxk_coef",
                "acts", "orientations", "transform", "esae_version", "epochs_done", "final_loss", "provenance"), keys(cfg));
        SaeScores s = new SaeScores(0.1, 0.2, 4, 1.5, 0.25, 32, 160, "the input row", new SaeScores.UnknownP(0.9, 0.11, 0.21), null, null, null)
                .withTraining(0.3, 2, PROVENANCE);
        roundTrip(s, SaeScores.class);
        assertEquals(List.of("mse", "fvu", "l0", "l1", "dead_fraction", "dead_latents", "rows", "target", "unknown_p", "final_loss", "epochs",
                "provenance"), keys(s));
        assertEquals(List.of("mse", "fvu", "l0", "l1", "dead_fraction", "dead_latents", "rows", "target"),
                keys(new SaeScores(0.1, 0.2, 4, 1.5, 0.25, 32, 160, "the input row", null, null, null, null)), "unknowns are left out");
    }

    @Test
    void aTransformFitReportReadsBackWithEachSolversOwnFields() {
        TransformScore score = new TransformScore(List.of(0.9, 0.8, 0.7), 0.8, 0.08, 0.01, 0);
        TransformFitReport adam = new TransformFitReport(10, 4, 8, "adam", "upright", TransformFitReport.SolverRun.adam(3, 16, 1e-3f), 0,
                List.of(1, 2, 3), score, score, score, 0.01, 0.2, new TransformFitReport.CycleFit(score, 0.5, 0.3,
                        TransformFitReport.SolverRun.adam(3, 16, 1e-3f)), TransformFitReport.R2_CONVENTION, "0.1.0", PROVENANCE);
        roundTrip(adam, TransformFitReport.class);
        assertEquals(List.of("inputs", "n", "d", "solver", "orientations", "epochs", "batch", "lr", "seed", "powers", "fitted", "identity",
                "lstsq", "cycle_error", "final_loss", "fitted_cycle", "r2_convention", "esae_version", "provenance"), keys(adam));
        Map<?, ?> cycle = (Map<?, ?>) Json.parseObject(Json.pretty(adam)).get("fitted_cycle");
        assertEquals(List.of("per_p", "mean", "std", "cycle_error", "skipped_constant_dims", "cycle_weight", "final_loss", "epochs", "batch",
                "lr"), List.copyOf(cycle.keySet().stream().map(String::valueOf).toList()));
        TransformFitReport lbfgs = new TransformFitReport(10, 4, 8, "lbfgs", "upright",
                TransformFitReport.SolverRun.lbfgs(50, 12, 14, 100, "converged", 1.5), 0, List.of(1, 2, 3), score, score, score, 0.01, 0.2,
                null, TransformFitReport.R2_CONVENTION, "0.1.0", PROVENANCE);
        roundTrip(lbfgs, TransformFitReport.class);
        assertEquals(List.of("inputs", "n", "d", "solver", "orientations", "max_iterations", "iterations", "evaluations", "history", "stop",
                "start_loss", "seed", "powers", "fitted", "identity", "lstsq", "cycle_error", "final_loss", "r2_convention", "esae_version",
                "provenance"), keys(lbfgs));
    }

    @Test
    void aFileOfTheWrongShapeIsAnErrorNotAZero() {
        assertThrows(IllegalArgumentException.class, () -> Json.bind("{\"mse\": \"x\"}", SaeScores.class));
        assertThrows(IllegalArgumentException.class, () -> Json.bind("{\"d_in\": 2.5}", SaeConfig.class));
        assertThrows(IllegalArgumentException.class, () -> Json.bind("{\"d_in\": 2, \"d_in\": 3}", SaeConfig.class));
        assertThrows(IllegalArgumentException.class, () -> Json.bind("{\"mse\": null}", SaeScores.class), "null for a primitive");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.bind("{\"d_in\": }", SaeConfig.class));
        assertTrue(e.getMessage().startsWith("JSON: ") && e.getMessage().contains("line 1, column"), e.getMessage());
    }
}
