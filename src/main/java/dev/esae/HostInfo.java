package dev.esae;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the machine is, from {@code /proc/cpuinfo}: the CPU model and the SIMD extensions that decide float speed. */
public final class HostInfo {
    private HostInfo() {}

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The CPU's model name, or the JVM's {@code os.arch} where /proc/cpuinfo does not say. */
    public static String cpuModel() {
        for (String line : cpuinfo()) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return System.getProperty("os.arch");
    }

    /** The SIMD extensions among avx, avx2, fma, avx512f, avx512_bf16, amx_tile, space-separated ("" if none or unknown). */
    public static String cpuFlags() {
        for (String line : cpuinfo()) {
            if (line.startsWith("flags")) {
                List<String> flags = List.of(line.substring(line.indexOf(':') + 1).strip().split("\\s+"));
                StringBuilder sb = new StringBuilder();
                for (String f : new String[] {"avx", "avx2", "fma", "avx512f", "avx512_bf16", "amx_tile"}) {
                    if (flags.contains(f)) {
                        sb.append(sb.length() == 0 ? "" : " ").append(f);
                    }
                }
                return sb.toString();
            }
        }
        return "";
    }
}
