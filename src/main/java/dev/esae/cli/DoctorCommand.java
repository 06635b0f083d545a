package dev.esae.cli;

import dev.esae.BuildInfo;
import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.compute.Availability;
import dev.esae.compute.Backends;
import dev.esae.compute.DeviceChoice;
import dev.esae.compute.cpu.OpenBlasCore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/**
 * {@code esae doctor}: the environment, each native library, every backend tried and exactly why
 * it was skipped, and the backend that {@code --device} selects.
 */
@Command(name = "doctor",
        description = {"Explain the environment and which backend runs, and why.",
            "Prints Java, OS, CPU, threads and native libraries, every backend tried and why each was skipped,",
            "and the backend chosen."})
final class DoctorCommand extends Subcommand {
    @Override
    public Integer call() {
        PrintWriter out = out();
        out.println("esae " + BuildInfo.version());
        row(out, "java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ") at " + System.getProperty("java.home"));
        row(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        row(out, "cpu", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " logical cores" + cpuFlags());
        row(out, "memory", "JVM heap up to " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        int threads = root.threads();
        row(out, "threads", threads + (root.threads == null ? " (all logical cores; set with --threads)" : " (--threads)"));
        String forced = System.getenv("OPENBLAS_CORETYPE");
        row(out, "openblas", BuildInfo.get("openblas") + " (JavaCPP); runtime core " + OpenBlasCore.detect()
                + (forced == null || forced.isBlank() ? "" : " (forced by OPENBLAS_CORETYPE=" + forced + ")")
                + ", build target " + OpenBlasCore.buildTarget());
        row(out, "simd", dev.esae.compute.cpu.VectorSupport.describe());
        row(out, "opencv", opencv());
        row(out, "xgboost4j", xgboost());
        out.println("backends (tried from the highest priority):");
        List<Backends.Probe> probes = Backends.probeAll();
        for (Backends.Probe p : probes) {
            Availability a = p.availability();
            out.printf(Locale.ROOT, "  %-5s %s%n", p.provider().name(), !a.available() ? "skipped: " + a.reason()
                    : a.autoSkip().isEmpty() ? "available" : "available when named; --device auto skips it: " + a.autoSkip());
            for (String d : p.availability().details()) {
                out.println("        " + d);
            }
        }
        out.flush();
        try {
            Backends.Selection s = Backends.select(root.device, threads);
            try (Backend b = s.backend()) {
                out.println("chosen: " + b.description() + " (--device " + root.device.name().toLowerCase(Locale.ROOT) + ")");
            }
        } catch (InputException e) {
            out.println("chosen: none (--device " + root.device.name().toLowerCase(Locale.ROOT) + ")");
            throw e;
        }
        if (root.device == DeviceChoice.AUTO) {
            for (Backends.Probe p : probes) {
                Availability a = p.availability().forAuto();
                if (a.available()) {
                    break;
                }
                out.println("why not " + p.provider().name() + ": " + a.reason());
            }
        }
        return ExitCodes.OK;
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf(Locale.ROOT, "%-10s %s%n", key + ":", value);
    }

    private static String cpuModel() {
        return dev.esae.HostInfo.cpuModel();
    }

    /** The SIMD extensions that decide OpenBLAS's kernels and float speed, as ", avx avx2 ..." or "". */
    private static String cpuFlags() {
        String f = dev.esae.HostInfo.cpuFlags();
        return f.isEmpty() ? "" : ", " + f;
    }

    private static String opencv() {
        try {
            String v = org.bytedeco.opencv.global.opencv_core.getVersionString().getString();
            // The returned cv::String can carry its terminating NUL.
            int nul = v.indexOf('\0');
            return (nul < 0 ? v : v.substring(0, nul)).strip() + " (JavaCPP), loaded";
        } catch (LinkageError | RuntimeException e) {
            return "cannot load (" + e + "); 'esae dataset' needs it";
        }
    }

    private static String xgboost() {
        // XGBoost's loader logs a stack trace of its own when the native library is missing; the
        // line below says the same thing once.
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("ml.dmlc.xgboost4j");
        java.util.logging.Level before = log.getLevel();
        log.setLevel(java.util.logging.Level.OFF);
        try {
            // Building a one-row matrix loads the native library.
            ml.dmlc.xgboost4j.java.DMatrix m = new ml.dmlc.xgboost4j.java.DMatrix(new float[] {1f, 2f}, 1, 2, Float.NaN);
            m.dispose();
            return BuildInfo.get("xgboost") + ", native library loaded (CPU build: no GPU build of XGBoost4J is on Maven Central)";
        } catch (LinkageError | RuntimeException | ml.dmlc.xgboost4j.java.XGBoostError e) {
            return "cannot load (" + e + "); probing needs it (it needs libgomp.so.1)";
        } finally {
            log.setLevel(before);
        }
    }
}
