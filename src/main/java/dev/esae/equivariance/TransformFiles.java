package dev.esae.equivariance;

import dev.esae.BuildInfo;
import dev.esae.InputException;
import dev.esae.io.ElementType;
import dev.esae.io.HostArray;
import dev.esae.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transform folder: {@code M.safetensors} holds {@code M} ({@code [d, d]}, acting as
 * {@code y = M x}) and, when the cycle option was used, {@code M_cycle}; its metadata records n.
 */
public final class TransformFiles {
    public static final String WEIGHTS = "M.safetensors";
    public static final String REPORT = "r2.json";
    public static final String CHART = "r2.png";

    /** A loaded transform. */
    public record Transform(float[] m, int order, int dim) {}

    private TransformFiles() {}

    public static void write(Path dir, float[] m, float[] mCycle, int order, int dim) throws IOException {
        Map<String, HostArray> t = new LinkedHashMap<>();
        t.put("M", HostArray.ofFloats(m, dim, dim));
        if (mCycle != null) {
            t.put("M_cycle", HostArray.ofFloats(mCycle, dim, dim));
        }
        SafeTensors.write(dir.resolve(WEIGHTS), t, Map.of("group_order", Integer.toString(order), "esae_version", BuildInfo.version()));
    }

    /** Reads {@code M} (or {@code M_cycle} when {@code cycle}) of a transform folder. */
    public static Transform read(Path dir, boolean cycle) {
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) {
            throw new InputException(dir + ": not a transform folder (no " + WEIGHTS + "; make one with 'esae fit-m')");
        }
        SafeTensors.Contents c = SafeTensors.read(file);
        String name = cycle ? "M_cycle" : "M";
        HostArray a = c.tensors().get(name);
        if (a == null || a.rank() != 2 || a.dim(0) != a.dim(1) || a.dtype() != ElementType.FLOAT32) {
            throw new InputException(file + ": expected a float32 square matrix '" + name + "'"
                    + (cycle ? " (fit with --cycle-weight to get one)" : "") + ", found " + (a == null ? "none" : a.describe()));
        }
        int order;
        try {
            order = Integer.parseInt(c.metadata().getOrDefault("group_order", ""));
        } catch (NumberFormatException e) {
            throw new InputException(file + ": its metadata has no group_order");
        }
        return new Transform(a.toFloats(), order, a.dim(0));
    }
}
