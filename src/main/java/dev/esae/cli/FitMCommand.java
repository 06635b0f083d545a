package dev.esae.cli;

import dev.esae.BuildInfo;
import dev.esae.compute.Backend;
import dev.esae.equivariance.ActivationSet;
import dev.esae.equivariance.LeastSquares;
import dev.esae.equivariance.TransformConfig;
import dev.esae.equivariance.TransformFiles;
import dev.esae.equivariance.TransformFit;
import dev.esae.equivariance.TransformReport;
import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import dev.esae.report.Charts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code esae fit-m}: the matrix M with {@code M^p ψ(x) ≈ ψ(g^p x)} and its R² (SPEC §3). */
@Command(name = "fit-m",
        description = {"Fit the matrix M with M^p psi(x) ~ psi(g^p x), and its R2.",
            "From the identity, by Adam through every power (--solver adam, the paper's procedure) or by full-batch",
            "L-BFGS on the same loss (--solver lbfgs). Writes M.safetensors, r2.json (R2 per p for the fit, the",
            "identity and closed-form least squares), r2.png and loss.csv. --cycle-weight W also fits with a",
            "penalty W*||M^n - I||^2/d, reported beside it."})
final class FitMCommand extends Subcommand {
    @Option(names = "--acts", paramLabel = "FILE", required = true, description = "Activations: float32 [N, n, d] (or [N, d] with --powers).")
    Path acts;

    @Option(names = "--powers", paramLabel = "FILE", description = "Powers of a flat [N, d] file: whole orbits in order (0..n-1 repeated).")
    Path powers;

