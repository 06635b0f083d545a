package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.data.FashionMnist;
import dev.esae.data.IdxFile;
import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command against every class of bad input (docs/RELIABILITY.md has the same table): each
 * row must give exit code 2, exactly one line on stderr that names the input and what was
 * expected, no stack trace, and leave every file of the fixture as it was (not rewritten, not
 * replaced), with no new file or folder anywhere.
 */
class BadInputTest {
    @TempDir
    static Path root;

    /** One row of the table: the input class, the command line, and a fragment the error line must hold. */
    record Case(String inputClass, List<String> args, String expected) {
        @Override
        public String toString() {
            return inputClass + ": esae " + String.join(" ", args).replace(root.toString() + "/", "");
        }
    }

    @BeforeAll
    static void buildFixture() throws IOException {
        ok("dataset", "--n", "24", "--out", p("data"));
        ok("train-base", "--arch", "mlp", "--data", p("data"), "--epochs", "1", "--batch", "8", "--out", p("model"));
        ok("activations", "--model", p("model"), "--data", p("data"), "--out", p("acts.npy"));
        ok("fit-m", "--acts", p("acts.npy"), "--epochs", "1", "--out", p("m"));
        ok("train-sae", "--kind", "topk", "--k", "4", "--acts", p("acts.npy"), "--epochs", "1", "--out", p("sae"));
        ok("train-sae", "--kind", "invariant", "--k", "4", "--acts", p("acts.npy"), "--epochs", "1", "--out", p("sae-invariant"));
        ok("export", "--sae", p("sae"), "--format", "sparsify", "--out", p("sae-sparsify"));
        ok("dataset", "--n", "24", "--seed", "3", "--out", p("other-data"));

        HostArray acts = Npy.read(root.resolve("acts.npy"));
        float[] a = acts.toFloats();
        byte[] actsBytes = Files.readAllBytes(root.resolve("acts.npy"));
        // Broken .npy files of every kind.
        Files.write(root.resolve("truncated.npy"), java.util.Arrays.copyOf(actsBytes, actsBytes.length / 2));
        byte[] corrupt = actsBytes.clone();
        corrupt[1] = 'X';
        Files.write(root.resolve("corrupt.npy"), corrupt);
        byte[] badHeader = actsBytes.clone();
        int colon = new String(actsBytes, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("'descr'");
        badHeader[colon + 1] = '#';
        Files.write(root.resolve("bad-header.npy"), badHeader);
        Files.write(root.resolve("empty.npy"), new byte[0]);
        double[] asDoubles = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            asDoubles[i] = a[i];
        }
        Npy.write(root.resolve("float64.npy"), HostArray.ofDoubles(asDoubles, acts.shape()));
        Npy.write(root.resolve("rank4.npy"), HostArray.ofFloats(a, 24, 4, 16, 16));
        Npy.write(root.resolve("d8.npy"), HostArray.ofFloats(java.util.Arrays.copyOf(a, 24 * 4 * 8), 24, 4, 8));
        Npy.write(root.resolve("n2.npy"), HostArray.ofFloats(java.util.Arrays.copyOf(a, 24 * 2 * 256), 24, 2, 256));
        Npy.write(root.resolve("n20.npy"), HostArray.ofFloats(java.util.Arrays.copyOf(a, 20 * 4 * 256), 20, 4, 256));
        float[] nan = a.clone();
        nan[1000] = Float.NaN;
        Npy.write(root.resolve("nan.npy"), HostArray.ofFloats(nan, acts.shape()));
        float[] inf = a.clone();
        inf[77] = Float.NEGATIVE_INFINITY;
        Npy.write(root.resolve("inf.npy"), HostArray.ofFloats(inf, acts.shape()));
        Npy.write(root.resolve("labels-f32.npy"), HostArray.ofFloats(new float[24 * 8], 24, 4, 2));
        Npy.write(root.resolve("labels-rank2.npy"), HostArray.ofInts(new int[24 * 8], 24, 8));

        // Folders whose one file is broken: truncated, corrupt or missing safetensors.
        brokenCopy("model", "model-truncated", "model.safetensors", Damage.TRUNCATE);
        brokenCopy("model", "model-corrupt", "model.safetensors", Damage.CORRUPT);
        brokenCopy("model", "model-missing", "model.safetensors", Damage.DELETE);
        brokenCopy("sae", "sae-truncated", "sae_weights.safetensors", Damage.TRUNCATE);
        brokenCopy("sae", "sae-corrupt", "sae_weights.safetensors", Damage.CORRUPT);
        brokenCopy("sae", "sae-missing", "sae_weights.safetensors", Damage.DELETE);
        brokenCopy("m", "m-truncated", "M.safetensors", Damage.TRUNCATE);
        brokenCopy("m", "m-corrupt", "M.safetensors", Damage.CORRUPT);
        brokenCopy("sae", "sae-state-truncated", "train-state.safetensors", Damage.TRUNCATE);
        brokenCopy("model", "model-state-corrupt", "train-state.safetensors", Damage.CORRUPT);
        brokenCopy("data", "data-images-truncated", "images.npy", Damage.TRUNCATE);
        brokenCopy("data", "data-labels-corrupt", "labels.npy", Damage.CORRUPT);
        // Task CSVs for probe --tasks (24 inputs in 4 orientations): one good, and one of each fault.
        StringBuilder good = new StringBuilder("a,b\n");
        for (int i = 0; i < 24; i++) {
            good.append(i % 2).append(',').append(i % 3 == 0 ? 1 : 0).append('\n');
        }
        Files.writeString(root.resolve("tasks.csv"), good);
        Files.writeString(root.resolve("tasks-ragged.csv"), good.toString().replaceFirst("\n1,0\n", "\n1,0,1\n"));
        Files.writeString(root.resolve("tasks-not01.csv"), good.toString().replaceFirst("\n1,0\n", "\n1,0.5\n"));
        Files.writeString(root.resolve("tasks-nopositives.csv"), good.toString().replace(",1\n", ",0\n"));
        Files.writeString(root.resolve("tasks-rows.csv"), good.substring(0, good.lastIndexOf("\n", good.length() - 2) + 1));
        // Fashion-MNIST idx folders (train split, 4 images) with one fault each, so that the rows need no package.
        idxFolder("idx-truncated", IdxFile.IMAGES_MAGIC, new int[] {4, 28, 28}, 1000, 4);
        idxFolder("idx-magic", IdxFile.LABELS_MAGIC, new int[] {4, 28, 28}, 4 * 784, 4);
        idxFolder("idx-count", IdxFile.IMAGES_MAGIC, new int[] {4, 28, 28}, 4 * 784, 3);
        idxFolder("idx-good", IdxFile.IMAGES_MAGIC, new int[] {4, 28, 28}, 4 * 784, 4);
        Files.writeString(root.resolve("a-file"), "not a folder");
        Files.createDirectories(root.resolve("stranger"));
        Files.writeString(root.resolve("stranger").resolve("notes.txt"), "somebody's notes");
    }

