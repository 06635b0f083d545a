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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        List<String> global = List.of("--device", root.device.name().toLowerCase(Locale.ROOT), "--threads", Integer.toString(threads),
                "--seed", Long.toString(root.seed));
        StudyPlan.Esae esae = args -> {
            List<String> all = new ArrayList<>(global);
            all.addAll(args);
            return Main.execute(out(), spec.commandLine().getErr(), all.toArray(String[]::new));
        };
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

        Map<String, Double> timings = Files.isRegularFile(layout.timings())
                ? new LinkedHashMap<>(Json.readMap(layout.timings(), Double.class, "the study's step times")) : new LinkedHashMap<>();
        Map<String, Long> peakMiB = Files.isRegularFile(layout.peakMemory())
                ? new LinkedHashMap<>(Json.readMap(layout.peakMemory(), Long.class, "the study's peak memory per step")) : new LinkedHashMap<>();
        long start = System.nanoTime();
        int ran = 0;
        for (int i = 0; i < steps.size(); i++) {
            StudyPlan.Step s = steps.get(i);
            SignalHandlers.awaitExitIfStopping();
            String tag = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, steps.size(), s.name());
            if (done(s)) {
                out().println(tag + ": skipped (outputs complete)");
                continue;
            }
            out().println(tag + " ...");
            out().flush();
            invalidateSummaries(layout, s);
            boolean measured = PeakMemory.reset();
            long t0 = System.nanoTime();
            int code = s.run().run();
            dev.esae.train.TrainingStopped stop = Main.takeNestedStop();
            if (stop != null) {
                throw stop; // reported as the study's own stop: running reproduce again continues the step
            }
            if (code != ExitCodes.OK) {
                spec.commandLine().getErr().println("esae: reproduce stopped at '" + s.name() + "' (exit " + code
                        + "); fix the cause and run the same command again to continue");
                return code;
            }
            // A signal that came after the step's last training batch exits the process now: nothing more is reported or started.
            SignalHandlers.awaitExitIfStopping();
            if (!done(s)) {
                throw new IllegalStateException("step '" + s.name() + "' finished but its outputs do not check out");
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            timings.put(s.name(), Math.round(secs * 10) / 10.0);
            AtomicFiles.writeString(layout.timings(), Json.pretty(timings));
            java.util.OptionalLong peak = PeakMemory.peakBytes();
            String memory = "";
            if (measured && peak.isPresent()) {
                long mib = Math.round(peak.getAsLong() / (1024.0 * 1024.0));
                peakMiB.put(s.name(), mib);
                AtomicFiles.writeString(layout.peakMemory(), Json.pretty(peakMiB));
                memory = String.format(Locale.ROOT, ", peak RSS %,d MiB", mib);
            }
            ran++;
            out().printf(Locale.ROOT, "%s: done in %.1f s%s%n", tag, secs, memory);
        }
        out().printf(Locale.ROOT, "reproduce %s: %d step(s) run, %d skipped, %.1f s; report: %s, %s%n", preset.name(), ran,
                steps.size() - ran, (System.nanoTime() - start) / 1e9, layout.reportMd() + ", " + layout.reportHtml(), layout.atlas());
        return ExitCodes.OK;
    }

    /**
     * The atlas and the report summarise every step: one that runs again makes them stale, so their
     * records go first and they are made again at the end, even if this run stops before then.
     */
    private static void invalidateSummaries(StudyLayout layout, StudyPlan.Step s) throws IOException {
        if (!s.stage().equals("report")) {
            Files.deleteIfExists(layout.reportJson());
            if (!s.stage().equals("atlas")) {
                Files.deleteIfExists(layout.atlasJson());
            }
        }
    }

    /** Whether {@code dir} holds anything but a lock file (left by an earlier run that stopped before its first file). */
    private static boolean holdsAnything(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> !dev.esae.io.FolderLock.isLockFile(f));
        }
    }

    private static boolean done(StudyPlan.Step s) {
        try {
            return s.done().done();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private StudySettings settings(Preset p, DatasetSource source, Orientations orientations) {
        return new StudySettings(p.name(), source.id(), orientations.id(), root.seed, p.trainImages(), p.probeImages(), p.baseEpochs(),
                TransformChoice.SOLVERS, p.fitEpochs(), p.fitIterations(), p.saeEpochs(), p.ks(), p.probeKs(), p.lengths(), p.probes(),
                p.xgbMaxBin());
    }
}
