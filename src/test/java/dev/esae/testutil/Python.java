package dev.esae.testutil;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs short python3 + numpy scripts as an independent reference; tests skip without them. */
public final class Python {
    private static Boolean available;

    private Python() {}

    /** Skips the calling test (with a message) unless python3 with numpy runs here. */
    public static void assumeNumpy() {
        if (available == null) {
            try {
                available = run("import numpy").exitCode == 0;
            } catch (IOException e) {
                available = false;
            }
        }
        assumeTrue(available, "python3 with numpy is not available: skipping the cross-check against numpy");
    }

    private static Boolean torch;

    /** The interpreter that has Debian's python3-torch (the PyTorch peer's setup). */
    public static final String TORCH_PYTHON = "/usr/bin/python3";

    /** Skips the calling test unless Debian's python3 with torch and numpy runs here. */
    public static void assumeTorch() {
        if (torch == null) {
            try {
                torch = runWith(TORCH_PYTHON, "import torch, numpy").exitCode == 0;
            } catch (IOException e) {
                torch = false;
            }
        }
        assumeTrue(torch, TORCH_PYTHON + " with torch is not available (apt-get install python3-torch): skipping the PyTorch cross-check");
    }

    /** The result of one script. */
    public record Result(int exitCode, String output) {}

    /** Runs {@code python3 -c script} and returns its exit code and combined output. */
    public static Result run(String script) throws IOException {
        return runWith("python3", script);
    }

    /** Runs {@code interpreter -c script}. */
    public static Result runWith(String interpreter, String script) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(interpreter, "-c", script).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("python3 did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(p.exitValue(), out);
    }

    /** Runs a script that must succeed, returning its output. */
    public static String check(String script) throws IOException {
        return checkWith("python3", script);
    }

    /** Runs a script with {@code interpreter} that must succeed, returning its output. */
    public static String checkWith(String interpreter, String script) throws IOException {
        Result r = runWith(interpreter, script);
        if (r.exitCode != 0) {
            throw new AssertionError("python3 failed:\n" + r.output + "\nscript:\n" + script);
        }
        return r.output;
    }
}
