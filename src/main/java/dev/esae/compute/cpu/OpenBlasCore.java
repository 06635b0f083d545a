package dev.esae.compute.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the CPU core whose kernels OpenBLAS picked at load time. JavaCPP's preset does not expose
 * {@code openblas_get_corename()}, but OpenBLAS prints the core when it loads with
 * {@code OPENBLAS_VERBOSE=2}; a child JVM loads it that way and the line is read back.
 */
public final class OpenBlasCore {
    private static final Pattern CORE = Pattern.compile("Core:\\s*(\\S+)");

    private OpenBlasCore() {}

    /** Entry point of the child JVM: load OpenBLAS and exit. */
    public static void main(String[] args) {
        OpenBlas.load();
    }

    /** The runtime core name, or a sentence saying why it could not be found. */
    public static String detect() {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                OpenBlasCore.class.getName()));
        pb.environment().put("OPENBLAS_VERBOSE", "2");
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown (the probe did not finish)";
            }
            Matcher m = CORE.matcher(new String(output, StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : "unknown (OpenBLAS printed no core name)";
        } catch (IOException e) {
            return "unknown (could not start the probe: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    /** The core OpenBLAS was compiled for (DYNAMIC_ARCH builds choose per CPU at load). */
    public static String buildTarget() {
        return OpenBlas.buildCore();
    }
}
