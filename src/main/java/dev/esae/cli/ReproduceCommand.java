package dev.esae.cli;

import dev.esae.BuildInfo;
import dev.esae.InputException;
import dev.esae.base.Autoencoder;
import dev.esae.base.ModelFiles;
import dev.esae.compute.Backend;
import dev.esae.data.ContactSheet;
import dev.esae.data.DatasetFiles;
import dev.esae.data.Orientations;
import dev.esae.data.ShapesDataset;
import dev.esae.equivariance.ActivationSet;
import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import dev.esae.io.Png;
import dev.esae.probe.ProbeSet;
import dev.esae.report.AtlasHtml;
import dev.esae.report.FeatureAtlas;
import dev.esae.report.StudyLayout;
import dev.esae.report.StudyReport;
import dev.esae.report.TransformChoice;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code esae reproduce}: the whole study of the paper in one resumable command, with its report. */
@Command(name = "reproduce",
        description = {"Run the whole study: dataset and probe set, both base models, activations, M, the five SAE kinds",
            "at K = 8, 16, 32, probing, the frontier, the feature atlas and the report. Resumable: run it again and",
            "every finished step (its outputs read back and checked) is skipped; a training step resumes from its checkpoint.",
            "Presets: tiny (seconds; what CI runs), quick (a laptop, <= 10 minutes on 2 cores), paper (the paper's schedule)."})
final class ReproduceCommand extends Subcommand {
    private static final String STUDY = "study.json";

    @Option(names = "--preset", paramLabel = "P", defaultValue = "quick", description = "tiny, quick or paper. Default: ${DEFAULT-VALUE}.")
    Preset preset;

