package dev.esae.equivariance;

import dev.esae.BuildInfo;
import dev.esae.compute.Backend;
import dev.esae.io.AtomicFiles;
import dev.esae.io.Charts;
import dev.esae.io.Json;
import dev.esae.train.CheckpointPolicy;
import dev.esae.train.LossHistory;
import dev.esae.train.Provenance;
import dev.esae.train.RunFolder;
import dev.esae.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code esae fit-m} as a library call: fits M by the chosen solver (and again with the cycle
 * penalty when asked), scores it beside the identity and closed-form least squares, and writes the
 * transform folder: {@code M.safetensors}, {@code r2.json} ({@link TransformFitReport}),
 * {@code r2.png}, and the plain fit's {@code loss.csv} and {@code timing.csv}. An Adam fit runs in
 * a {@link RunFolder} (its checkpoint, resumable); the cycle fit's files are tagged {@code -cycle}.
 */
public final class TransformFitting {
    private TransformFitting() {}

    /**
     * One fit to make.
     *
     * @param epochs Adam's epochs (with {@code batch} and {@code lr}); {@code iterations} L-BFGS's budget
     * @param cycleWeight the cycle penalty's weight for the second fit; 0 for none
     * @param orientations how the activations' images hold their shapes (recorded in r2.json)
     * @param inputFiles the files the activations were read from, for the provenance
     */
    public record Request(TransformSolver solver, int epochs, int batch, float lr, int iterations, float cycleWeight, long seed,
            String orientations, List<Path> inputFiles) {}

    /**
     * What an Adam fit's checkpoint records of its run; a resumed fit must share {@link #RUN_KEYS} with it.
     *
     * @param epochsDone null in the config a resume is checked against
     */
    public record AdamRun(String solver, int epochs, int batch, double lr, long seed, double cycleWeight, int inputs, int n, int d,
            Integer epochsDone, Double finalLoss, Provenance provenance) {}

    /** The fields of {@link AdamRun} a resumed fit must share with its checkpoint. */
    public static final List<String> RUN_KEYS = List.of("batch", "lr", "seed", "cycle_weight", "inputs", "n", "d");

    /** The Adam fit's checkpoint name: the plain fit's, or with the cycle penalty the second's. */
    public static String checkpointName(boolean cycle) {
        return cycle ? "train-state-cycle.safetensors" : dev.esae.train.Checkpoint.FILE;
    }

    /** The config of the Adam fit of {@code r} (with the cycle penalty when {@code cycle}) that a resume is checked against. */
    public static AdamRun requested(Request r, ActivationSet set, boolean cycle) {
        return new AdamRun(r.solver().id(), r.epochs(), r.batch(), r.lr(), r.seed(), cycle ? r.cycleWeight() : 0, set.count(), set.order(),
                set.dim(), null, null, null);
    }

    /** A fit's M, its loss history and how it ran. */
    private record Fit(float[] m, LossHistory history, TransformFitReport.SolverRun run) {}