    @Option(names = "--solver", paramLabel = "S", defaultValue = "adam",
            description = "adam (mini-batch, --epochs, the paper's procedure) or lbfgs (full batch, --iterations). Default: ${DEFAULT-VALUE}.")
    String solverName;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "150", description = "Epochs of Adam. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--iterations", paramLabel = "I", defaultValue = "500",
            description = "Most iterations of L-BFGS (it stops earlier when the loss stops falling). Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--cycle-weight", paramLabel = "W", defaultValue = "0", description = "Also fit with the cycle penalty of weight W. Default: 0 (plain fit only).")
    float cycleWeight;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64", description = "Inputs per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    float lr;

    @Option(names = "--overwrite", description = "Replace what --out already holds of this command's output.")
    boolean overwrite;

    /** How M is fitted. */
    enum Solver {
        ADAM, LBFGS;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A fit's M, its loss history and what the report says of how it was fitted. */
    private record Fit(float[] m, dev.esae.train.LossHistory history, Map<String, Object> about) {}

    @Override
    public Integer call() throws IOException {
        Solver solver = switch (solverName) {
            case "adam" -> Solver.ADAM;
            case "lbfgs" -> Solver.LBFGS;
            default -> throw new dev.esae.InputException("--solver: expected adam or lbfgs, got '" + solverName + "'");
        };
        Options.requirePositive("--iterations", iterations);
        Options.requirePositive("--epochs", epochs);
        Options.requirePositive("--batch", batch);
        Options.requirePositiveFinite("--lr", lr);
        if (!(cycleWeight >= 0) || !Float.isFinite(cycleWeight)) {
            throw new dev.esae.InputException("--cycle-weight: expected a finite number >= 0, got " + cycleWeight);
        }
        Outputs.checkOutput(out, OutputKind.TRANSFORM, overwrite);
        ActivationSet set = ActivationSet.read(acts, powers);
        Outputs.prepareFolder(out, "--out");
        int n = set.order();
        int d = set.dim();
        try (Backend backend = root.openBackend().backend()) {
            Fit plain = fit(backend, set, solver, 0f);
            Fit cyc = cycleWeight > 0 ? fit(backend, set, solver, cycleWeight) : null;
            float[] lstsq = LeastSquares.fit(set.orientation(0), set.orientation(1), set.count(), d);

            Map<String, Object> report = new LinkedHashMap<>();
            report.put("inputs", set.count());
            report.put("n", n);
            report.put("d", d);
            report.put("solver", solver.id());
            report.put("orientations", dev.esae.base.ActivationsInfo.orientations(acts));
            report.putAll(plain.about());
            report.put("seed", root.seed);
            List<Integer> ps = new ArrayList<>();
            for (int p = 1; p < n; p++) {
                ps.add(p);
            }
            report.put("powers", ps);
            Map<String, Object> fitted = TransformReport.evaluate(backend, set, plain.m());
            report.put("fitted", fitted);
            report.put("identity", TransformReport.evaluate(backend, set, TransformReport.identity(d)));
            report.put("lstsq", TransformReport.evaluate(backend, set, lstsq));
            report.put("cycle_error", fitted.get("cycle_error"));
            report.put("final_loss", plain.history().last());
            if (cyc != null) {
                Map<String, Object> fc = TransformReport.evaluate(backend, set, cyc.m());
                fc.put("cycle_weight", (double) cycleWeight);
                fc.put("final_loss", cyc.history().last());
                fc.putAll(cyc.about());
                report.put("fitted_cycle", fc);
            }
            report.put("r2_convention", "per dimension 1 - SS_res/SS_tot, plain mean over dimensions; constant dimensions skipped");
            report.put("esae_version", BuildInfo.version());

            TransformFiles.write(out, plain.m(), cyc == null ? null : cyc.m(), n, d);
            AtomicFiles.writeString(out.resolve(TransformFiles.REPORT), Json.pretty(report));
            plain.history().writeCsv(out.resolve("loss.csv"), solver == Solver.ADAM ? "epoch" : "iteration");
            plain.history().writeTimingCsv(out.resolve("timing.csv"));
            chart(report, cyc != null);
            out().printf(Locale.ROOT, "fitted M by %s (d = %d, n = %d, %d inputs): R2 %.4f +- %.4f (identity %.4f, least squares %.4f), "
                    + "||M^n - I||_F/sqrt(d) = %.4f%s; wrote %s%n", solver.id(), d, n, set.count(), fitted.get("mean"), fitted.get("std"),
                    ((Map<?, ?>) report.get("identity")).get("mean"), ((Map<?, ?>) report.get("lstsq")).get("mean"),
                    fitted.get("cycle_error"), cyc == null ? "" : String.format(Locale.ROOT, "; with the cycle penalty R2 %.4f, cycle error %.4f",
                            ((Map<?, ?>) report.get("fitted_cycle")).get("mean"), ((Map<?, ?>) report.get("fitted_cycle")).get("cycle_error")),
                    out);
        }
        return ExitCodes.OK;
    }

    /** One fit by the chosen solver, with or without the cycle penalty. */
    private Fit fit(Backend backend, ActivationSet set, Solver solver, float weight) {
        String label = "fit-m " + solver.id() + (weight > 0 ? " cycle" : "");
        Map<String, Object> about = new LinkedHashMap<>();
        if (solver == Solver.ADAM) {
            TransformFit.Result r = TransformFit.fit(backend, set, new TransformConfig(epochs, batch, lr, root.seed, weight),
                    new ProgressBar(spec.commandLine().getErr(), label));
            about.put("epochs", epochs);
            about.put("batch", batch);
            about.put("lr", (double) lr);
            return new Fit(r.m(), r.history(), about);
        }
        TransformFit.LbfgsResult r = TransformFit.fitLbfgs(backend, set, iterations, TransformFit.LBFGS_HISTORY_DEFAULT, weight,
                ProgressBar.iterations(spec.commandLine().getErr(), label));
        about.put("max_iterations", iterations);
        about.put("iterations", r.iterations());
        about.put("evaluations", r.evaluations());
        about.put("history", TransformFit.LBFGS_HISTORY_DEFAULT);
        about.put("stop", r.stop());
        about.put("start_loss", r.startLoss());
        return new Fit(r.m(), r.history(), about);
    }

    @SuppressWarnings("unchecked")
    private void chart(Map<String, Object> report, boolean withCycle) throws IOException {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("fitted M", (List<Double>) ((Map<String, Object>) report.get("fitted")).get("per_p"));
        if (withCycle) {
            series.put("fitted M, cycle penalty", (List<Double>) ((Map<String, Object>) report.get("fitted_cycle")).get("per_p"));
        }
        series.put("least squares (p = 1, powered)", (List<Double>) ((Map<String, Object>) report.get("lstsq")).get("per_p"));
        series.put("identity", (List<Double>) ((Map<String, Object>) report.get("identity")).get("per_p"));
        Charts.r2PerPower(out.resolve(TransformFiles.CHART), "How well M^p predicts the activations of g^p x", series);
    }
}
