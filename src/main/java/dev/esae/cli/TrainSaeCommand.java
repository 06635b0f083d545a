package dev.esae.cli;

import dev.esae.BuildInfo;
import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.equivariance.ActivationSet;
import dev.esae.equivariance.TransformFiles;
import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeKind;
import dev.esae.sae.SaeMetrics;
import dev.esae.sae.SaeTrainer;
import dev.esae.sae.TopKSae;
import dev.esae.train.LossHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code esae train-sae}: one of the five TopK SAE kinds of SPEC §4. */
@Command(name = "train-sae",
        description = {"Train a TopK sparse autoencoder (five kinds).",
            "topk, wide, twolayer, invariant (every orientation mapped to the canonical one) or equivariant (the",
            "invariant SAE with M from 'esae fit-m'). Writes cfg.json and sae_weights.safetensors (SAELens's",
            "layout), metrics.json, loss.csv and a checkpoint."})
final class TrainSaeCommand extends Subcommand {
    @Option(names = "--kind", paramLabel = "KIND", required = true, description = "topk, wide, twolayer, invariant or equivariant.")
    String kind;

    @Option(names = "--k", paramLabel = "K", required = true, description = "Latents kept per row (8, 16, 32 in the paper).")
    int k;

    @Option(names = "--acts", paramLabel = "FILE", required = true, description = "Activations [N, n, d] (from 'esae activations').")
    Path acts;

    @Option(names = "--powers", paramLabel = "FILE", description = "Powers of a flat [N, d] activations file (whole orbits in order).")
    Path powers;

    @Option(names = "--transform", paramLabel = "DIR", description = "The folder of 'esae fit-m' (equivariant kind only).")
    Path transform;

    @Option(names = "--transform-cycle", description = "Use the fit with the cycle penalty (M_cycle) instead of M.")
    boolean transformCycle;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "500", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--resume", description = "Continue the run whose checkpoint is in --out.")
    boolean resume;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64", description = "Inputs per step (each in all n orientations). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    float lr;

    @Option(names = "--auxk", paramLabel = "K_AUX", defaultValue = "0",
            description = "AuxK: let the K_AUX largest pre-activations of dead latents reconstruct the residual. Default: 0 (off).")
    int auxK;

    @Option(names = "--auxk-coef", paramLabel = "C", defaultValue = "0.03125", description = "Weight of the AuxK loss. Default: 1/32.")
    float auxCoef;

    @Option(names = "--unknown-p", description = "Equivariant kind: also pick each row's p by the closest M^p reconstruction, and report how often it is right.")
    boolean unknownP;

    @Override
    public Integer call() throws IOException {
        SaeKind kd = SaeKind.fromId(kind);
        if (kd == null) {
            throw new InputException("--kind: expected topk, wide, twolayer, invariant or equivariant, got '" + kind + "'");
        }
        Options.requirePositive("--epochs", epochs);
        Options.requirePositive("--batch", batch);
        Options.requirePositiveFinite("--lr", lr);
        if (kd.needsTransform() != (transform != null)) {
            throw new InputException(kd.needsTransform() ? "--transform DIR: the equivariant kind needs M (make it with 'esae fit-m')"
                    : "--transform: only the equivariant kind uses M");
        }
        if (unknownP && !kd.needsTransform()) {
            throw new InputException("--unknown-p: only the equivariant kind has powers to recover");
        }
        ActivationSet set = ActivationSet.read(acts, powers);
        int d = set.dim();
        int n = set.order();
        int latents = kd.latents(d, n);
        if (k < 1 || k > latents) {
            throw new InputException("--k " + k + ": expected 1 to " + latents + " (the latents of a " + kd.id() + " SAE on d = " + d + ")");
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
                        + ", but " + acts + " has d = " + d + ", n = " + n);
            }
            m = t.m();
        }
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", epochs);
        training.put("batch", batch);
        training.put("lr", (double) lr);
        training.put("seed", root.seed);
        training.put("inputs", set.count());
        training.put("auxk", auxK);
        training.put("auxk_coef", (double) auxCoef);
        training.put("acts", acts.toString());
        training.put("orientations", dev.esae.base.ActivationsInfo.orientations(acts));
        training.put("transform", transform == null ? null : transform.toString() + (transformCycle ? " (M_cycle)" : " (M)"));
        training.put("esae_version", BuildInfo.version());
        Map<String, Object> cfg = SaeFiles.config(kd, d, latents, k, n, training);
        Outputs.prepareRun(out, OutputKind.SAE, resume, cfg, SaeTrainer.RUN_KEYS);
        SaeTrainer.Config config = new SaeTrainer.Config(latents, k, kd.hidden(), kd.invariantTargets(), epochs, batch, lr, root.seed,
                auxK, auxCoef);
        try (Backend backend = root.openBackend().backend()) {
            LossHistory h = new LossHistory(set.count());
            try (TopKSae sae = SaeTrainer.train(backend, set, config, out, resume, cfg, m, new ProgressBar(spec.commandLine().getErr(),
                    "train-sae " + kd.id() + " k=" + k), h)) {
                Map<String, Object> metrics = SaeMetrics.evaluate(backend, sae, kd, set, m, unknownP);
                metrics.put("final_loss", h.last());
                metrics.put("epochs", h.epochs());
                AtomicFiles.writeString(out.resolve(SaeFiles.METRICS), Json.pretty(metrics));
                out().printf(Locale.ROOT, "trained %s SAE (%d latents, k = %d) for %d epochs: mse %.5g, fvu %.4f, l0 %.2f, l1 %.3f, "
                        + "dead %.1f%%%s; wrote %s%n", kd.id(), latents, k, h.epochs(), metrics.get("mse"), metrics.get("fvu"),
                        metrics.get("l0"), metrics.get("l1"), 100 * (double) metrics.get("dead_fraction"),
                        metrics.containsKey("unknown_p") ? String.format(Locale.ROOT, ", p recovered %.1f%%",
                                100 * (double) ((Map<?, ?>) metrics.get("unknown_p")).get("accuracy")) : "", out);
            }
        }
        return ExitCodes.OK;
    }
}