    /**
     * Fits and writes into {@code out} (made and checked by the caller); {@code progress} gives
     * each fit its listener, by label. An Adam fit also keeps a
     * checkpoint by {@code checkpoints} ({@link RunFolder}: {@code train-state.safetensors},
     * {@code train-state-cycle.safetensors} for the cycle fit, with {@code loss-cycle.csv}) and with
     * {@code resume} continues from it.
     */
    public static TransformFitReport run(Backend backend, ActivationSet set, Request r, Path out, boolean resume, CheckpointPolicy checkpoints,
            Function<String, TrainingListener> progress) throws IOException {
        int n = set.order();
        int d = set.dim();
        Provenance provenance = Provenance.of(backend, r.seed(), r.inputFiles());
        Fit plain = fit(backend, set, r, 0f, folder(set, r, out, false, resume, checkpoints, provenance), progress);
        Fit cyc = r.cycleWeight() > 0
                ? fit(backend, set, r, r.cycleWeight(), folder(set, r, out, true, resume, checkpoints, provenance), progress) : null;
        float[] lstsq = LeastSquares.fit(set.orientation(0), set.orientation(1), set.count(), d);
        List<Integer> powers = new ArrayList<>();
        for (int p = 1; p < n; p++) {
            powers.add(p);
        }
        TransformScore fitted = TransformReport.evaluate(backend, set, plain.m());
        TransformFitReport.CycleFit cycle = cyc == null ? null
                : new TransformFitReport.CycleFit(TransformReport.evaluate(backend, set, cyc.m()), r.cycleWeight(), cyc.history().last(),
                        cyc.run());
        TransformFitReport report = new TransformFitReport(set.count(), n, d, r.solver().id(), r.orientations(), plain.run(), r.seed(),
                powers, fitted, TransformReport.evaluate(backend, set, TransformReport.identity(d)),
                TransformReport.evaluate(backend, set, lstsq), fitted.cycleError(), plain.history().last(), cycle,
                TransformFitReport.R2_CONVENTION, BuildInfo.version(), provenance);

        TransformFiles.write(out, plain.m(), cyc == null ? null : cyc.m(), n, d);
        AtomicFiles.writeString(out.resolve(TransformFiles.REPORT), Json.pretty(report));
        if (r.solver() != TransformSolver.ADAM) {
            // Adam's run folder writes these after every checkpoint; L-BFGS runs in one go.
            RunFolder.writeCsvs(out, "", plain.history(), r.solver().lossColumn());
        }
        chart(out, report);
        return report;
    }

    /** The run folder of the Adam fit (plain, or with the cycle penalty): a checkpoint and its loss and timing CSVs. */
    private static RunFolder folder(ActivationSet set, Request r, Path out, boolean cycle, boolean resume, CheckpointPolicy checkpoints,
            Provenance provenance) {
        AdamRun requested = requested(r, set, cycle);
        return new RunFolder(out, cycle ? "cycle" : "", resume, checkpoints, r.epochs(), TransformSolver.ADAM.lossColumn(),
                h -> h == null ? requested : new AdamRun(requested.solver(), requested.epochs(), requested.batch(), requested.lr(),
                        requested.seed(), requested.cycleWeight(), requested.inputs(), requested.n(), requested.d(), h.epochs(), h.last(),
                        provenance),
                RUN_KEYS, (dir, params, config, h) -> { });
    }

    /** One fit by the chosen solver, with or without the cycle penalty. */
    private static Fit fit(Backend backend, ActivationSet set, Request r, float weight, RunFolder folder,
            Function<String, TrainingListener> progress) throws IOException {
        String label = "fit-m " + r.solver().id() + (weight > 0 ? " cycle" : "");
        if (r.solver() == TransformSolver.ADAM) {
            TransformFit.Result f = TransformFit.fit(backend, set, new TransformConfig(r.epochs(), r.batch(), r.lr(), r.seed(), weight),
                    folder, progress.apply(label));
            return new Fit(f.m(), f.history(), TransformFitReport.SolverRun.adam(r.epochs(), r.batch(), r.lr()));
        }
        TransformFit.LbfgsResult f = TransformFit.fitLbfgs(backend, set, r.iterations(), TransformFit.LBFGS_HISTORY_DEFAULT, weight,
                progress.apply(label));
        return new Fit(f.m(), f.history(), TransformFitReport.SolverRun.lbfgs(r.iterations(), f.iterations(), f.evaluations(),
                TransformFit.LBFGS_HISTORY_DEFAULT, f.stop(), f.startLoss()));
    }

    private static void chart(Path out, TransformFitReport report) throws IOException {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("fitted M", report.fitted().perP());
        if (report.fittedCycle() != null) {
            series.put("fitted M, cycle penalty", report.fittedCycle().score().perP());
        }
        series.put("least squares (p = 1, powered)", report.lstsq().perP());
        series.put("identity", report.identity().perP());
        Charts.r2PerPower(out.resolve(TransformFiles.CHART), "How well M^p predicts the activations of g^p x", series);
    }
}