    @Option(names = "--orientations", paramLabel = "O", defaultValue = "upright",
            description = {"upright: every shape upright in the canonical images (SPEC, the paper); random: the identifiability",
                "ablation (each shape in a random orientation). Default: ${DEFAULT-VALUE}."})
    Orientations orientations;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (the study's outputs and report).")
    Path out;

    @Option(names = "--resume", description = {"Continue the study in --out, and refuse to start a new one there.",
        "(Without it, a study with the same settings in --out is continued too.)"})
    boolean resume;

    @Override
    public Integer call() throws IOException {
        int threads = root.threads();
        Map<String, Object> settings = settings(preset, orientations);
        Path study = out.resolve(STUDY);
        if (resume && !Files.isRegularFile(study)) {
            throw new InputException("--resume: --out " + out + " holds no study (" + STUDY + ") to continue");
        }
        if (Files.isRegularFile(study)) {
            Map<String, Object> saved;
            try {
                saved = Json.parseObject(Files.readString(study));
            } catch (IllegalArgumentException e) {
                throw new InputException(study + ": cannot be read as JSON (" + e.getMessage() + ")");
            }
            if (!settings.equals(saved)) {
                throw new InputException("--out " + out + ": holds a study with other settings (" + Json.write(saved)
                        + "); choose another folder");
            }
        } else if (Files.isDirectory(out) && Files.list(out).findAny().isPresent()) {
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
        List<StudyPlan.Step> steps = new ArrayList<>(new StudyPlan(preset, orientations, layout, esae).steps());
        steps.add(new StudyPlan.Step("atlas", "feature atlas", () -> atlasDone(layout), () -> atlas(layout, preset)));
        steps.add(new StudyPlan.Step("report", "report", () -> StudyPlan.json(layout.reportJson(), "complete")
                && Files.isRegularFile(layout.reportMd()), () -> {
                    new StudyReport(layout, settings, preset.ks(), preset.probeKs(), preset.lengths()).write();
                    return ExitCodes.OK;
                }));

        Map<String, Object> timings = Files.isRegularFile(layout.timings())
                ? new LinkedHashMap<>(Json.parseObject(Files.readString(layout.timings()))) : new LinkedHashMap<>();
        long start = System.nanoTime();
        int ran = 0;
        for (int i = 0; i < steps.size(); i++) {
            StudyPlan.Step s = steps.get(i);
            String tag = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, steps.size(), s.name());
            if (done(s)) {
                out().println(tag + ": skipped (outputs complete)");
                continue;
            }
            out().println(tag + " ...");
            out().flush();
            long t0 = System.nanoTime();
            int code = s.run().run();
            if (code != ExitCodes.OK) {
                spec.commandLine().getErr().println("esae: reproduce stopped at '" + s.name() + "' (exit " + code
                        + "); fix the cause and run the same command again to continue");
                return code;
            }
            if (!done(s)) {
                throw new IllegalStateException("step '" + s.name() + "' finished but its outputs do not check out");
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            timings.put(s.name(), Math.round(secs * 10) / 10.0);
            AtomicFiles.writeString(layout.timings(), Json.pretty(timings));
            ran++;
            out().printf(Locale.ROOT, "%s: done in %.1f s%n", tag, secs);
        }
        out().printf(Locale.ROOT, "reproduce %s: %d step(s) run, %d skipped, %.1f s; report: %s, %s%n", preset.name(), ran,
                steps.size() - ran, (System.nanoTime() - start) / 1e9, layout.reportMd(), layout.atlas());
        return ExitCodes.OK;
    }

    private static boolean done(StudyPlan.Step s) {
        try {
            return s.done().done();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Map<String, Object> settings(Preset p, Orientations orientations) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("preset", p.name());
        s.put("orientations", orientations.id());
        s.put("seed", root.seed);
        s.put("train_images", p.trainImages());
        s.put("probe_images", p.probeImages());
        s.put("base_epochs", p.baseEpochs());
        s.put("fit_m_solvers", TransformChoice.SOLVERS);
        s.put("fit_m_epochs", p.fitEpochs());
        s.put("fit_m_lbfgs_iterations", p.fitIterations());
        s.put("sae_epochs", p.saeEpochs());
        s.put("k", p.ks());
        s.put("probe_k", p.probeKs());
        s.put("lengths", p.lengths());
        s.put("probes", p.probes());
        s.put("xgb_max_bin", p.xgbMaxBin());
        return Json.parseObject(Json.write(s));  // the types a read-back gives (Long, List of Long), so saved and new compare equal
    }

    private static boolean atlasDone(StudyLayout layout) throws IOException {
        if (!Files.isRegularFile(layout.atlas()) || !Files.readString(layout.atlas()).strip().endsWith("</html>")) {
            return false;
        }
        Map<String, Object> j = Json.parseObject(Files.readString(layout.atlasJson()));
        return j.keySet().containsAll(StudyLayout.ARCHS);
    }

    private int atlas(StudyLayout layout, Preset preset) throws IOException {
        int k = preset.atlasK();
        int limit = preset == Preset.TINY ? 12 : 48;
        Map<String, List<FeatureAtlas.Feature>> sections = new LinkedHashMap<>();
        Map<String, Object> json = new LinkedHashMap<>();
        ShapesDataset probeImages = DatasetFiles.read(layout.probeData());
        try (Backend backend = root.openBackend().backend()) {
            for (String arch : StudyLayout.ARCHS) {
                ActivationSet acts = ActivationSet.read(layout.probeActs(arch), null);
                ProbeSet set = ProbeSet.of(acts, probeImages.labelsArray().toInts(), root.seed);
                List<FeatureAtlas.Feature> features;
                try (Autoencoder model = ModelFiles.load(backend, layout.model(arch));
                     SaeFiles.Loaded sae = SaeFiles.load(backend, layout.sae(arch, SaeKind.EQUIVARIANT, k))) {
                    features = FeatureAtlas.compute(backend, model, sae, set, probeImages, limit);
                }
                sections.put(arch.toUpperCase(Locale.ROOT) + " autoencoder, equivariant SAE, K = " + k, features);
                List<Map<String, Object>> list = new ArrayList<>();
                List<byte[]> tiles = new ArrayList<>();
                for (FeatureAtlas.Feature f : features) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("latent", f.latent());
                    row.put("fires", f.fires());
                    row.put("class", f.invariant() ? "invariant" : "equivariant");
                    row.put("cosines", java.util.Arrays.stream(f.cosines()).boxed().toList());
                    row.put("maps_to", f.mapsTo());
                    row.put("maps_to_cosine", Double.isFinite(f.mapsToCosine()) ? f.mapsToCosine() : null);
                    list.add(row);
                    if (tiles.size() < 8 * f.decoded().size()) {
                        tiles.addAll(f.decoded());
                    }
                }
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("k", k);
                a.put("features", features.size());
                a.put("invariant", features.stream().filter(FeatureAtlas.Feature::invariant).count());
                a.put("list", list);
                json.put(arch, a);
                if (!tiles.isEmpty()) {
                    Files.createDirectories(layout.figures());
                    // One row per feature: its decoded image at p = 0..n-1.
                    ContactSheet sheet = ContactSheet.of(tiles, 64, features.get(0).decoded().size(), 2, 4);
                    Png.writeGray(layout.figures().resolve("features-" + arch + ".png"), sheet.pixels(), sheet.width(), sheet.height());
                }
            }
        }
        AtomicFiles.writeString(layout.atlasJson(), Json.pretty(json));
        AtomicFiles.writeString(layout.atlas(), AtlasHtml.render("esae feature atlas (" + BuildInfo.version() + ")", sections));
        return ExitCodes.OK;
    }
}
