package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.base.ActivationsInfo;
import dev.esae.compute.Backend;
import dev.esae.equivariance.ActivationSet;
import dev.esae.equivariance.TransformFitReport;
import dev.esae.equivariance.TransformFitting;
import dev.esae.equivariance.TransformSolver;
import dev.esae.io.Json;
import dev.esae.io.SafeTensors;
import dev.esae.train.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code esae fit-m}: the matrix M with {@code M^p ψ(x) ≈ ψ(g^p x)} and its R² (SPEC §3). */
@Command(name = "fit-m",
        description = {"Fit the matrix M with M^p psi(x) ~ psi(g^p x), and its R2.",
            "From the identity, by Adam through every power (--solver adam, the paper's procedure) or by full-batch",
            "L-BFGS on the same loss (--solver lbfgs). Writes M.safetensors, r2.json (R2 per p for the fit, the",
            "identity and closed-form least squares), r2.png and loss.csv. --cycle-weight W also fits with a",
            "penalty W*||M^n - I||^2/d, reported beside it. An Adam fit keeps a checkpoint (train-state.safetensors) that",
            "--resume continues."})
final class FitMCommand extends Subcommand {
    @Mixin
    ActivationsInput input;

    @Option(names = "--solver", paramLabel = "S", defaultValue = "adam",
            description = "adam (mini-batch, --epochs, the paper's procedure) or lbfgs (full batch, --iterations). Default: ${DEFAULT-VALUE}.")
    TransformSolver solver;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "150", description = "Epochs of Adam. Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveInt.class)
    int epochs;

    @Option(names = "--iterations", paramLabel = "I", defaultValue = "500",
            description = "Most iterations of L-BFGS (it stops earlier when the loss stops falling). Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveInt.class)
    int iterations;

    @Option(names = "--cycle-weight", paramLabel = "W", defaultValue = "0", description = "Also fit with the cycle penalty of weight W. Default: 0 (plain fit only).")
    float cycleWeight;

    @Mixin
    OptimizerOptions optimizer;

    @Mixin
    RunOptions run;

    @Option(names = "--overwrite", description = "Replace what --out already holds of this command's output (and start again).")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        if (!(cycleWeight >= 0) || !Float.isFinite(cycleWeight)) {
            throw new InputException("--cycle-weight: expected a finite number >= 0, got " + cycleWeight);
        }
        if (!run.resume) {
            checkFresh();
        }
        ActivationSet set = input.read();
        List<Path> files = new ArrayList<>(List.of(input.acts));
        if (input.powers != null) {
            files.add(input.powers);
        }
        TransformFitting.Request request = new TransformFitting.Request(solver, epochs, optimizer.batch, optimizer.lr, iterations, cycleWeight,
                root.seed, ActivationsInfo.orientations(input.acts), files);
        if (run.resume) {
            checkResume(request, set, files);
        }
        Outputs.prepareFolder(run.out, "--out");
        try (Backend backend = root.openBackend().backend()) {
            if (!run.resume && overwrite) {
                // Only now that the inputs are read and the backend is open: a bad input or a missing
                // device leaves the folder as it was. The replaced fit's checkpoints and cycle files go.
                for (String f : new String[] {TransformFitting.checkpointName(false), TransformFitting.checkpointName(true), "loss-cycle.csv",
                    "timing-cycle.csv"}) {
                    Files.deleteIfExists(run.out.resolve(f));
                }
            }
            PrintWriter err = spec.commandLine().getErr();
            TransformFitReport r = TransformFitting.run(backend, set, request, run.out, run.resume, run.checkpoints(),
                    label -> solver == TransformSolver.ADAM ? new ProgressBar(err, label) : ProgressBar.iterations(err, label));
            out().printf(Locale.ROOT, "fitted M by %s (d = %d, n = %d, %d inputs): R2 %.4f +- %.4f (identity %.4f, least squares %.4f), "
                    + "||M^n - I||_F/sqrt(d) = %.4f%s; wrote %s%n", solver.id(), r.d(), r.n(), r.inputs(), r.fitted().mean(), r.fitted().std(),
                    r.identity().mean(), r.lstsq().mean(), r.fitted().cycleError(), r.fittedCycle() == null ? ""
                            : String.format(Locale.ROOT, "; with the cycle penalty R2 %.4f, cycle error %.4f",
                                    r.fittedCycle().score().mean(), r.fittedCycle().score().cycleError()), run.out);
        }
        return ExitCodes.OK;
    }

    /** A new fit: what --out holds is replaced only with --overwrite, a fit in progress there too. */
    private void checkFresh() {
        Outputs.checkOutput(run.out, OutputKind.TRANSFORM, overwrite);
        for (boolean cycle : new boolean[] {false, true}) {
            Path state = run.out.resolve(TransformFitting.checkpointName(cycle));
            if (Files.isRegularFile(state) && !overwrite) {
                throw new InputException("--out " + run.out + ": holds a fit in progress (" + state.getFileName()
                        + "); pass --resume to continue it, or --overwrite to start again");
            }
        }
    }

    /** A resumed fit: an Adam fit whose checkpoint in --out is of the same run. */
    private void checkResume(TransformFitting.Request request, ActivationSet set, List<Path> files) {
        Path dir = run.out;
        if (overwrite) {
            throw new InputException("--resume and --overwrite: choose one (continue the fit in --out, or replace it)");
        }
        if (solver != TransformSolver.ADAM) {
            throw new InputException("--resume: only an Adam fit keeps a checkpoint (L-BFGS runs in one go)");
        }
        Outputs.checkOutput(dir, OutputKind.TRANSFORM, true);
        boolean any = false;
        for (boolean cycle : cycleWeight > 0 ? new boolean[] {false, true} : new boolean[] {false}) {
            String name = TransformFitting.checkpointName(cycle);
            if (Checkpoint.exists(dir, name)) {
                SafeTensors.verify(dir.resolve(name));
                java.util.Map<String, Object> saved = Checkpoint.readConfig(dir, name);
                Checkpoint.requireSameRun(dir, saved, Json.untypedObject(TransformFitting.requested(request, set, cycle)),
                        TransformFitting.RUN_KEYS);
                Checkpoint.requireSameInputs(dir, saved, files);
                any = true;
            }
        }
        if (!any) {
            throw new InputException("--resume: --out " + dir + " holds no checkpoint of an Adam fit to continue");
        }
    }
}
