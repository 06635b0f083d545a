package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.data.DatasetSource;
import dev.esae.data.Orientations;
import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import dev.esae.report.StudyAtlas;
import dev.esae.report.StudyLayout;
import dev.esae.report.StudyReport;
import dev.esae.report.StudySettings;
import dev.esae.report.TransformChoice;
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

/** {@code esae reproduce}: the whole study of the paper in one resumable command, with its report. */
@Command(name = "reproduce",
        description = {"Run the whole study: dataset and probe set, both base models, activations, M, the five SAE kinds",
            "at K = 8, 16, 32, probing, the frontier, the feature atlas and the report. Resumable: run it again and",
            "every finished step (its outputs read back and checked) is skipped; a training step resumes from its checkpoint.",
            "Presets: tiny (seconds; what CI runs), quick (a laptop, <= 10 minutes on 2 cores), paper (the paper's schedule).",
            "--source fashion-mnist: the same study on Fashion-MNIST's images (its train split to train on, its test split",
            "to probe), probed on the dataset's 50 class tasks (tasks.csv) instead of the 180 shapes tasks."})
final class ReproduceCommand extends Subcommand {
    private static final String STUDY = "study.json";

    @Option(names = "--preset", paramLabel = "P", defaultValue = "quick", description = "tiny, quick or paper. Default: ${DEFAULT-VALUE}.")
    Preset preset;

    @Mixin
    SourceOptions sources;

    @Mixin
    OrientationsOption orientation;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (the study's outputs and report).")
    Path out;

    @Option(names = "--resume", description = {"Continue the study in --out, and refuse to start a new one there.",
        "(Without it, a study with the same settings in --out is continued too.)"})
    boolean resume;

    @Option(names = "--side-by-side", paramLabel = "N", converter = Options.PositiveInt.class,
            description = {"How many SAE steps run at once, each on one thread. Default: --threads on the CPU (an SAE step",
                "is no faster at two threads than at one), 1 on a GPU. The results are the same bits either way."})
    Integer sideBySide;

    @Override
    public Integer call() throws IOException {
        int threads = root.threads();
        sources.checkApplies(orientation.orientations);
        StudySettings settings = settings(preset, sources.source, orientation.orientations);
        Path study = out.resolve(STUDY);
        if (resume && !Files.isRegularFile(study)) {
            throw new InputException("--resume: --out " + out + " holds no study (" + STUDY + ") to continue");
        }
        if (Files.isRegularFile(study)) {
            StudySettings saved = Json.read(study, StudySettings.class, "a study's settings");
            if (!settings.equals(saved)) {
                throw new InputException("--out " + out + ": holds a study with other settings (" + Json.write(saved)
                        + "); choose another folder");
            }
        } else if (Files.isDirectory(out) && holdsAnything(out)) {
            throw new InputException("--out " + out + ": is not empty and holds no esae study; choose another folder");
        }
        Outputs.prepareFolder(out, "--out");
        AtomicFiles.writeString(study, Json.pretty(settings));

        StudyLayout layout = new StudyLayout(out);
        List<String> global = List.of("--device", root.device.name().toLowerCase(Locale.ROOT), "--seed", Long.toString(root.seed));
        PrintWriter err = spec.commandLine().getErr();
        StudyPlan.Esae esae = args -> StudyRunner.esae(global, threads, out(), err, args);
        List<StudyPlan.Step> steps = new ArrayList<>(new StudyPlan(preset, sources.source, sources.idxDir, orientation.orientations, layout, esae).steps());
        steps.add(new StudyPlan.Step("atlas", "feature atlas", () -> StudyAtlas.done(layout), () -> {
            try (Backend backend = root.openBackend().backend()) {
                StudyAtlas.write(backend, layout, preset.atlasK(), preset == Preset.TINY ? 12 : 48, root.seed);
            }
            return ExitCodes.OK;
        }));
        steps.add(new StudyPlan.Step("report", "report", () -> StudyPlan.json(layout.reportJson(), "complete")
                && Files.isRegularFile(layout.reportMd()) && Files.isRegularFile(layout.reportHtml()), () -> {
                    new StudyReport(layout, settings).write();
                    return ExitCodes.OK;
                }));

        // On the CPU, SAEs train side by side, one thread each; a GPU trains one at a time.
        int besides = sideBySide != null ? sideBySide : threads > 1 && runsOnTheCpu() ? threads : 1;
        return new StudyRunner(out(), err, layout, besides).run(steps, preset.name());
    }

    /** Whether the study's commands run on the CPU backend (--device cpu, or auto with no other backend available). */
    private boolean runsOnTheCpu() {
        if (root.device == dev.esae.compute.DeviceChoice.CPU) {
            return true;
        }
        if (root.device != dev.esae.compute.DeviceChoice.AUTO) {
            return false;
        }
        for (dev.esae.compute.BackendProvider p : dev.esae.compute.Backends.providers()) {
            if (!p.name().equals("cpu") && p.probe().forAuto().available()) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code dir} holds anything but a lock file (left by an earlier run that stopped before its first file). */
    private static boolean holdsAnything(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> !dev.esae.io.FolderLock.isLockFile(f));
        }
    }

    private StudySettings settings(Preset p, DatasetSource source, Orientations orientations) {
        return new StudySettings(p.name(), source.id(), orientations.id(), root.seed, p.trainImages(), p.probeImages(), p.baseEpochs(),
                TransformChoice.SOLVERS, p.fitEpochs(), p.fitIterations(), p.saeEpochs(), p.ks(), p.probeKs(), p.lengths(), p.probes(),
                p.xgbMaxBin());
    }
}
