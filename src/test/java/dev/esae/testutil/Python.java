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

    /** The result of one script. */
    public record Result(int exitCode, String output) {}

    /** Runs {@code python3 -c script} and returns its exit code and combined output. */
    public static Result run(String script) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true);
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
        Result r = run(script);
        if (r.exitCode != 0) {
            throw new AssertionError("python3 failed:\n" + r.output + "\nscript:\n" + script);
        }
        return r.output;
    }
}