    /**
     * A folder of Fashion-MNIST's train idx files: images with {@code magic} and header sizes
     * {@code dims} but {@code pixels} bytes of data, and {@code labels} labels.
     */
    private static void idxFolder(String name, int magic, int[] dims, int pixels, int labels) throws IOException {
        Path d = Files.createDirectories(root.resolve(name));
        FashionMnist.Split train = FashionMnist.Split.TRAIN;
        Files.write(d.resolve(train.imagesName()), dev.esae.testutil.IdxFiles.gz(magic, dims, new byte[pixels]));
        Files.write(d.resolve(train.labelsName()), dev.esae.testutil.IdxFiles.gz(IdxFile.LABELS_MAGIC, new int[] {labels}, new byte[labels]));
    }

    private enum Damage { TRUNCATE, CORRUPT, DELETE }

    private static void brokenCopy(String from, String to, String file, Damage damage) throws IOException {
        Path dst = root.resolve(to);
        Files.createDirectories(dst);
        try (Stream<Path> files = Files.list(root.resolve(from))) {
            for (Path f : files.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        Path target = dst.resolve(file);
        byte[] bytes = Files.readAllBytes(target);
        switch (damage) {
            case TRUNCATE -> Files.write(target, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
            case CORRUPT -> {
                // The 8-byte little-endian header length of safetensors, or the .npy magic: garbage either way.
                for (int i = 0; i < 8; i++) {
                    bytes[i] = (byte) 0x7f;
                }
                Files.write(target, bytes);
            }
            case DELETE -> Files.delete(target);
        }
    }

    private static String p(String name) {
        return root.resolve(name).toString();
    }

    private static void ok(String... args) {
        CliTest.Run r = CliTest.esae(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
    }

    private static Case c(String inputClass, String expected, String... args) {
        return new Case(inputClass, List.of(args), expected);
    }

    static List<Case> cases() {
        String acts = p("acts.npy");
        String labels = p("data") + "/labels.npy";
        List<Case> t = new ArrayList<>();
        // A missing .npy (or a folder without one).
        t.add(c("missing .npy", "nowhere.npy: file not found (expected a .npy array)", "fit-m", "--acts", p("nowhere.npy"), "--out", p("o")));
        t.add(c("missing .npy", "nowhere.npy: file not found", "train-sae", "--kind", "topk", "--k", "4", "--acts", p("nowhere.npy"), "--out", p("o")));
        t.add(c("missing .npy", "nowhere.npy: file not found", "probe", "--sae", p("sae"), "--acts", p("nowhere.npy"), "--labels", labels, "--out", p("o")));
        t.add(c("missing .npy", "nowhere.npy: file not found", "probe", "--sae", p("sae"), "--acts", acts, "--labels", p("nowhere.npy"), "--out", p("o")));
        t.add(c("missing .npy", "nowhere: not a dataset folder", "train-base", "--arch", "cnn", "--data", p("nowhere"), "--out", p("o")));
        t.add(c("missing .npy", "nowhere: not a dataset folder", "activations", "--model", p("model"), "--data", p("nowhere"), "--out", p("o.npy")));
        t.add(c("missing .npy", "nowhere: not a dataset folder", "frontier", "--sae", p("sae"), "--model", p("model"), "--data", p("nowhere"), "--out", p("o")));
        // A truncated .npy.
        t.add(c("truncated .npy", "truncated.npy: not a readable .npy array: it is truncated", "fit-m", "--acts", p("truncated.npy"), "--out", p("o")));
        t.add(c("truncated .npy", "truncated.npy: not a readable .npy array: it is truncated", "train-sae", "--kind", "topk", "--k", "4", "--acts", p("truncated.npy"), "--out", p("o")));
        t.add(c("truncated .npy", "truncated.npy: not a readable .npy array: it is truncated", "probe", "--sae", p("sae"), "--acts", p("truncated.npy"), "--labels", labels, "--out", p("o")));
        t.add(c("truncated .npy", "images.npy: not a readable .npy array: it is truncated", "train-base", "--arch", "mlp", "--data", p("data-images-truncated"), "--out", p("o")));
        t.add(c("truncated .npy", "empty.npy: not a readable .npy array", "fit-m", "--acts", p("empty.npy"), "--out", p("o")));
        // A corrupt .npy: wrong magic, a header that is not a Python dict.
        t.add(c("corrupt .npy", "corrupt.npy: not a readable .npy array: it does not start with the .npy magic", "train-sae", "--kind", "wide", "--k", "4", "--acts", p("corrupt.npy"), "--out", p("o")));
        t.add(c("corrupt .npy", "bad-header.npy: not a readable .npy array", "fit-m", "--acts", p("bad-header.npy"), "--out", p("o")));
        t.add(c("corrupt .npy", "labels.npy: not a readable .npy array", "activations", "--model", p("model"), "--data", p("data-labels-corrupt"), "--out", p("o.npy")));
        // Missing, truncated or corrupt .safetensors.
        t.add(c("missing .safetensors", "model.safetensors", "activations", "--model", p("model-missing"), "--data", p("data"), "--out", p("o.npy")));
        t.add(c("missing .safetensors", "sae_weights.safetensors", "probe", "--sae", p("sae-missing"), "--acts", acts, "--labels", labels, "--out", p("o")));
        t.add(c("missing .safetensors", "nowhere: not a transform folder (no M.safetensors", "train-sae", "--kind", "equivariant", "--k", "4", "--acts", acts, "--transform", p("nowhere"), "--out", p("o")));
        t.add(c("missing .safetensors", "sae_weights.safetensors: file not found", "export", "--sae", p("sae-missing"), "--format", "saelens", "--out", p("o")));
        t.add(c("missing .npy", "nowhere: not an SAE folder", "export", "--sae", p("nowhere"), "--format", "saelens", "--out", p("o")));
        t.add(c("truncated .safetensors", "model.safetensors: not a readable safetensors file", "activations", "--model", p("model-truncated"), "--data", p("data"), "--out", p("o.npy")));
        t.add(c("truncated .safetensors", "model.safetensors: not a readable safetensors file", "frontier", "--sae", p("sae"), "--model", p("model-truncated"), "--data", p("data"), "--out", p("o")));
        t.add(c("truncated .safetensors", "sae_weights.safetensors: not a readable safetensors file", "probe", "--sae", p("sae-truncated"), "--acts", acts, "--labels", labels, "--out", p("o")));
        t.add(c("truncated .safetensors", "M.safetensors: not a readable safetensors file", "train-sae", "--kind", "equivariant", "--k", "4", "--acts", acts, "--transform", p("m-truncated"), "--out", p("o")));
        t.add(c("truncated .safetensors", "train-state.safetensors: not a readable safetensors file", "train-sae", "--kind", "topk", "--k", "4", "--acts", acts, "--epochs", "2", "--out", p("sae-state-truncated"), "--resume"));
        t.add(c("corrupt .safetensors", "model.safetensors: not a readable safetensors file", "activations", "--model", p("model-corrupt"), "--data", p("data"), "--out", p("o.npy")));
        t.add(c("corrupt .safetensors", "sae_weights.safetensors: not a readable safetensors file", "frontier", "--sae", p("sae-corrupt"), "--model", p("model"), "--data", p("data"), "--out", p("o")));
        t.add(c("corrupt .safetensors", "M.safetensors: not a readable safetensors file", "train-sae", "--kind", "equivariant", "--k", "4", "--acts", acts, "--transform", p("m-corrupt"), "--out", p("o")));
        t.add(c("truncated .safetensors", "sae_weights.safetensors: not a readable safetensors file", "export", "--sae", p("sae-truncated"), "--format", "sparsify", "--out", p("o")));
        t.add(c("corrupt .safetensors", "sae_weights.safetensors: not a readable safetensors file", "export", "--sae", p("sae-corrupt"), "--format", "saelens", "--out", p("o")));
        t.add(c("corrupt .safetensors", "train-state.safetensors: not a readable safetensors file", "train-base", "--arch", "mlp", "--data", p("data"), "--epochs", "2", "--batch", "8", "--out", p("model-state-corrupt"), "--resume"));
        // A wrong dtype.
        t.add(c("wrong dtype", "float64.npy: expected float32 activations, found float64[24, 4, 256]", "fit-m", "--acts", p("float64.npy"), "--out", p("o")));
        t.add(c("wrong dtype", "float64.npy: expected float32 activations", "train-sae", "--kind", "topk", "--k", "4", "--acts", p("float64.npy"), "--out", p("o")));
        t.add(c("wrong dtype", "labels-f32.npy: expected int32 labels [N, 4, 2], found float32[24, 4, 2]", "probe", "--sae", p("sae"), "--acts", acts, "--labels", p("labels-f32.npy"), "--out", p("o")));
        // A wrong rank or shape.
        t.add(c("wrong rank", "rank4.npy", "train-sae", "--kind", "topk", "--k", "4", "--acts", p("rank4.npy"), "--out", p("o")));
        t.add(c("wrong rank", "labels-rank2.npy: expected int32 labels [N, 4, 2], found int32[24, 8]", "probe", "--sae", p("sae"), "--acts", acts, "--labels", p("labels-rank2.npy"), "--out", p("o")));
        t.add(c("d mismatch", "--sae " + p("sae") + ": reads d = 256, but " + p("d8.npy") + " has d = 8", "probe", "--sae", p("sae"), "--acts", p("d8.npy"), "--labels", labels, "--out", p("o")));
        t.add(c("n mismatch with M", "--transform " + p("m") + ": M is 256x256 for n = 4, but " + p("n2.npy") + " has d = 256, n = 2", "train-sae", "--kind", "equivariant", "--k", "4", "--acts", p("n2.npy"), "--transform", p("m"), "--out", p("o")));
        t.add(c("d mismatch with M", "M is 256x256 for n = 4, but " + p("d8.npy") + " has d = 8", "train-sae", "--kind", "equivariant", "--k", "4", "--acts", p("d8.npy"), "--transform", p("m"), "--out", p("o")));
        t.add(c("N mismatch", "labels.npy", "probe", "--sae", p("sae"), "--acts", p("n20.npy"), "--labels", labels, "--out", p("o")));
        t.add(c("d mismatch on resume", "--resume", "train-sae", "--kind", "topk", "--k", "4", "--acts", p("d8.npy"), "--epochs", "2", "--out", p("sae"), "--resume"));
        // NaN or Inf in activations.
        t.add(c("NaN in activations", "nan.npy: holds NaN at [0, 3, 232]; activations must be finite", "fit-m", "--acts", p("nan.npy"), "--out", p("o")));
        t.add(c("NaN in activations", "nan.npy: holds NaN at [0, 3, 232]", "train-sae", "--kind", "invariant", "--k", "4", "--acts", p("nan.npy"), "--out", p("o")));
        t.add(c("Inf in activations", "inf.npy: holds -Infinity at [0, 0, 77]", "probe", "--sae", p("sae"), "--acts", p("inf.npy"), "--labels", labels, "--out", p("o")));
        t.add(c("Inf in activations", "inf.npy: holds -Infinity at [0, 0, 77]", "train-sae", "--kind", "topk", "--k", "4", "--acts", p("inf.npy"), "--out", p("o")));
        // K larger than the latents, or <= 0.
        t.add(c("K > latents", "--k 2049: expected 1 to 2048 (the latents of a topk SAE on d = 256)", "train-sae", "--kind", "topk", "--k", "2049", "--acts", acts, "--out", p("o")));
        t.add(c("K <= 0", "--k 0: expected 1 to", "train-sae", "--kind", "twolayer", "--k", "0", "--acts", acts, "--out", p("o")));
        t.add(c("K <= 0", "--k -3: expected 1 to", "train-sae", "--kind", "topk", "--k", "-3", "--acts", acts, "--out", p("o")));
        t.add(c("K > latents", "--lengths 4096: expected 1 to 2048", "probe", "--sae", p("sae"), "--acts", acts, "--labels", labels, "--lengths", "4096", "--out", p("o")));
        t.add(c("K <= 0", "--lengths 0: expected 1 to 2048", "probe", "--sae", p("sae"), "--acts", acts, "--labels", labels, "--lengths", "0", "--out", p("o")));
        t.add(c("K <= 0", "--k", "bench", "--stage", "topk", "--k", "0"));
        t.add(c("K <= 0", "--checkpoint-seconds: expected a finite number >= 0, got -1.0", "train-sae", "--kind", "topk", "--k", "4", "--acts", acts,
                "--checkpoint-seconds", "-1", "--out", p("o")));
        t.add(c("K <= 0", "--side-by-side: expected a positive whole number, got 0", "reproduce", "--preset", "tiny", "--side-by-side", "0",
                "--out", p("o")));
        // An unknown option or kind.
        for (String cmd : List.of("dataset", "train-base", "activations", "fit-m", "train-sae", "probe", "frontier", "export", "reproduce", "bench", "selftest", "doctor")) {
            t.add(c("unknown option", "Unknown option: '--frobnicate'", cmd, "--frobnicate"));
        }
        t.add(c("unknown kind", "--kind: expected topk, wide, twolayer, invariant or equivariant, got 'sparse'", "train-sae", "--kind", "sparse", "--k", "4", "--acts", acts, "--out", p("o")));
        t.add(c("unknown kind", "--arch: expected mlp or cnn, got 'vit'", "train-base", "--arch", "vit", "--data", p("data"), "--out", p("o")));
        t.add(c("unknown kind", "--probes: expected knn, logreg or xgboost, got 'svm'", "probe", "--sae", p("sae"), "--acts", acts, "--labels", labels, "--probes", "svm", "--out", p("o")));
        t.add(c("unknown kind", "--preset: expected tiny, quick or paper, got 'huge'", "reproduce", "--preset", "huge", "--out", p("o")));
        t.add(c("unknown kind", "--orientations: expected upright or random, got 'tilted'", "dataset", "--n", "4", "--orientations", "tilted", "--out", p("o")));
        t.add(c("unknown kind", "--orientations: expected upright or random, got 'tilted'", "reproduce", "--orientations", "tilted", "--out", p("o")));
        t.add(c("unknown kind", "--source: expected shapes or fashion-mnist, got 'mnist'", "reproduce", "--source", "mnist", "--out", p("o")));
        t.add(c("option that does not apply", "--orientations random: only for --source shapes", "reproduce", "--source", "fashion-mnist", "--orientations",
                "random", "--out", p("o")));
        t.add(c("option that does not apply", "--idx-dir: only for --source fashion-mnist", "reproduce", "--idx-dir", p("idx"), "--out", p("o")));
        t.add(c("unknown kind", "--solver: expected adam or lbfgs, got 'sgd'", "fit-m", "--acts", acts, "--solver", "sgd", "--out", p("o")));
        t.add(c("unknown kind", "--source: expected shapes or fashion-mnist, got 'mnist'", "dataset", "--source", "mnist", "--out", p("o")));
        t.add(c("unknown kind", "--split: expected train or test, got 'val'", "dataset", "--source", "fashion-mnist", "--split", "val", "--out", p("o")));
        t.add(c("unknown kind", "--stage: expected", "bench", "--stage", "gpt"));
        t.add(c("unknown kind", "--device", "--device", "tpu", "doctor"));
        t.add(c("unknown command", "Unmatched argument", "train-everything"));
        t.add(c("unknown kind", "--format: expected saelens or sparsify, got 'onnx'", "export", "--sae", p("sae"), "--format", "onnx", "--out", p("o")));
        // A kind neither SAELens nor sparsify computes (a two-layer encoder).
        t.add(c("kind with no SAELens/sparsify equivalent", "--sae " + p("sae-invariant") + ": the invariant kind has no SAELens equivalent; load esae's own files with python/esae_sae.py (docs/SAE_FORMAT.md)",
                "export", "--sae", p("sae-invariant"), "--format", "saelens", "--out", p("o")));
        t.add(c("kind with no SAELens/sparsify equivalent", "the invariant kind has no sparsify equivalent", "export", "--sae", p("sae-invariant"), "--format", "sparsify", "--out", p("o")));
        // An output folder that cannot be written.
        t.add(c("unwritable output", "--out " + p("a-file") + ": is a file; expected a folder", "dataset", "--n", "4", "--out", p("a-file")));
        t.add(c("unwritable output", "--out " + p("a-file") + "/o: cannot create the folder", "train-base", "--arch", "mlp", "--data", p("data"), "--out", p("a-file") + "/o"));
        t.add(c("unwritable output", "--out " + p("a-file") + "/o: cannot create the folder", "fit-m", "--acts", acts, "--epochs", "1", "--out", p("a-file") + "/o"));
        t.add(c("unwritable output", "--out " + p("a-file") + "/o: cannot create the folder", "train-sae", "--kind", "topk", "--k", "4", "--acts", acts, "--epochs", "1", "--out", p("a-file") + "/o"));
        t.add(c("unwritable output", "--out " + p("a-file") + "/o: cannot create the folder", "probe", "--sae", p("sae"), "--acts", acts, "--labels", labels, "--probes", "knn", "--out", p("a-file") + "/o"));
        t.add(c("unwritable output", "cannot create the folder", "frontier", "--sae", p("sae"), "--model", p("model"), "--data", p("data"), "--out", p("a-file") + "/o"));
        t.add(c("unwritable output", "cannot create the folder", "activations", "--model", p("model"), "--data", p("data"), "--out", p("a-file") + "/o/acts.npy"));
        t.add(c("unwritable output", "cannot create the folder", "reproduce", "--preset", "tiny", "--out", p("a-file") + "/o"));
        t.add(c("unwritable output", "--out " + p("a-file") + "/o: cannot create the folder", "export", "--sae", p("sae"), "--format", "saelens", "--out", p("a-file") + "/o"));
        t.add(c("unwritable output", "/proc/esae-out: cannot create the folder", "dataset", "--n", "4", "--out", "/proc/esae-out"));
        // An output folder that already holds a different run (or something else).
        t.add(c("other run in --out", "holds a base model (model.safetensors), not a dataset", "dataset", "--n", "4", "--out", p("model")));
        t.add(c("other run in --out", "holds a dataset (images.npy), not a base model", "train-base", "--arch", "mlp", "--data", p("data"), "--epochs", "1", "--out", p("data")));
        t.add(c("other run in --out", "holds an SAE (sae_weights.safetensors), not a fitted M", "fit-m", "--acts", acts, "--epochs", "1", "--out", p("sae")));
        t.add(c("other run in --out", "holds a fitted M (M.safetensors), not an SAE", "train-sae", "--kind", "topk", "--k", "4", "--acts", acts, "--epochs", "1", "--out", p("m")));
        // Fashion-MNIST's idx files: missing, truncated, of the wrong kind, or of two sizes; options that do not apply.
        String fashionTrain = "/" + FashionMnist.Split.TRAIN.imagesName();
        t.add(c("bad idx file", p("nowhere") + fashionTrain + ": not found: Fashion-MNIST is not installed there (apt-get install dataset-fashion-mnist",
                "dataset", "--source", "fashion-mnist", "--idx-dir", p("nowhere"), "--out", p("o")));
        t.add(c("bad idx file", p("idx-truncated") + fashionTrain + ": is truncated: its header's sizes [4, 28, 28] need 3136 bytes of data, the file holds 1000",
                "dataset", "--source", "fashion-mnist", "--idx-dir", p("idx-truncated"), "--out", p("o")));
        t.add(c("bad idx file", p("idx-magic") + fashionTrain + ": has magic number 0x00000801; expected a gzip-compressed idx file of images, magic 0x00000803",
                "dataset", "--source", "fashion-mnist", "--idx-dir", p("idx-magic"), "--out", p("o")));
        t.add(c("bad idx file", p("idx-count") + "/" + FashionMnist.Split.TRAIN.labelsName() + ": holds 3 labels, but " + p("idx-count") + fashionTrain
                + " holds 4 images", "dataset", "--source", "fashion-mnist", "--idx-dir", p("idx-count"), "--out", p("o")));
        t.add(c("bad idx file", "--n 5: expected 1 to 4 (the images of Fashion-MNIST's train split", "dataset", "--source", "fashion-mnist",
                "--idx-dir", p("idx-good"), "--n", "5", "--out", p("o")));
        t.add(c("option that does not apply", "--orientations random: only for --source shapes", "dataset", "--source", "fashion-mnist",
                "--orientations", "random", "--out", p("o")));
        t.add(c("option that does not apply", "--seed: only for --source shapes", "dataset", "--source", "fashion-mnist", "--seed", "3", "--out", p("o")));
        t.add(c("option that does not apply", "--split: only for --source fashion-mnist", "dataset", "--split", "test", "--out", p("o")));
        t.add(c("option that does not apply", "--idx-dir: only for --source fashion-mnist", "dataset", "--idx-dir", p("idx-count"), "--out", p("o")));
        t.add(c("bad tasks CSV", "tasks-ragged.csv: line 3 has 3 field(s), expected 2 (one per task in the header)", "probe", "--acts", acts, "--tasks", p("tasks-ragged.csv"), "--out", p("o")));
        t.add(c("bad tasks CSV", "tasks-not01.csv: line 3, task 'b': expected 0 or 1, got '0.5'", "probe", "--acts", acts, "--tasks", p("tasks-not01.csv"), "--out", p("o")));
        t.add(c("bad tasks CSV", "tasks-nopositives.csv: task 'b' has no positives (a binary task needs both)", "probe", "--acts", acts, "--tasks", p("tasks-nopositives.csv"), "--out", p("o")));
        t.add(c("bad tasks CSV", "tasks-rows.csv: has 23 rows of labels, but the activations hold 24 inputs in 4 orientations (expected 24 rows, one per input, or 96", "probe", "--acts", acts, "--tasks", p("tasks-rows.csv"), "--out", p("o")));
        t.add(c("bad tasks CSV", "nowhere.csv: file not found (expected a CSV of task labels", "probe", "--acts", acts, "--tasks", p("nowhere.csv"), "--out", p("o")));
        t.add(c("bad tasks CSV", "--labels or --tasks: expected one of them (the probe set's labels.npy for the shapes tasks, or a CSV of your own tasks), got both", "probe", "--acts", acts, "--labels", labels, "--tasks", p("tasks.csv"), "--out", p("o")));
        t.add(c("other run in --out", "holds a base model (model.safetensors), not probing results", "probe", "--sae", p("sae"), "--acts", acts, "--labels", labels, "--out", p("model")));
        t.add(c("other run in --out", "holds an SAE (sae_weights.safetensors), not a frontier", "frontier", "--sae", p("sae"), "--model", p("model"), "--data", p("data"), "--out", p("sae")));
        t.add(c("other run in --out", "is not empty and holds no esae study", "reproduce", "--preset", "tiny", "--out", p("stranger")));
        t.add(c("other run in --out", "--resume: --out " + p("stranger") + " holds no study", "reproduce", "--preset", "tiny", "--out", p("stranger"), "--resume"));
        t.add(c("same kind, no --overwrite", "already holds a dataset (images.npy); pass --overwrite", "dataset", "--n", "24", "--out", p("other-data")));
        t.add(c("same kind, no --overwrite", "--out " + p("sae-sparsify") + ": already holds an SAE (cfg.json); pass --overwrite", "export", "--sae", p("sae"), "--format", "sparsify", "--out", p("sae-sparsify")));
        t.add(c("other run in --out", "holds a fitted M (M.safetensors), not an SAE", "export", "--sae", p("sae"), "--format", "saelens", "--out", p("m")));
        t.add(c("other run in --out", "--out " + p("sae") + ": is the --sae folder; export into another folder", "export", "--sae", p("sae"), "--format", "saelens", "--out", p("sae"), "--overwrite"));
        t.add(c("other run in --out", "holds sae.safetensors (an SAE in another layout), not a SAELens export", "export", "--sae", p("sae"), "--format", "saelens", "--out", p("sae-sparsify"), "--overwrite"));
        t.add(c("same kind, no --overwrite", "acts.npy: already exists; pass --overwrite", "activations", "--model", p("model"), "--data", p("data"), "--out", acts));
        t.add(c("same kind, no --resume", "already holds a training run (train-state.safetensors); pass --resume", "train-base", "--arch", "mlp", "--data", p("data"), "--epochs", "2", "--batch", "8", "--out", p("model")));
        t.add(c("different settings on --resume", "was trained with k = 4, this run asks for 8", "train-sae", "--kind", "topk", "--k", "8", "--acts", acts, "--epochs", "2", "--out", p("sae"), "--resume"));
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsOneLineExit2AndChangesNothing(Case c) throws IOException {
        Map<String, String> before = snapshot();
        CliTest.Run r = CliTest.esae(c.args().toArray(String[]::new));
        String err = r.err().strip();
        assertEquals(ExitCodes.USAGE, r.code(), "exit code; stderr: " + err + "; stdout: " + r.out());
        assertEquals(1, err.lines().count(), "exactly one line on stderr: " + err);
        assertTrue(err.startsWith("esae: "), err);
        assertTrue(err.contains(c.expected()), "stderr says '" + c.expected() + "': " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no exception text or stack trace: " + err);
        assertEquals(before, snapshot(), "no file or folder was created, changed or removed");
    }

    @Test
    void theTableCoversEveryInputClassOfTheIssue() {
        List<String> classes = cases().stream().map(Case::inputClass).distinct().toList();
        for (String needed : List.of("missing .npy", "truncated .npy", "corrupt .npy", "missing .safetensors", "truncated .safetensors",
                "corrupt .safetensors", "wrong dtype", "wrong rank", "d mismatch", "n mismatch with M", "NaN in activations",
                "Inf in activations", "K > latents", "K <= 0", "unknown option", "unknown kind", "unwritable output", "other run in --out",
                "bad idx file")) {
            assertTrue(classes.contains(needed), "the table has a row for " + needed);
        }
    }

    @Test
    void theSnapshotSeesAWriteInPlaceAndAReplace() throws IOException, InterruptedException {
        Path f = root.resolve("probe-of-the-snapshot");
        Files.writeString(f, "one");
        Map<String, String> before = snapshot();
        Thread.sleep(20);
        Files.writeString(f, "two");
        Map<String, String> inPlace = snapshot();
        assertFalse(before.equals(inPlace), "a write in place of the same size");
        Path tmp = root.resolve("probe-of-the-snapshot.tmp");
        Files.writeString(tmp, "two");
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertFalse(inPlace.equals(snapshot()), "an atomic replace with the same bytes");
        Files.delete(f);
    }

    /**
     * Every path under the fixture with its size, modification time (nanoseconds here) and inode:
     * a write in place changes the time, an atomic replace the inode, so this sees any change
     * without hashing ~100 MB per row.
     */
    private static Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.toList()) {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                m.put(root.relativize(f).toString(), a.isDirectory() ? "/" : a.size() + " " + a.lastModifiedTime().toInstant() + " " + a.fileKey());
            }
        }
        return m;
    }
}
