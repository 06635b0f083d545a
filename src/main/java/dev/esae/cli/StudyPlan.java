package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.base.ActivationsInfo;
import dev.esae.base.ModelFiles;
import dev.esae.data.ClassTasks;
import dev.esae.data.CyclicGroup;
import dev.esae.data.DatasetFiles;
import dev.esae.data.DatasetInfo;
import dev.esae.data.DatasetSource;
import dev.esae.data.FashionMnist;
import dev.esae.data.Orientations;
import dev.esae.equivariance.TransformFiles;
import dev.esae.equivariance.TransformFitReport;
import dev.esae.io.Json;
import dev.esae.sae.SaeConfig;
import dev.esae.io.Npy;
import dev.esae.io.SafeTensors;
import dev.esae.probe.ProbeFiles;
import dev.esae.probe.ProbeTasks;
import dev.esae.report.Frontier;
import dev.esae.report.StudyLayout;
import dev.esae.report.TransformChoice;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeKind;
import dev.esae.train.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of {@code esae reproduce} for one preset, in order, each with the check that tells a
 * finished step from one to (re)run: its outputs are read back and checked (shapes, row counts,
 * epochs), not only looked for, and the inputs its provenance names must still have the bytes it
 * recorded. A training step that left a checkpoint resumes from it.
 *
 * @param source the study's images: the shapes, drawn, or Fashion-MNIST's (train split to train on, test split to probe)
 * @param idxDir Fashion-MNIST's idx folder when the user named one, else {@code null} (the dataset command's default)
 * @param esae how a step runs an esae command line (with the study's global options)
 */
record StudyPlan(Preset preset, DatasetSource source, Path idxDir, Orientations orientations, StudyLayout layout, StudyPlan.Esae esae) {
    static final List<String> ARCHS = StudyLayout.ARCHS;

    /** One step: its stage (for timings), a name, whether its outputs are complete, and how to run it. */
    record Step(String stage, String name, Check done, Action run) {}

    /** Whether a step's outputs are complete and valid. */
    @FunctionalInterface
    interface Check {
        boolean done() throws IOException;
    }

    /** Runs a step; returns its exit code. */
    @FunctionalInterface
    interface Action {
        int run() throws IOException;
    }

    /** Runs one esae command line (with the study's global options) and returns its exit code. */
    @FunctionalInterface
    interface Esae {
        int run(List<String> args);
    }

    /**
     * Whether a step reads only what earlier stages wrote and writes only its own folder, so that it
     * may run beside the steps next to it: the SAEs (each reads the activations and, for the
     * equivariant kind, M, all made before the first SAE).
     */
    static boolean independent(Step s) {
        return s.stage().equals("sae");
    }

    /** Every step up to the atlas and the report (those two are added by the command). */
    List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        steps.add(dataStep("dataset", layout.data(), preset.trainImages(), "0", FashionMnist.Split.TRAIN));
        steps.add(dataStep("probe set", layout.probeData(), preset.probeImages(), "1", FashionMnist.Split.TEST));
        for (String arch : ARCHS) {
            Path m = layout.model(arch);
            steps.add(new Step("base", "train-base " + arch, () -> trained(m, "model.safetensors", preset.baseEpochs())
                    && sameInputs(m.resolve(ModelFiles.CONFIG)),
                    () -> esae.run(resumable(m, List.of("train-base", "--arch", arch, "--data", layout.data().toString(), "--epochs",
                            str(preset.baseEpochs()), CHECKPOINT_WAIT[0], CHECKPOINT_WAIT[1], "--out", m.toString())))));
            steps.add(new Step("activations", "activations " + arch, () -> activations(layout.acts(arch), preset.trainImages())
                    && sameInputs(ActivationsInfo.fileFor(layout.acts(arch))),
                    () -> esae.run(List.of("activations", "--model", m.toString(), "--data", layout.data().toString(), "--out",
                            layout.acts(arch).toString(), "--overwrite"))));
            steps.add(new Step("activations", "probe activations " + arch, () -> activations(layout.probeActs(arch), preset.probeImages())
                    && sameInputs(ActivationsInfo.fileFor(layout.probeActs(arch))),
                    () -> esae.run(List.of("activations", "--model", m.toString(), "--data", layout.probeData().toString(), "--out",
                            layout.probeActs(arch).toString(), "--overwrite"))));
            for (String solver : TransformChoice.SOLVERS) {
                Path t = layout.transform(arch, solver);
                List<String> budget = solver.equals("adam") ? List.of("--epochs", str(preset.fitEpochs()), CHECKPOINT_WAIT[0], CHECKPOINT_WAIT[1])
                        : List.of("--iterations", str(preset.fitIterations()));
                List<String> args = new ArrayList<>(List.of("fit-m", "--solver", solver, "--acts", layout.acts(arch).toString()));
                args.addAll(budget);
                args.addAll(List.of("--out", t.toString()));
                steps.add(new Step("fit-m", "fit-m " + solver + " " + arch, () -> fitBy(t, solver) && tensors(t.resolve("M.safetensors"))
                        && sameInputs(t.resolve(TransformFiles.REPORT)),
                        () -> esae.run(fitArgs(t, solver, args))));
            }
        }
        for (String arch : ARCHS) {
            for (int k : preset.ks()) {
                for (SaeKind kind : SaeKind.values()) {
                    Path dir = layout.sae(arch, kind, k);
                    List<String> args = new ArrayList<>(List.of("train-sae", "--kind", kind.id(), "--k", str(k), "--acts",
                            layout.acts(arch).toString(), "--epochs", str(preset.saeEpochs()), CHECKPOINT_WAIT[0], CHECKPOINT_WAIT[1],
                            "--out", dir.toString()));
                    // The equivariant SAE takes the better of the two fits of M, known only once both ran.
                    steps.add(new Step("sae", "train-sae " + arch + " " + kind.id() + " k=" + k,
                            () -> trained(dir, SaeFiles.WEIGHTS, preset.saeEpochs()) && json(dir.resolve(SaeFiles.METRICS), "fvu")
                                    && (!kind.needsTransform() || trainedWith(dir, TransformChoice.best(layout, arch).dir()))
                                    && sameInputs(dir.resolve(SaeFiles.CONFIG)),
                            () -> {
                                List<String> all = new ArrayList<>(args);
                                if (kind.needsTransform()) {
                                    all.addAll(List.of("--transform", TransformChoice.best(layout, arch).dir().toString()));
                                }
                                return esae.run(resumable(dir, all));
                            }));
                }
            }
        }
        for (String arch : ARCHS) {
            List<String> args = new ArrayList<>(List.of("probe"));
            int saes = 0;
            for (int k : preset.probeKs()) {
                for (SaeKind kind : SaeKind.values()) {
                    args.addAll(List.of("--sae", layout.sae(arch, kind, k).toString()));
                    saes++;
                }
            }
            args.addAll(List.of("--acts", layout.probeActs(arch).toString()));
            // Fashion-MNIST's tasks are its folder's tasks.csv (class, class at rotation p); the shapes' the 180 of SPEC §5.
            args.addAll(fashion() ? List.of("--tasks", layout.probeData().resolve(DatasetFiles.TASKS).toString())
                    : List.of("--labels", layout.probeData().resolve(DatasetFiles.LABELS).toString()));
            args.addAll(List.of("--lengths", join(preset.lengths()), "--probes", String.join(",", preset.probes()), "--xgb-max-bin",
                    str(preset.xgbMaxBin()), "--out",
                    layout.probeOut(arch).toString(), "--overwrite"));
            int tasks = fashion() ? ClassTasks.names(FashionMnist.CLASS_NAMES.size(), CyclicGroup.C4.order()).size() : ProbeTasks.all().size();
            int rows = 1 + tasks * preset.probes().size() * (1 + saes * preset.lengths().size() * 2);
            steps.add(new Step("probe", "probe " + arch, () -> lines(layout.probeOut(arch).resolve(ProbeFiles.RESULTS)) == rows
                    && Files.isRegularFile(layout.probeOut(arch).resolve(ProbeFiles.SUMMARY))
                    && sameInputs(layout.probeOut(arch).resolve(Provenance.FILE)), () -> esae.run(args)));
        }
        for (String arch : ARCHS) {
            List<String> args = new ArrayList<>(List.of("frontier"));
            for (int k : preset.ks()) {
                for (SaeKind kind : SaeKind.values()) {
                    args.addAll(List.of("--sae", layout.sae(arch, kind, k).toString()));
                }
            }
            args.addAll(List.of("--model", layout.model(arch).toString(), "--data", layout.probeData().toString(), "--out",
                    layout.frontierOut(arch).toString(), "--overwrite"));
            int rows = 1 + preset.ks().size() * SaeKind.values().length;
            steps.add(new Step("frontier", "frontier " + arch, () -> lines(layout.frontierOut(arch).resolve(Frontier.CSV)) == rows
                    && Files.size(layout.frontierOut(arch).resolve(Frontier.PNG)) > 0
                    && sameInputs(layout.frontierOut(arch).resolve(Provenance.FILE)), () -> esae.run(args)));
        }
        return steps;
    }

    private boolean fashion() {
        return source == DatasetSource.FASHION_MNIST;
    }

    /**
     * The step that makes a dataset folder of {@code count} images: the shapes drawn from {@code seed},
     * or the first {@code count} images of Fashion-MNIST's {@code split}. Done when the folder holds
     * that many images from the same source (and split), in the study's orientations.
     */
    private Step dataStep(String name, Path dir, int count, String seed, FashionMnist.Split split) {
        List<String> args = new ArrayList<>(List.of("dataset", "--source", source.id(), "--n", str(count)));
        if (fashion()) {
            args.addAll(List.of("--split", split.id()));
            if (idxDir != null) {
                args.addAll(List.of("--idx-dir", idxDir.toString()));
            }
        } else {
            args.addAll(List.of("--seed", seed, "--orientations", orientations.id()));
        }
        args.addAll(List.of("--out", dir.toString(), "--overwrite"));
        return new Step("data", name, () -> images(dir, count, orientations) && fromSource(dir, source, fashion() ? split : null),
                () -> esae.run(args));
    }

    /**
     * The training steps save once 30 s have passed since their last save, not after every epoch:
     * the quick preset's runs take seconds, and saving a wide SAE's 50 MB state every epoch cost
     * more than a quarter of its training. A killed step loses at most that and an epoch.
     */
    private static final String[] CHECKPOINT_WAIT = {"--checkpoint-seconds", "30"};

    /** A training command with {@code --resume} when its folder holds a checkpoint. */
    private static List<String> resumable(Path dir, List<String> args) {
        if (!dev.esae.train.Checkpoint.exists(dir)) {
            return args;
        }
        List<String> r = new ArrayList<>(args);
        r.add("--resume");
        return r;
    }

    /** A killed Adam fit continues from its checkpoint; anything else in the folder is replaced. */
    private static List<String> fitArgs(Path dir, String solver, List<String> args) {
        List<String> r = new ArrayList<>(args);
        r.add(solver.equals("adam") && dev.esae.train.Checkpoint.exists(dir) ? "--resume" : "--overwrite");
        return r;
    }

    private static String str(int v) {
        return Integer.toString(v);
    }

    private static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    // ---- checks: each reads the outputs back; an unreadable file is "not done" ----

    /**
     * Whether every input the record in {@code file} names (its provenance's SHA-256 per input) still
     * has those bytes: a step whose inputs were edited or redrawn runs again rather than being reused.
     */
    static boolean sameInputs(Path file) {
        Provenance p = Provenance.recordedIn(file);
        return p != null && p.changedInput() == null;
    }

    /** Whether the dataset in {@code dir} says it holds {@code source}'s images (of {@code split}, when one is given). */
    static boolean fromSource(Path dir, DatasetSource source, FashionMnist.Split split) {
        try {
            DatasetInfo info = DatasetFiles.info(dir);
            String recorded = info == null || info.source() == null ? DatasetFiles.SHAPES_SOURCE : info.source();
            return recorded.equals(source.id()) && (split == null || split.id().equals(info.split()));
        } catch (InputException e) {
            return false;
        }
    }

    static boolean images(Path dir, int count, Orientations orientations) {
        try {
            return DatasetFiles.read(dir).size() == count && DatasetFiles.orientations(dir) == orientations;
        } catch (InputException e) {
            return false;
        }
    }

    /** Whether the SAE in {@code dir} was trained with the M of {@code transform} (its cfg.json says so). */
    static boolean trainedWith(Path dir, Path transform) {
        Path cfg = dir.resolve(SaeFiles.CONFIG);
        try {
            return Files.isRegularFile(cfg) && (transform + " (M)").equals(Json.read(cfg, SaeConfig.class, "an SAE config").transform());
        } catch (InputException e) {
            return false;  // unreadable: the step runs again
        }
    }

    /** Whether {@code dir} holds a fit of M by {@code solver} (its r2.json says so). */
    static boolean fitBy(Path dir, String solver) {
        Path file = dir.resolve(TransformFiles.REPORT);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            TransformFitReport.Summary r = Json.read(file, TransformFitReport.Summary.class, "a transform fit's report");
            return r.fitted() != null && solver.equals(r.solver());
        } catch (InputException e) {
            return false;  // unreadable: the step runs again
        }
    }

    static boolean activations(Path file, int count) {
        try {
            String d = Npy.read(file).describe();
            return d.equals("float32[" + count + ", 4, 256]");
        } catch (InputException e) {
            return false;
        }
    }

    static boolean tensors(Path file) {
        try {
            SafeTensors.read(file);
            return true;
        } catch (InputException e) {
            return false;
        }
    }

    static boolean json(Path file, String key) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            return Json.parseObject(Files.readString(file)).containsKey(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A finished training run: its weights read back, and {@code loss.csv} holds every epoch. */
    static boolean trained(Path dir, String weights, int epochs) throws IOException {
        return tensors(dir.resolve(weights)) && lines(dir.resolve("loss.csv")) == epochs + 1;
    }

    static long lines(Path file) {
        if (!Files.isRegularFile(file)) {
            return -1;
        }
        try (var s = Files.lines(file)) {
            return s.count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }
}
