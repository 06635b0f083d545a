package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.io.Npy;
import dev.esae.io.HostArray;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract: exit codes, one-line errors, and what each command writes. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    /** Runs esae in this JVM with single-threaded native libraries. */
    static Run esae(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>();
        if (args.length == 0 || !args[0].startsWith("--threads")) {
            all.add("--threads=" + Integer.getInteger("esae.test.threads", 1));
        }
        all.addAll(Arrays.asList(args));
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** Standard normal activations [count, 4, d] from {@code seed}, written to {@code name} in the test folder. */
    private Path gaussianActs(String name, long seed, int count, int d) throws IOException {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] a = new float[count * 4 * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        Path acts = dir.resolve(name);
        Npy.write(acts, HostArray.ofFloats(a, count, 4, d));
        return acts;
    }

    private static void assertUserError(Run r, String fragment) {
        assertEquals(ExitCodes.USAGE, r.code(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "exactly one line on stderr: " + err);
        assertTrue(err.startsWith("esae: "), err);
        assertTrue(err.contains(fragment), "stderr says '" + fragment + "': " + err);
        assertFalse(err.contains("\tat "), "no stack trace");
    }

    @Test
    void helpAndVersion() {
        Run help = esae("--help");
        assertEquals(0, help.code());
        for (String cmd : new String[] {"doctor", "selftest", "dataset", "--device", "--threads", "--seed"}) {
            assertTrue(help.out().contains(cmd), "help lists " + cmd);
        }
        Run version = esae("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("esae 0.1.0"), version.out());
        Run sub = esae("dataset", "--help");
        assertEquals(0, sub.code());
        assertTrue(sub.out().contains("--out=DIR"), sub.out());
    }

    @Test
    void usageErrorsAreOneLineWithExitCode2() {
        assertUserError(esae("--frobnicate", "doctor"), "Unknown option: '--frobnicate'");
        assertUserError(esae("dataset", "--out", dir.toString(), "--bogus"), "Unknown option: '--bogus'");
        assertUserError(esae("train-everything"), "Unmatched argument");
        assertUserError(esae(), "no command given");
        assertUserError(esae("--device", "tpu", "doctor"), "--device");
        assertUserError(esae("--threads", "0", "selftest"), "--threads: expected a positive number of threads, got 0");
        assertUserError(esae("dataset", "--n", "many", "--out", dir.toString()), "'many' is not an int");
        assertUserError(esae("dataset"), "Missing required option: '--out=DIR'");
    }

    @Test
    void datasetWritesTheDocumentedFiles() throws IOException {
        Path out = dir.resolve("data");
        Run r = esae("dataset", "--n", "70", "--seed", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        HostArray images = Npy.read(out.resolve("images.npy"));
        HostArray labels = Npy.read(out.resolve("labels.npy"));
        assertEquals("uint8[70, 64, 64]", images.describe());
        assertEquals("int32[70, 4, 2]", labels.describe());
        for (String png : new String[] {"sheet.png", "shapes.png"}) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 8);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, png);
        }
        // The global seed is the default of the dataset's own.
        Path again = dir.resolve("again");
        assertEquals(0, esae("--seed", "5", "dataset", "--n", "70", "--out", again.toString()).code());
        assertArrayEquals(Files.readAllBytes(out.resolve("images.npy")), Files.readAllBytes(again.resolve("images.npy")));
        assertArrayEquals(Files.readAllBytes(out.resolve("labels.npy")), Files.readAllBytes(again.resolve("labels.npy")));
    }

    @Test
    void anIndependentNumpyCheckAcceptsTheDatasetAndCatchesACorruptLabel() throws IOException {
        dev.esae.testutil.Python.assumeNumpy();
        String script = Path.of("scripts/verify-dataset.py").toAbsolutePath().toString();
        Path random = dir.resolve("random");
        assertEquals(0, esae("dataset", "--n", "400", "--orientations", "random", "--out", random.toString()).code());
        String okRandom = dev.esae.testutil.Python.check("import runpy, sys; sys.argv = ['verify', '" + random + "']; runpy.run_path('"
                + script + "', run_name='__main__')");
        assertTrue(okRandom.contains("verify-dataset: ok: 400 randomly oriented images, ") && okRandom.contains(", 28 of 28"), okRandom);

        Path out = dir.resolve("checked");
        assertEquals(0, esae("dataset", "--n", "400", "--out", out.toString()).code());
        String check = "import runpy, sys; sys.argv = ['verify', '" + out + "']; runpy.run_path('" + script + "', run_name='__main__')";
        String ok = dev.esae.testutil.Python.check(check);
        assertTrue(ok.contains("verify-dataset: ok: 400 upright images") && ok.contains(", 8 of 28"), ok);
        // Swap one quadrant's orientation label: the image no longer matches it.
        int[] labels = Npy.read(out.resolve("labels.npy")).toInts();
        labels[1] = (labels[1] + 1) % dev.esae.data.ShapeKind.of(labels[0]).orbitSize();
        Npy.write(out.resolve("labels.npy"), HostArray.ofInts(labels, 400, 4, 2));
        dev.esae.testutil.Python.Result bad = dev.esae.testutil.Python.run(check);
        assertEquals(1, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("FAIL: dataset.json says upright"), bad.output());
        // Without its record the pixels still give the swapped label away.
        Files.delete(out.resolve("dataset.json"));
        bad = dev.esae.testutil.Python.run(check);
        assertEquals(1, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("FAIL"), bad.output());
    }

    @Test
    void badDatasetInputWritesNothing() throws IOException {
        Path out = dir.resolve("none");
        assertUserError(esae("dataset", "--n", "0", "--out", out.toString()), "--n: expected a number of images from 1 to");
        assertFalse(Files.exists(out));
        Path file = dir.resolve("a-file");
        Files.writeString(file, "keep me");
        assertUserError(esae("dataset", "--n", "5", "--out", file.toString()), "is a file; expected a folder");
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void trainBaseThenActivationsThenResume() throws IOException {
        Path data = dir.resolve("data");
        Path model = dir.resolve("model");
        assertEquals(0, esae("dataset", "--n", "40", "--out", data.toString()).code());
        Run t = esae("train-base", "--arch", "mlp", "--data", data.toString(), "--epochs", "1", "--batch", "16", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().startsWith("trained mlp for 1 epochs on 40 images"), t.out());
        assertTrue(t.err().contains("train-base mlp epoch 1/1 loss "), "a progress line per epoch: " + t.err());
        // Training again into the same folder without --resume would destroy the run.
        byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));
        assertUserError(esae("train-base", "--arch", "mlp", "--data", data.toString(), "--epochs", "2", "--out", model.toString()),
                "already holds a training run");
        assertArrayEquals(weights, Files.readAllBytes(model.resolve("model.safetensors")));
        Run r = esae("train-base", "--arch", "mlp", "--data", data.toString(), "--epochs", "2", "--batch", "16", "--out", model.toString(), "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("resuming after epoch 1 of 2"), r.err());
        assertEquals(3, Files.readAllLines(model.resolve("loss.csv")).size());

        Path acts = dir.resolve("acts.npy");
        Run a = esae("activations", "--model", model.toString(), "--data", data.toString(), "--out", acts.toString());
        assertEquals(0, a.code(), a.err());
        assertEquals("float32[40, 4, 256]", Npy.read(acts).describe());
        // The dataset's orientations travel with the model, the activations and M.
        assertEquals("upright", dev.esae.io.Json.parseObject(Files.readString(model.resolve("config.json"))).get("orientations"));
        assertEquals("upright", dev.esae.base.ActivationsInfo.orientations(acts));
        Path m = dir.resolve("m");
        Run fit = esae("fit-m", "--solver", "lbfgs", "--iterations", "5", "--acts", acts.toString(), "--out", m.toString());
        assertEquals(0, fit.code(), fit.err());
        Map<String, Object> r2 = dev.esae.io.Json.parseObject(Files.readString(m.resolve("r2.json")));
        assertEquals("upright", r2.get("orientations"));
        assertEquals("lbfgs", r2.get("solver"));
        assertEquals(6, Files.readAllLines(m.resolve("loss.csv")).size(), "a header and a row per iteration");
        assertTrue(Files.readAllLines(m.resolve("loss.csv")).get(0).equals("iteration,loss"));
        assertTrue(fit.out().startsWith("fitted M by lbfgs"), fit.out());
    }

    @Test
    void theSameCommandWithTheSameSeedWritesTheSameBytes() throws IOException {
        Path data = dir.resolve("data");
        assertEquals(0, esae("dataset", "--n", "48", "--out", data.toString()).code());
        for (String run : new String[] {"a", "b"}) {
            Run r = esae("--seed", "11", "train-base", "--arch", "cnn", "--data", data.toString(), "--epochs", "2", "--batch", "16",
                    "--out", dir.resolve(run).toString());
            assertEquals(0, r.code(), r.err());
            Run acts = esae("activations", "--model", dir.resolve(run).toString(), "--data", data.toString(),
                    "--out", dir.resolve(run).resolve("acts.npy").toString());
            assertEquals(0, acts.code(), acts.err());
            assertEquals(0, esae("--seed", "11", "train-sae", "--kind", "invariant", "--k", "8", "--acts",
                    dir.resolve(run).resolve("acts.npy").toString(), "--epochs", "2", "--out", dir.resolve(run).resolve("sae").toString()).code());
        }
        for (String f : new String[] {"model.safetensors", "train-state.safetensors", "acts.npy", "sae/sae_weights.safetensors"}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
    }

    @Test
    void trainingCommandsRefuseBadInput() throws IOException {
        Path data = dir.resolve("data");
        assertEquals(0, esae("dataset", "--n", "8", "--out", data.toString()).code());
        String d = data.toString();
        String o = dir.resolve("m").toString();
        assertUserError(esae("train-base", "--arch", "rnn", "--data", d, "--out", o), "--arch: expected mlp or cnn, got 'rnn'");
        assertUserError(esae("train-base", "--arch", "cnn", "--data", d, "--epochs", "0", "--out", o), "--epochs: expected a positive whole number");
        assertUserError(esae("train-base", "--arch", "cnn", "--data", d, "--lr", "NaN", "--out", o), "--lr: expected a positive finite number");
        assertUserError(esae("train-base", "--arch", "cnn", "--data", dir.resolve("nowhere").toString(), "--out", o), "not a dataset folder");
        Files.write(data.resolve("labels.npy"), new byte[] {1, 2, 3});
        assertUserError(esae("train-base", "--arch", "cnn", "--data", d, "--out", o), "labels.npy: not a readable .npy array");
        assertUserError(esae("activations", "--model", dir.toString(), "--data", d, "--out", dir.resolve("a.npy").toString()),
                "not a base model folder");
        assertUserError(esae("bench", "--stage", "gpt"), "--stage: expected mlp, cnn, fitm, topk, wide, twolayer, invariant or sgemm");
    }

    @Test
    void aFullDiskIsOneLineNamingTheFileAndLeavesNoTemporary() throws Exception {
        // A real full file system where this machine lets the test mount one (root, a tmpfs); skipped elsewhere.
        Path mnt = dir.resolve("small-fs");
        Files.createDirectories(mnt);
        boolean mounted;
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString()).redirectErrorStream(true)
                    .start();
            mounted = mount.waitFor() == 0;
        } catch (IOException e) {
            mounted = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mounted, "cannot mount a small tmpfs here (not root, or no mount)");
        try {
            Path out = mnt.resolve("data");
            Run r = esae("dataset", "--n", "600", "--out", out.toString());
            assertUserError(r, out.resolve("images.npy") + ": cannot be written (No space left on device)");
            try (var files = Files.list(out)) {
                assertEquals(java.util.List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
                        "no temporary is left behind");
            }
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
    }

    @Test
    void aResumeOnAnotherDatasetOfTheSameSizeIsRefused() throws IOException {
        Path data = dir.resolve("data");
        Path model = dir.resolve("model");
        assertEquals(0, esae("dataset", "--n", "24", "--seed", "1", "--out", data.toString()).code());
        String[] base = {"train-base", "--arch", "mlp", "--data", data.toString(), "--epochs", "1", "--batch", "8", "--out", model.toString()};
        assertEquals(0, esae(base).code());
        assertEquals(0, esae("dataset", "--n", "24", "--seed", "2", "--out", data.toString(), "--overwrite").code());
        java.util.List<String> resume = new java.util.ArrayList<>(java.util.List.of(base));
        resume.set(6, "2");
        resume.add("--resume");
        assertUserError(esae(resume.toArray(String[]::new)), "--resume: " + data.resolve("images.npy") + " is not the input the checkpoint in " + model + " was trained on");
        assertEquals(0, esae("dataset", "--n", "24", "--seed", "1", "--out", data.toString(), "--overwrite").code());
        Run same = esae(resume.toArray(String[]::new));
        assertEquals(0, same.code(), "the same images again: the resume goes on; " + same.err());
    }

    @Test
    void anAdamFitOfMResumesFromItsCheckpointToTheSameBytes() throws IOException {
        Path acts = gaussianActs("acts.npy", 5, 40, 6);
        String f = acts.toString();
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        assertEquals(0, esae("fit-m", "--acts", f, "--epochs", "3", "--batch", "16", "--cycle-weight", "0.5", "--out", whole.toString()).code());
        assertEquals(0, esae("fit-m", "--acts", f, "--epochs", "1", "--batch", "16", "--cycle-weight", "0.5", "--out", parts.toString()).code());
        assertTrue(Files.isRegularFile(parts.resolve("train-state.safetensors")) && Files.isRegularFile(parts.resolve("train-state-cycle.safetensors")));
        assertUserError(esae("fit-m", "--acts", f, "--epochs", "3", "--batch", "16", "--cycle-weight", "0.5", "--out", parts.toString()),
                "already holds a fitted M");
        assertUserError(esae("fit-m", "--acts", f, "--epochs", "3", "--batch", "8", "--cycle-weight", "0.5", "--out", parts.toString(), "--resume"),
                "batch = 16");
        assertUserError(esae("fit-m", "--acts", f, "--solver", "lbfgs", "--out", parts.toString(), "--resume"), "only an Adam fit keeps a checkpoint");
        assertUserError(esae("fit-m", "--acts", f, "--out", parts.toString(), "--resume", "--overwrite"), "choose one");
        assertUserError(esae("fit-m", "--acts", f, "--out", dir.resolve("empty").toString(), "--resume"), "holds no checkpoint");
        Run resumed = esae("fit-m", "--acts", f, "--epochs", "3", "--batch", "16", "--cycle-weight", "0.5", "--out", parts.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        for (String file : new String[] {"M.safetensors", "r2.json", "loss.csv", "loss-cycle.csv", "train-state.safetensors"}) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(file)), Files.readAllBytes(parts.resolve(file)), file);
        }
        assertEquals(4, Files.readAllLines(parts.resolve("loss.csv")).size());
        // --overwrite starts again: the replaced fit's checkpoints go with it.
        assertEquals(0, esae("fit-m", "--acts", f, "--epochs", "1", "--batch", "16", "--out", parts.toString(), "--overwrite").code());
        assertTrue(!Files.exists(parts.resolve("train-state-cycle.safetensors")));
        assertEquals(2, Files.readAllLines(parts.resolve("loss.csv")).size());
    }

    @Test
    void fitMWritesItsReportAndRefusesBadActivations() throws IOException {
        Path acts = gaussianActs("acts.npy", 3, 50, 6);
        float[] a = Npy.read(acts).toFloats();
        Path out = dir.resolve("m");
        Run r = esae("fit-m", "--acts", acts.toString(), "--epochs", "2", "--out", out.toString(), "--cycle-weight", "0.5");
        assertEquals(0, r.code(), r.err());
        java.util.Map<String, Object> report = dev.esae.io.Json.parseObject(Files.readString(out.resolve("r2.json")));
        for (String k : new String[] {"fitted", "identity", "lstsq", "fitted_cycle", "cycle_error"}) {
            assertTrue(report.containsKey(k), "r2.json has " + k);
        }
        assertEquals(3, ((java.util.List<?>) ((java.util.Map<?, ?>) report.get("fitted")).get("per_p")).size());
        assertEquals(java.util.List.of("M", "M_cycle"),
                java.util.List.copyOf(dev.esae.io.SafeTensors.read(out.resolve("M.safetensors")).tensors().keySet()));
        assertTrue(Files.size(out.resolve("r2.png")) > 1000);

        String o = dir.resolve("bad").toString();
        Path flat = dir.resolve("flat.npy");
        Npy.write(flat, HostArray.ofFloats(java.util.Arrays.copyOf(a, 200 * 6), 200, 6));
        assertUserError(esae("fit-m", "--acts", flat.toString(), "--out", o), "needs --powers FILE");
        Path powers = dir.resolve("p.npy");
        long[] p = new long[200];
        for (int i = 0; i < 200; i++) {
            p[i] = (i * 7) % 4;
        }
        Npy.write(powers, HostArray.ofLongs(p, 200));
        assertUserError(esae("fit-m", "--acts", flat.toString(), "--powers", powers.toString(), "--out", o), "whole orbits in order");
        for (int i = 0; i < 200; i++) {
            p[i] = i % 4;
        }
        Npy.write(powers, HostArray.ofLongs(p, 200));
        assertEquals(0, esae("fit-m", "--acts", flat.toString(), "--powers", powers.toString(), "--epochs", "1", "--out", o).code());
        float[] withNaN = a.clone();
        withNaN[4 * 6 + 5] = Float.NaN;
        Npy.write(acts, HostArray.ofFloats(withNaN, 50, 4, 6));
        // Bad input is refused even where --overwrite would let a good run replace the folder.
        assertUserError(esae("fit-m", "--acts", acts.toString(), "--out", o), "already holds a fitted M (M.safetensors)");
        assertUserError(esae("fit-m", "--acts", acts.toString(), "--out", o, "--overwrite"), "holds NaN at [1, 0, 5]; activations must be finite");
        Npy.write(acts, HostArray.ofFloats(java.util.Arrays.copyOf(a, 50 * 6), 50, 1, 6));
        assertUserError(esae("fit-m", "--acts", acts.toString(), "--out", o, "--overwrite"), "n = 1 orientation(s)");
        assertUserError(esae("fit-m", "--acts", acts.toString(), "--out", o, "--overwrite", "--cycle-weight", "-1"), "--cycle-weight");
    }

    @Test
    void trainSaeWritesItsFolderResumesAndRefusesBadInput() throws Exception {
        int d = 8;
        Path acts = gaussianActs("acts.npy", 4, 60, d);
        Path out = dir.resolve("sae");
        Run r = esae("train-sae", "--kind", "topk", "--k", "4", "--acts", acts.toString(), "--epochs", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("trained topk SAE (64 latents, k = 4) for 1 epochs"), r.out());
        java.util.Map<String, Object> metrics = dev.esae.io.Json.parseObject(Files.readString(out.resolve("metrics.json")));
        for (String key : new String[] {"mse", "fvu", "l0", "l1", "dead_fraction"}) {
            assertTrue(metrics.get(key) instanceof Number, "metrics.json has " + key);
        }
        // Provenance: the backend that trained it, the seed, and the SHA-256 of the input, in cfg.json and metrics.json.
        java.util.Map<String, Object> cfg = dev.esae.io.Json.parseObject(Files.readString(out.resolve("cfg.json")));
        assertEquals("cpu", cfg.get("device"));
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(acts)));
        for (java.util.Map<String, Object> file : java.util.List.of(cfg, metrics)) {
            java.util.Map<?, ?> prov = (java.util.Map<?, ?>) file.get("provenance");
            assertTrue(String.valueOf(prov.get("backend")).startsWith("cpu (OpenBLAS"), String.valueOf(prov));
            assertEquals(0L, prov.get("seed"));
            assertEquals(java.util.Map.of(acts.toString(), sha), prov.get("inputs"));
            assertTrue(String.valueOf(prov.get("git_commit")).matches("[0-9a-f]{40}(-dirty)?|unknown"), String.valueOf(prov));
            for (String key : new String[] {"esae_version", "device", "threads", "java", "os"}) {
                assertTrue(prov.get(key) != null, "provenance has " + key);
            }
        }
        assertUserError(esae("train-sae", "--kind", "topk", "--k", "4", "--acts", acts.toString(), "--epochs", "2", "--out", out.toString()),
                "already holds a training run");
        Run resumed = esae("train-sae", "--kind", "topk", "--k", "4", "--acts", acts.toString(), "--epochs", "2", "--out", out.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(3, Files.readAllLines(out.resolve("loss.csv")).size());
        assertUserError(esae("train-sae", "--kind", "topk", "--k", "5", "--acts", acts.toString(), "--epochs", "3", "--out", out.toString(), "--resume"),
                "k = 4");
        // Other activations of the same shape at the same path: the resume is refused, naming the file.
        byte[] original = Files.readAllBytes(acts);
        gaussianActs("acts.npy", 99, 60, d);
        assertUserError(esae("train-sae", "--kind", "topk", "--k", "4", "--acts", acts.toString(), "--epochs", "3", "--out", out.toString(), "--resume"),
                "--resume: " + acts + " is not the input the checkpoint in " + out + " was trained on (its SHA-256 differs)");
        Files.write(acts, original);
        // A checkpoint with one flipped byte is refused before any work, naming the tensor.
        Path flipped = dir.resolve("sae-flipped");
        Files.createDirectories(flipped);
        for (String f : new String[] {"cfg.json", "sae_weights.safetensors", "train-state.safetensors", "loss.csv", "metrics.json"}) {
            Files.copy(out.resolve(f), flipped.resolve(f));
        }
        byte[] state = Files.readAllBytes(flipped.resolve("train-state.safetensors"));
        state[state.length - 100] ^= 0x01;
        Files.write(flipped.resolve("train-state.safetensors"), state);
        assertUserError(esae("train-sae", "--kind", "topk", "--k", "4", "--acts", acts.toString(), "--epochs", "3", "--out", flipped.toString(),
                "--resume"), "train-state.safetensors: tensor '");
        assertTrue(Files.readString(flipped.resolve("loss.csv")).equals(Files.readString(out.resolve("loss.csv"))), "nothing was rewritten");

        String o = dir.resolve("bad").toString();
        String f = acts.toString();
        assertUserError(esae("train-sae", "--kind", "sparse", "--k", "4", "--acts", f, "--out", o), "--kind: expected topk, wide");
        assertUserError(esae("train-sae", "--kind", "topk", "--k", "4", "--acts", f, "--out", o, "--checkpoint-every", "0"),
                "--checkpoint-every: expected");
        // Choices are case-insensitive.
        Run upper = esae("train-sae", "--kind", "TopK", "--k", "4", "--acts", f, "--epochs", "1", "--out", dir.resolve("upper").toString());
        assertEquals(0, upper.code(), upper.err());
        assertEquals("topk", dev.esae.io.Json.parseObject(Files.readString(dir.resolve("upper").resolve("cfg.json"))).get("esae_kind"));
        assertUserError(esae("train-sae", "--kind", "topk", "--k", "65", "--acts", f, "--out", o), "--k 65: expected 1 to 64 (the latents of a topk SAE on d = 8)");
        assertUserError(esae("train-sae", "--kind", "wide", "--k", "0", "--acts", f, "--out", o), "--k 0: expected 1 to 256");
        assertUserError(esae("train-sae", "--kind", "equivariant", "--k", "4", "--acts", f, "--out", o), "the equivariant kind needs M");
        assertUserError(esae("train-sae", "--kind", "topk", "--k", "4", "--auxk", "65", "--acts", f, "--out", o), "--auxk 65: expected 0 (off) to 64");
        Run aux = esae("train-sae", "--kind", "twolayer", "--k", "4", "--auxk", "8", "--acts", f, "--epochs", "2", "--out", dir.resolve("aux").toString());
        assertEquals(0, aux.code(), aux.err());
        assertEquals(8L, dev.esae.io.Json.parseObject(Files.readString(dir.resolve("aux").resolve("cfg.json"))).get("auxk"));
        assertUserError(esae("train-sae", "--kind", "topk", "--k", "4", "--acts", f, "--transform", o, "--out", o), "only the equivariant kind uses M");
        Path m = dir.resolve("m");
        gaussianActs("acts5.npy", 40, 30, 5);
        assertEquals(0, esae("fit-m", "--acts", dir.resolve("acts5.npy").toString(), "--epochs", "1", "--out", m.toString()).code());
        assertUserError(esae("train-sae", "--kind", "equivariant", "--k", "4", "--acts", f, "--transform", m.toString(), "--out", o),
                "M is 5x5 for n = 4, but");
        Run eq = esae("train-sae", "--kind", "equivariant", "--k", "3", "--acts", dir.resolve("acts5.npy").toString(), "--transform",
                m.toString(), "--epochs", "1", "--unknown-p", "--out", dir.resolve("eq").toString());
        assertEquals(0, eq.code(), eq.err());
        assertTrue(eq.out().contains("p recovered"), eq.out());
    }

    @Test
    void aDivergingSaeRunStopsWithOneClearLineAndKeepsItsLastGoodCheckpoint() throws IOException {
        java.util.Random rnd = new java.util.Random(2);
        float[] a = new float[64 * 4 * 16];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        Path acts = dir.resolve("acts.npy");
        Npy.write(acts, HostArray.ofFloats(a, 64, 4, 16));
        Path out = dir.resolve("sae");
        Run r = esae("train-sae", "--kind", "topk", "--k", "4", "--acts", acts.toString(), "--epochs", "3", "--lr", "1e30", "--out", out.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        String last = r.err().strip().lines().reduce((x, y) -> y).orElse("");
        // With this learning rate the first epoch still ends finite and the second does not.
        assertTrue(last.startsWith("esae: training the SAE diverged: the loss of epoch 2 is NaN"), r.err());
        assertTrue(last.endsWith("the last good checkpoint in " + out + " is kept"), last);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        java.util.Map<String, String> meta = dev.esae.io.SafeTensors.readMetadata(out.resolve("train-state.safetensors"));
        assertEquals("1", meta.get("epochs_done"), "the checkpoint of epoch 1 is kept");
        dev.esae.io.SafeTensors.Contents c = dev.esae.io.SafeTensors.read(out.resolve("train-state.safetensors"));
        for (var e : c.tensors().entrySet()) {
            for (float v : e.getValue().toFloats()) {
                assertTrue(Float.isFinite(v), "finite " + e.getKey());
            }
        }
    }

    @Test
    void probeAndFrontierRunOnTrainedSaesAndRefuseBadInput() throws IOException {
        Path data = dir.resolve("probe-data");
        Path model = dir.resolve("model");
        Path acts = dir.resolve("acts.npy");
        assertEquals(0, esae("dataset", "--n", "80", "--seed", "1", "--out", data.toString()).code());
        assertEquals(0, esae("train-base", "--arch", "mlp", "--data", data.toString(), "--epochs", "1", "--batch", "16", "--out",
                model.toString()).code());
        assertEquals(0, esae("activations", "--model", model.toString(), "--data", data.toString(), "--out", acts.toString()).code());
        Path m = dir.resolve("m");
        assertEquals(0, esae("fit-m", "--acts", acts.toString(), "--epochs", "1", "--out", m.toString()).code());
        Path topk = dir.resolve("topk");
        Path eq = dir.resolve("equivariant");
        assertEquals(0, esae("train-sae", "--kind", "topk", "--k", "4", "--acts", acts.toString(), "--epochs", "1", "--out",
                topk.toString()).code());
        assertEquals(0, esae("train-sae", "--kind", "equivariant", "--k", "4", "--acts", acts.toString(), "--transform", m.toString(),
                "--epochs", "1", "--out", eq.toString()).code());
        String labels = data.resolve("labels.npy").toString();

        Path out = dir.resolve("probe");
        Run r = esae("probe", "--sae", topk.toString(), "--sae", eq.toString(), "--acts", acts.toString(), "--labels", labels,
                "--lengths", "4", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("probe [########################] 540/540"), "a progress bar: " + r.err());
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(dev.esae.probe.ProbeFiles.HEADER, rows.get(0));
        // Base: 180 tasks x 3 probes; each SAE: 1 length x 2 inputs x 3 probes x 180 tasks.
        assertEquals(1 + 540 + 2 * 2 * 3 * 180, rows.size());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("equivariant,equivariant,4,4,reconstruction,xgboost,\"SPO(")), rows.get(600));
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| topk | topk | 4 | 4 | latents | best |"), summary);
        assertTrue(summary.contains("| base | base |  |  | base | logreg |"), summary);
        byte[] before = Files.readAllBytes(out.resolve("results.csv"));
        assertUserError(esae("probe", "--acts", acts.toString(), "--labels", labels, "--out", out.toString()), "already holds probing results (results.csv)");
        assertArrayEquals(before, Files.readAllBytes(out.resolve("results.csv")));
        String o = dir.resolve("bad").toString();
        assertUserError(esae("probe", "--acts", acts.toString(), "--labels", labels, "--probes", "svm", "--out", o),
                "--probes: expected knn, logreg or xgboost, got 'svm'");
        assertUserError(esae("probe", "--sae", topk.toString(), "--acts", acts.toString(), "--labels", labels, "--lengths", "3000",
                "--out", o), "--lengths 3000: expected 1 to 2048");
        Npy.write(dir.resolve("labels40.npy"), HostArray.ofInts(new int[40 * 8], 40, 4, 2));
        assertUserError(esae("probe", "--acts", acts.toString(), "--labels", dir.resolve("labels40.npy").toString(), "--out", o),
                "holds labels for 40 images, but the activations hold 80");
        Npy.write(dir.resolve("acts8.npy"), HostArray.ofFloats(new float[80 * 4 * 8], 80, 4, 8));
        assertUserError(esae("probe", "--sae", topk.toString(), "--acts", dir.resolve("acts8.npy").toString(), "--labels", labels,
                "--out", o), "reads d = 256, but");
        assertFalse(Files.exists(dir.resolve("bad").resolve("results.csv")));

        Path frontier = dir.resolve("frontier");
        Run f = esae("frontier", "--sae", topk.toString(), "--sae", eq.toString(), "--model", model.toString(), "--data",
                data.toString(), "--out", frontier.toString());
        assertEquals(0, f.code(), f.err());
        List<String> points = Files.readAllLines(frontier.resolve("frontier.csv"));
        assertEquals("sae,kind,k,l0,l1,spliced_mse,base_mse", points.get(0));
        assertEquals(3, points.size());
        String[] first = points.get(1).split(",");
        assertEquals("topk", first[1]);
        assertTrue(Double.parseDouble(first[3]) > 0 && Double.parseDouble(first[3]) <= 4, "l0 " + first[3]);
        assertTrue(Double.parseDouble(first[5]) > 0 && Double.parseDouble(first[6]) > 0);
        assertEquals(first[6], points.get(2).split(",")[6], "the same base model on the same images");
        assertTrue(Files.size(frontier.resolve("frontier.png")) > 1000);
        assertUserError(esae("frontier", "--sae", topk.toString(), "--model", model.toString(), "--data", data.toString(), "--out",
                frontier.toString()), "already holds a frontier (frontier.csv)");
    }

    @Test
    void benchPrintsOneJsonLine() {
        Run r = esae("bench", "--stage", "mlp", "--n", "64", "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        java.util.Map<String, Object> m = dev.esae.io.Json.parseObject(r.out().strip());
        assertEquals("mlp", m.get("stage"));
        assertTrue(((Number) m.get("images_per_s")).doubleValue() > 0);
    }

    @Test
    void benchReportsTheGemmBoundOfTheDenseProducts() {
        Run r = esae("bench", "--stage", "topk", "--n", "128", "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        java.util.Map<String, Object> m = dev.esae.io.Json.parseObject(r.out().strip());
        double dense = ((Number) m.get("dense_gflop_per_image")).doubleValue();
        // topk: only the encoder's 256 -> 2048 product is dense, 2 * 256 * 2048 FLOPs per row, 4 rows per image.
        assertEquals(2.0 * 256 * 2048 * 4 / 1e9, dense, 1e-4);
        assertTrue(dense < ((Number) m.get("gflop_per_image")).doubleValue(), "the sparse work adds to the dense");
        double sgemm = ((Number) m.get("sgemm_gflops")).doubleValue();
        double bound = ((Number) m.get("gemm_bound_epoch_s")).doubleValue();
        assertTrue(sgemm > 0, r.out());
        assertEquals(dense * 128 / sgemm, bound, 1e-4 + 0.01 * bound, r.out());
        double epoch = ((Number) m.get("epoch_s")).doubleValue();
        assertEquals(epoch / bound, ((Number) m.get("over_bound")).doubleValue(), 0.01 + 0.01 * epoch / bound, r.out());
    }

    @Test
    void doctorExplainsTheChoice() {
        Run r = esae("doctor");
        assertEquals(0, r.code(), r.err());
        for (String key : new String[] {"java:", "os:", "cpu:", "threads:", "openblas:", "opencv:", "xgboost4j:", "backends", "chosen: cpu"}) {
            assertTrue(r.out().contains(key), "doctor prints " + key + ":\n" + r.out());
        }
        assertTrue(r.out().contains("  cuda  skipped: "), r.out());
        assertTrue(r.out().contains("why not cuda: "), r.out());
        assertTrue(r.out().contains("runtime core "), r.out());
        assertTrue(r.out().chars().allMatch(c -> c == '\n' || (c >= ' ' && c != 127)), "printable text only:\n" + r.out());
    }

    @Test
    void doctorWithDeviceCudaFailsWithTheReason() {
        Run r = esae("--device", "cuda", "doctor");
        assertUserError(r, "--device cuda: the cuda backend cannot run here: ");
        assertTrue(r.out().contains("chosen: none"), r.out());
    }

    @Test
    void selftestPassesOnTheCpu() {
        Run r = esae("--device", "cpu", "selftest");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(" 0 failed (backend cpu"), r.out());
        assertTrue(r.err().startsWith("esae: backend: cpu"), r.err());
    }
}
