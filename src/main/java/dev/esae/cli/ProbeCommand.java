package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.equivariance.ActivationSet;
import dev.esae.probe.KnnProbe;
import dev.esae.probe.LogisticProbe;
import dev.esae.probe.Probe;
import dev.esae.probe.ProbeFiles;
import dev.esae.probe.ProbeSet;
import dev.esae.probe.ProbeSuite;
import dev.esae.probe.ProbeSummary;
import dev.esae.probe.Probing;
import dev.esae.probe.TaskTable;
import dev.esae.probe.XgboostProbe;
import dev.esae.sae.SaeFiles;
import dev.esae.train.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code esae probe}: the 180 binary probing tasks of SPEC §5 (or a user's own) over SAEs and the base activations. */
@Command(name = "probe",
        description = {"Probe SAEs on the 180 binary tasks, or on your own (--tasks), with kNN, logistic regression, XGBoost (F1).",
            "Each image of the probe set is seen at a random power of g (from --seed); each task gets a stratified",
            "train/test split; the L latents with the largest mean difference on the training split are probed, and so",
            "is the reconstruction from them (with M^p for the equivariant kind), beside the base activations.",
            "Writes results.csv (one row per SAE, L, input, probe and task) and summary.md (the group table)."})
final class ProbeCommand extends Subcommand {
    @Option(names = "--sae", paramLabel = "DIR", description = "An SAE folder (from 'esae train-sae'); repeat for several. "
            + "Without any, only the base activations are probed.")
    List<Path> saes = new ArrayList<>();

    @Option(names = "--acts", paramLabel = "FILE", required = true,
            description = "The probe set's activations [N, n, d] ('esae activations' on a dataset made with another seed).")
    Path acts;

    @Option(names = "--labels", paramLabel = "FILE", description = {"The probe set's labels.npy (int32 [N, 4, 2]): the 180 shapes tasks.",
        "Give this or --tasks."})
    Path labels;

    @Option(names = "--tasks", paramLabel = "FILE", description = {"Your own binary tasks instead of the shapes tasks: a CSV with a header of",
        "task names (no commas) and rows of 0/1, one per input (N rows) or one per input and orientation in [i, p] order",
        "(N*n rows). Each task is probed as the shapes tasks are; its group is 'invariant' when its label is the same",
        "in every orientation of each input, else 'orientation'."})
    Path tasks;


    @Option(names = "--lengths", paramLabel = "L", split = ",", defaultValue = "8,32",
            description = "Truncation lengths. Default: ${DEFAULT-VALUE}.")
    int[] lengths;

    @Option(names = "--probes", paramLabel = "P", split = ",", defaultValue = "knn,logreg,xgboost",
            description = "Probes to run: knn, logreg, xgboost. Default: ${DEFAULT-VALUE}.")
    List<String> probes;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of each task's images held out for testing. Default: ${DEFAULT-VALUE}.")
    double testFraction;

    @Option(names = "--xgb-max-bin", paramLabel = "B", defaultValue = "256",
            description = "XGBoost's histogram bins per feature (its own default). Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveInt.class)
    int maxBin;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new InputException("--test-fraction: expected a number between 0 and 1, got " + testFraction);
        }
        int threads = root.threads();
        List<Probe> chosen = probes();
        Outputs.checkOutput(output.out, OutputKind.PROBING, output.overwrite);
        if ((labels == null) == (tasks == null)) {
            throw new InputException("--labels or --tasks: expected one of them (the probe set's labels.npy for the shapes tasks, or a "
                    + "CSV of your own tasks), got " + (labels == null ? "neither" : "both"));
        }
        ActivationSet set = ActivationSet.read(acts, null);
        ProbeSet probeSet = labels != null ? ProbeSet.of(set, ProbeSet.readLabels(labels, set.count()), root.seed)
                : ProbeSet.of(set, TaskTable.read(tasks), root.seed);
        for (Path dir : saes) {
            checkCompatible(dir, SaeFiles.check(dir), set);
        }
        Outputs.prepareFolder(output.out, "--out");
        ProbeSuite.Config config = new ProbeSuite.Config(lengths, chosen, testFraction, root.seed, threads);
        Probing.Outcome o;
        try (Backend backend = root.openBackend().backend()) {
            o = Probing.run(backend, probeSet, saes, config, new CountProgress(spec.commandLine().getErr(), "probe"), output.out,
                    acts.toString(), probes);
            List<Path> inputs = new ArrayList<>(List.of(acts, labels != null ? labels : tasks));
            saes.forEach(dir -> inputs.addAll(SaeFiles.inputFiles(dir)));
            Provenance.writeTo(output.out, Provenance.of(backend, root.seed, inputs));
        }
        out().print(ProbeSummary.markdown(ProbeSummary.of(o.results()).stream().filter(row -> row.probe().equals(ProbeSummary.BEST)).toList()));
        out().printf(Locale.ROOT, "probed %d SAE(s) on %d tasks (%d results) in %.1f s; wrote %s and %s%n", o.saes(),
                probeSet.tasks().size(), o.results().size(), o.seconds(), output.out.resolve(ProbeFiles.RESULTS),
                output.out.resolve(ProbeFiles.SUMMARY));
        return ExitCodes.OK;
    }

    private List<Probe> probes() {
        List<Probe> list = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String p : probes) {
            if (!seen.add(p)) {
                throw new InputException("--probes: '" + p + "' is named twice");
            }
            switch (p) {
                case "knn" -> list.add(new KnnProbe());
                case "logreg" -> list.add(new LogisticProbe());
                // One XGBoost thread per fit: the suite already runs one fit per core.
                case "xgboost" -> list.add(new XgboostProbe(1, root.seed, maxBin));
                default -> throw new InputException("--probes: expected knn, logreg or xgboost, got '" + p + "'");
            }
        }
        return list;
    }

    private void checkCompatible(Path dir, SaeFiles.Header sae, ActivationSet set) {
        if (sae.dim() != set.dim()) {
            throw new InputException("--sae " + dir + ": reads d = " + sae.dim() + ", but " + acts + " has d = " + set.dim());
        }
        if (sae.order() != set.order()) {
            throw new InputException("--sae " + dir + ": was trained for n = " + sae.order() + " orientations, but " + acts + " has n = "
                    + set.order());
        }
        for (int l : lengths) {
            if (l < 1 || l > sae.latents()) {
                throw new InputException("--lengths " + l + ": expected 1 to " + sae.latents() + " (the latents of " + dir + ")");
            }
        }
    }
}
