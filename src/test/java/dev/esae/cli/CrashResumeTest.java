package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import dev.esae.io.SafeTensors;
import dev.esae.train.Checkpoint;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a training command in a child JVM is killed with SIGKILL in the middle of an epoch,
 * resumed with {@code --resume}, and must end with exactly the bytes of an uninterrupted run with
 * the same seed and threads (CPU). Only {@code timing.csv}, wall times by nature, may differ.
 */
class CrashResumeTest {
    @TempDir
    Path dir;

    @Test
    void trainBaseKilledMidEpochResumesToTheSameBytes() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, CliTest.esae("dataset", "--n", "300", "--out", data.toString()).code());
        List<String> args = List.of("--seed", "4", "train-base", "--arch", "cnn", "--data", data.toString(), "--epochs", "6", "--batch", "32");
        killResumeCompare(args, 6);
    }

    @Test
    void trainSaeKilledMidEpochResumesToTheSameBytes() throws Exception {
        Path acts = randomActs(9, 4000, 64);
        List<String> args = List.of("--seed", "4", "train-sae", "--kind", "twolayer", "--k", "8", "--acts", acts.toString(), "--epochs", "6",
                "--batch", "16");
        killResumeCompare(args, 6);
    }

    /**
     * SIGTERM in the middle of an epoch: the epoch is abandoned, the last checkpoint kept, one line
     * says so and how to continue, exit 143; the resume ends with the uninterrupted run's bytes.
     */
    @Test
    void trainSaeStoppedBySigtermResumesToTheSameBytes() throws Exception {
        Path acts = randomActs(5, 3000, 64);
        List<String> args = List.of("--seed", "6", "train-sae", "--kind", "invariant", "--k", "8", "--acts", acts.toString(), "--epochs",
                "6", "--batch", "16");
        Path ref = dir.resolve("ref");
        Path stopped = dir.resolve("stopped");
        CliTest.Run whole = CliTest.esae(with(args, "--out", ref.toString()));
        assertEquals(0, whole.code(), whole.err());

        Path log = dir.resolve("child.log");
        Process child = childEsae(with(args, "--out", stopped.toString()), log);
        long t1 = waitForEpochs(child, stopped, 1);
        long t2 = waitForEpochs(child, stopped, 2);
        Thread.sleep(Math.max(1, (t2 - t1) / 2_000_000));
        assertTrue(child.isAlive(), "the child was still training when stopped");
        child.destroy(); // SIGTERM on Linux
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String said = Files.readString(log);
        assertEquals(143, child.exitValue(), said);
        int done = epochsDone(stopped);
        assertTrue(done >= 2 && done < 6, done + " epochs done");
        assertTrue(said.contains("esae: stopped by SIGTERM in epoch " + (done + 1) + " of 6 (training the SAE), which is abandoned; "
                + "the checkpoint after epoch " + done + " is kept in " + stopped.resolve(Checkpoint.FILE)
                + "; run the same command with --resume to continue"), said);
        assertFalse(said.contains("Exception"), said);
        try (Stream<Path> left = Files.list(stopped)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(), "no temporary is left");
        }

        CliTest.Run resumed = CliTest.esae(with(args, "--out", stopped.toString(), "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming after epoch " + done + " of 6"), resumed.err());
        assertSameFiles(ref, stopped);
    }

    /**
     * Ctrl-C (SIGINT) outside a training loop (here a full-batch L-BFGS fit of M, which keeps no
     * checkpoint): the process exits at once with 130 and one line, leaves no half-written file or
     * temporary, and the same command then runs in the same folder as the line says.
     */
    @Test
    void ctrlCOutsideTrainingExitsAtOnceLeavingNoHalfFile() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(childIgnoresSigint(),
                "this JVM ignores SIGINT (started in the background) and there is no perl to reset it for the child");
        Path acts = randomActs(2, 4000, 384);
        Path out = dir.resolve("m");
        Path log = dir.resolve("child.log");
        String[] fit = {"fit-m", "--solver", "lbfgs", "--iterations", "5000", "--acts", acts.toString(), "--out", out.toString()};
        Process child = childEsae(fit, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(log).contains("backend") && System.nanoTime() < deadline) {
            assertTrue(child.isAlive(), Files.readString(log));
            Thread.sleep(20);
        }
        Thread.sleep(1000);
        assertTrue(child.isAlive(), "still fitting");
        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start().waitFor();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String said = Files.readString(log);
        assertEquals(130, child.exitValue(), said);
        assertTrue(said.contains("esae: stopped by SIGINT; every file written so far is complete (none is left half-written); "
                + "run the same command again to continue"), said);
        assertFalse(said.contains("Exception"), said);
        assertFalse(Files.exists(out.resolve("r2.json")), "the fit did not finish");
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(), "no temporary is left");
        }
        fit[4] = "3";
        CliTest.Run again = CliTest.esae(fit);
        assertEquals(0, again.code(), again.err());
    }

    /**
     * A JVM out of memory during a command (a dataset far larger than the child's 1 GiB heap): one
     * line suggesting JAVA_OPTS=-Xmx, exit 2, no stack trace, and no half-written file.
     */
    @Test
    void outOfMemoryIsOneLineAndExit2() throws Exception {
        Path data = dir.resolve("huge");
        Path log = dir.resolve("child.log");
        Process child = childEsae(new String[] {"dataset", "--n", "400000", "--out", data.toString()}, log);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        String said = Files.readString(log);
        assertEquals(2, child.exitValue(), said);
        assertTrue(said.contains("esae: out of memory (the JVM may use ") && said.contains("JAVA_OPTS=-Xmx8g"), said);
        assertFalse(said.contains("Exception") || said.contains("\tat "), said);
        assertFalse(Files.exists(data.resolve("images.npy")), "nothing half-written");
    }

    /**
     * Two runs into one folder: while a training child JVM holds the folder, a second writer gets
     * one line naming the holder's process id and changes nothing; once the holder is killed (the
     * OS drops its lock) the same command resumes.
     */
    @Test
    void aSecondWriterIsRefusedWhileTheFirstTrainsInTheFolder() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, CliTest.esae("dataset", "--n", "200", "--out", data.toString()).code());
        Path out = dir.resolve("busy");
        List<String> args = List.of("train-base", "--arch", "cnn", "--data", data.toString(), "--epochs", "60", "--batch", "8");
        Process child = childEsae(with(args, "--out", out.toString()), dir.resolve("child.log"));
        try {
            waitForEpochs(child, out, 1);
            byte[] state = Files.readAllBytes(out.resolve(dev.esae.train.Checkpoint.FILE));
            CliTest.Run second = CliTest.esae(with(args, "--out", out.toString(), "--resume"));
            assertEquals(2, second.code(), second.err());
            assertTrue(second.err().contains("--out " + out + ": another esae process (pid " + child.pid() + ") is writing to this folder"),
                    second.err());
            assertTrue(child.isAlive(), "the first run goes on");
            CliTest.Run fresh = CliTest.esae(with(args, "--out", out.toString()));
            assertEquals(2, fresh.code(), "without --resume it is refused too: " + fresh.err());
            assertTrue(Files.readAllBytes(out.resolve(dev.esae.train.Checkpoint.FILE)).length >= state.length / 2, "the run's files are its own");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        CliTest.Run after = CliTest.esae("train-base", "--arch", "cnn", "--data", data.toString(), "--epochs", "2", "--batch", "8", "--out",
                out.toString(), "--resume");
        assertEquals(0, after.code(), after.err());
    }

    /**
     * A kill between the checkpoint and the files derived from it (weights, loss.csv) leaves a
     * checkpoint with every epoch done: the resume has no epoch left to run and must still write
     * those files, the same bytes as before.
     */
    @Test
    void aResumeWithNoEpochLeftRewritesWhatTheCheckpointOutran() throws IOException {
        Path data = dir.resolve("data");
        assertEquals(0, CliTest.esae("dataset", "--n", "40", "--out", data.toString()).code());
        Path model = dir.resolve("model");
        String[] base = {"train-base", "--arch", "mlp", "--data", data.toString(), "--epochs", "1", "--batch", "16", "--out", model.toString()};
        assertEquals(0, CliTest.esae(base).code());
        Path acts = dir.resolve("acts.npy");
        assertEquals(0, CliTest.esae("activations", "--model", model.toString(), "--data", data.toString(), "--out", acts.toString()).code());
        Path sae = dir.resolve("sae");
        String[] train = {"train-sae", "--kind", "topk", "--k", "4", "--acts", acts.toString(), "--epochs", "1", "--out", sae.toString()};
        assertEquals(0, CliTest.esae(train).code());
        for (Path[] run : new Path[][] {{model, model.resolve("model.safetensors")}, {sae, sae.resolve("sae_weights.safetensors")}}) {
            byte[] weights = Files.readAllBytes(run[1]);
            byte[] loss = Files.readAllBytes(run[0].resolve("loss.csv"));
            Files.delete(run[1]);
            Files.delete(run[0].resolve("loss.csv"));
            CliTest.Run r = CliTest.esae(with(List.of(run[0] == model ? base : train), "--resume"));
            assertEquals(0, r.code(), r.err());
            assertArrayEquals(weights, Files.readAllBytes(run[1]), run[1].toString());
            assertArrayEquals(loss, Files.readAllBytes(run[0].resolve("loss.csv")));
        }
    }

    /**
     * Runs {@code args} uninterrupted into {@code ref}; runs it in a child JVM into {@code crashed},
     * kills that half way through the epoch after the second checkpoint, resumes it, and compares.
     */
    private void killResumeCompare(List<String> args, int epochs) throws Exception {
        Path ref = dir.resolve("ref");
        Path crashed = dir.resolve("crashed");
        CliTest.Run whole = CliTest.esae(with(args, "--out", ref.toString()));
        assertEquals(0, whole.code(), whole.err());

        Process child = childEsae(with(args, "--out", crashed.toString()), dir.resolve("child.log"));
        long t1 = waitForEpochs(child, crashed, 1);
        long t2 = waitForEpochs(child, crashed, 2);
        Thread.sleep(Math.max(1, (t2 - t1) / 2_000_000));
        assertTrue(child.isAlive(), "the child was still training when killed");
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        int done = epochsDone(crashed);
        assertTrue(done >= 2 && done < epochs, "killed between the second and the last epoch (" + done + " done)");

        CliTest.Run resumed = CliTest.esae(with(args, "--out", crashed.toString(), "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming after epoch " + done + " of " + epochs), resumed.err());
        assertSameFiles(ref, crashed);
    }

    /** Non-negative Gaussian activations [count, 4, d] from {@code seed}, written to acts.npy in the test folder. */
    private Path randomActs(long seed, int count, int d) throws IOException {
        Random r = new Random(seed);
        float[] a = new float[count * 4 * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) Math.max(0, r.nextGaussian());
        }
        Path acts = dir.resolve("acts.npy");
        Npy.write(acts, HostArray.ofFloats(a, count, 4, d));
        return acts;
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** {@code esae} in a child JVM with the test's classpath, single-threaded like the in-process runs. */
    static Process childEsae(String[] args, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        // A JVM that starts with SIGINT ignored keeps ignoring it (it installs no handler), and a
        // child inherits the ignoring from this JVM when Maven was started as a background job of a
        // non-interactive shell. Perl (in every Debian) puts SIGINT back to its default before exec.
        if (Files.isExecutable(Path.of(PERL))) {
            cmd.addAll(List.of(PERL, "-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec $ARGV[0]: $!\\n\";"));
        }
        cmd.addAll(List.of(java, "-Xmx1g"));
        // The child runs the loops this JVM runs (SIMD or scalar), so its numbers match the in-process runs it is compared with.
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-cp", cp, Main.class.getName(), "--threads=" + Integer.getInteger("esae.test.threads", 1)));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static final String PERL = "/usr/bin/perl";

    /** Whether a child of this JVM would start with SIGINT ignored (no perl to reset it, and this JVM ignores it). */
    private static boolean childIgnoresSigint() throws IOException {
        if (Files.isExecutable(Path.of(PERL))) {
            return false;
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0; // bit 1: signal 2, SIGINT
            }
        }
        return false;
    }

    /** Waits until the checkpoint in {@code out} has {@code epochs} done; returns when (System.nanoTime). */
    private static long waitForEpochs(Process child, Path out, int epochs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (epochsDone(out) >= epochs) {
                return System.nanoTime();
            }
            assertTrue(child.isAlive(), "the child ended before epoch " + epochs);
            Thread.sleep(5);
        }
        throw new AssertionError("no checkpoint of epoch " + epochs + " in " + out);
    }

    private static int epochsDone(Path out) {
        if (!Checkpoint.exists(out)) {
            return 0;
        }
        return Integer.parseInt(SafeTensors.readMetadata(out.resolve(Checkpoint.FILE)).get("epochs_done"));
    }

    /**
     * Every file under {@code a} has the same bytes under {@code b} and vice versa, but timing.csv
     * (wall times) and the files named in {@code except}.
     */
    static void assertSameFiles(Path a, Path b, String... except) throws IOException {
        Map<String, Path> fa = files(a);
        Map<String, Path> fb = files(b);
        for (String e : except) {
            fa.remove(e);
            fb.remove(e);
        }
        assertEquals(fa.keySet(), fb.keySet(), "the same files");
        for (String name : fa.keySet()) {
            assertArrayEquals(Files.readAllBytes(fa.get(name)), Files.readAllBytes(fb.get(name)), name);
        }
    }

    private static Map<String, Path> files(Path root) throws IOException {
        Map<String, Path> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(f).toString().replace(File.separatorChar, '/');
                // Wall times differ by nature; the folder's lock file holds its last writer's pid.
                if (!name.endsWith("timing.csv") && !name.endsWith(dev.esae.io.FolderLock.FILE)) {
                    m.put(name, f);
                }
            }
        }
        return m;
    }
}
