package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.base.ActivationsInfo;
import dev.esae.compute.Backend;
import dev.esae.equivariance.ActivationSet;
import dev.esae.equivariance.TransformFiles;
import dev.esae.sae.SaeConfig;
import dev.esae.sae.SaeKind;
import dev.esae.sae.SaeScores;
import dev.esae.sae.SaeTrainer;
import dev.esae.sae.SaeTraining;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code esae train-sae}: one of the five TopK SAE kinds of SPEC §4. */
@Command(name = "train-sae",
        description = {"Train a TopK sparse autoencoder (five kinds).",
            "topk, wide, twolayer, invariant (every orientation mapped to the canonical one) or equivariant (the",
            "invariant SAE with M from 'esae fit-m'). Writes cfg.json and sae_weights.safetensors (SAELens's",
            "layout), metrics.json, loss.csv and a checkpoint."})
final class TrainSaeCommand extends Subcommand {
    @Option(names = "--kind", paramLabel = "KIND", required = true, description = "topk, wide, twolayer, invariant or equivariant.")
    SaeKind kind;

    @Option(names = "--k", paramLabel = "K", required = true, description = "Latents kept per row (8, 16, 32 in the paper).")
    int k;

    @Mixin
    ActivationsInput input;

    @Option(names = "--transform", paramLabel = "DIR", description = "The folder of 'esae fit-m' (equivariant kind only).")
    Path transform;

    @Option(names = "--transform-cycle", description = "Use the fit with the cycle penalty (M_cycle) instead of M.")
    boolean transformCycle;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "500", description = "Epochs. Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveInt.class)
    int epochs;

    @Mixin
    RunOptions run;

    @Mixin
    OptimizerOptions optimizer;

    @Option(names = "--auxk", paramLabel = "K_AUX", defaultValue = "0",
            description = "AuxK: let the K_AUX largest pre-activations of dead latents reconstruct the residual. Default: 0 (off).")
    int auxK;

    @Option(names = "--auxk-coef", paramLabel = "C", defaultValue = "0.03125", description = "Weight of the AuxK loss. Default: 1/32.")
    float auxCoef;

    @Option(names = "--unknown-p", description = "Equivariant kind: also pick each row's p by the closest M^p reconstruction, and report how often it is right.")
    boolean unknownP;

    @Override
    public Integer call() throws IOException {
        if (kind.needsTransform() != (transform != null)) {
            throw new InputException(kind.needsTransform() ? "--transform DIR: the equivariant kind needs M (make it with 'esae fit-m')"
                    : "--transform: only the equivariant kind uses M");
        }
        if (unknownP && !kind.needsTransform()) {
            throw new InputException("--unknown-p: only the equivariant kind has powers to recover");
        }
        ActivationSet set = input.read();
        int d = set.dim();
        int n = set.order();
        int latents = kind.latents(d, n);
        if (k < 1 || k > latents) {
            throw new InputException("--k " + k + ": expected 1 to " + latents + " (the latents of a " + kind.id() + " SAE on d = " + d + ")");
        }
        if (auxK < 0 || auxK > latents) {
            throw new InputException("--auxk " + auxK + ": expected 0 (off) to " + latents + " (the latents)");
        }
        if (!(auxCoef >= 0) || !Float.isFinite(auxCoef)) {
            throw new InputException("--auxk-coef: expected a finite number >= 0, got " + auxCoef);
        }
        float[] m = null;
        if (transform != null) {
            TransformFiles.Transform t = TransformFiles.read(transform, transformCycle);
            if (t.dim() != d || t.order() != n) {
                throw new InputException("--transform " + transform + ": M is " + t.dim() + "x" + t.dim() + " for n = " + t.order()
                        + ", but " + input.acts + " has d = " + d + ", n = " + n);
            }
            m = t.m();
        }
        SaeConfig.Training training = new SaeConfig.Training(epochs, optimizer.batch, optimizer.lr, root.seed, set.count(), auxK, auxCoef,
                input.acts.toString(), ActivationsInfo.orientations(input.acts),
                transform == null ? null : transform + (transformCycle ? " (M_cycle)" : " (M)"));
        List<Path> files = new ArrayList<>(List.of(input.acts));
        if (input.powers != null) {
            files.add(input.powers);
        }
        if (transform != null) {
            files.add(transform.resolve(TransformFiles.WEIGHTS));
        }
        SaeTraining.Request request = SaeTraining.Request.of(kind, k, set, training, m, unknownP, files);
        Outputs.prepareRun(run.out, OutputKind.SAE, run.resume, request.config(), SaeTrainer.RUN_KEYS, files);
        try (Backend backend = root.openBackend().backend()) {
            SaeTraining.Outcome o = SaeTraining.run(backend, request, run.out, run.resume, run.checkpoints(),
                    new ProgressBar(spec.commandLine().getErr(), "train-sae " + kind.id() + " k=" + k));
            SaeScores s = o.metrics();
            out().printf(Locale.ROOT, "trained %s SAE (%d latents, k = %d) for %d epochs: mse %.5g, fvu %.4f, l0 %.2f, l1 %.3f, "
                    + "dead %.1f%%%s; wrote %s%n", kind.id(), latents, k, o.history().epochs(), s.mse(), s.fvu(), s.l0(), s.l1(),
                    100 * s.deadFraction(), s.unknownP() != null
                            ? String.format(Locale.ROOT, ", p recovered %.1f%%", 100 * s.unknownP().accuracy()) : "", run.out);
        }
        return ExitCodes.OK;
    }
}
