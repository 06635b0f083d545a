package dev.esae.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This process's peak resident memory, from Linux's {@code /proc/self/status} (VmHWM), and a way to
 * start counting it afresh ({@code /proc/self/clear_refs}), so that each step of a study in one JVM
 * gets its own peak. Where either file is missing (not Linux, or a kernel without it) nothing is
 * measured and nothing fails.
 */
final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakMemory() {}

    /**
     * Resets the peak to the current resident size ("5" in clear_refs); false where it cannot. The
     * peak measured afterwards still counts what the process already holds (the JVM's heap as
     * earlier steps left it, the loaded native libraries).
     */
    static boolean reset() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The peak resident size since the start or the last {@link #reset()}, in bytes; empty where unknown. */
    static OptionalLong peakBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    String[] f = line.substring(6).strip().split("\\s+");
                    return OptionalLong.of(Long.parseLong(f[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: not measured
        }
        return OptionalLong.empty();
    }
}
