package dev.esae.sae;

import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import dev.esae.io.AtomicFiles;
import dev.esae.io.ElementType;
import dev.esae.io.HostArray;
import dev.esae.io.Json;
import dev.esae.io.SafeTensors;
import dev.esae.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An SAE folder in the layout SAELens loads: {@code cfg.json} and {@code sae_weights.safetensors}
 * with {@code W_enc [d_in, d_sae]}, {@code b_enc [d_sae]}, {@code W_dec [d_sae, d_in]} and
 * {@code b_dec [d_in]}. The two-layer kinds add {@code encoder.0.weight [512, d_in]} and
 * {@code encoder.0.bias} (then {@code W_enc} is {@code [512, d_sae]}); the equivariant kind adds
 * {@code M [d_in, d_in]}. {@code cfg.json} names the kind under {@code esae_kind}.
 */
public final class SaeFiles {
    public static final String CONFIG = "cfg.json";
    public static final String WEIGHTS = "sae_weights.safetensors";
    public static final String METRICS = "metrics.json";

    /**
     * The files of an SAE folder that work on the SAE depends on, for provenance: its config and
     * weights (not its loss and timing CSVs, which a retraining to the same weights rewrites with other wall times).
     */
    public static java.util.List<Path> inputFiles(Path dir) {
        return java.util.List.of(dir.resolve(CONFIG), dir.resolve(WEIGHTS));
    }

    private SaeFiles() {}

    /** The weights in the saved layout ({@code W_enc} transposed to {@code [in, d_sae]}). */
    public static Map<String, HostArray> weights(Backend backend, Map<String, Parameter> params, int dim, float[] transform) {
        Map<String, HostArray> t = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            float[] v = backend.download(p.value());
            int[] shape = p.shape();
            if (e.getKey().equals("W_enc")) {
                v = transpose(v, shape[0], shape[1]);
                shape = new int[] {shape[1], shape[0]};
            }
            t.put(e.getKey(), HostArray.ofFloats(v, shape));
        }
        if (transform != null) {
            t.put("M", HostArray.ofFloats(transform, dim, dim));
        }
        return t;
    }

    static float[] transpose(float[] v, int rows, int cols) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = v[r * cols + c];
            }
        }
        return out;
    }

    /** Writes the weights of {@code params} (an SAE on d = {@code dim}, with M for the equivariant kind), then cfg.json. */
    public static void save(Path dir, Backend backend, Map<String, Parameter> params, int dim, float[] transform, SaeConfig config)
            throws IOException {
        SafeTensors.write(dir.resolve(WEIGHTS), weights(backend, params, dim, transform), Map.of("format", "pt"));
        AtomicFiles.writeString(dir.resolve(CONFIG), Json.pretty(config));
    }

    /** A saved SAE: its config, and the SAE itself (with M for the equivariant kind). */
    public record Loaded(SaeConfig config, SaeKind kind, TopKSae sae, float[] transform) implements AutoCloseable {
        @Override
        public void close() {
            sae.close();
        }
    }

    /** What {@code cfg.json} says of a saved SAE: its kind, d, latents, K and the group order it was trained for. */
    public record Header(SaeConfig config, SaeKind kind, int dim, int latents, int k, int order) {}

    /** {@link #readHeader} and a full read of the weights file, for checking an input before any work. */
    public static Header check(Path dir) {
        Header h = readHeader(dir);
        SafeTensors.verify(dir.resolve(WEIGHTS));
        return h;
    }

    /** Reads and checks an SAE folder's {@code cfg.json} without loading its weights. */
    public static Header readHeader(Path dir) {
        Path cfgFile = dir.resolve(CONFIG);
        SaeConfig cfg = Json.readFromFolder(dir, CONFIG, SaeConfig.class, "an SAE folder", "esae train-sae", "an SAE config");
        SaeKind kind = cfg.esaeKind() == null ? null : SaeKind.fromId(cfg.esaeKind());
        Integer d = cfg.dIn();
        Integer l = cfg.dSae();
        Integer k = cfg.k();
        if (kind == null || d == null || l == null || k == null || d < 1 || l < 1 || k < 1 || k > l) {
            throw new InputException(cfgFile + ": expected esae_kind, d_in, d_sae and k (an SAE written by 'esae train-sae')");
        }
        int order = cfg.groupOrder() != null ? cfg.groupOrder() : 4;
        return new Header(cfg, kind, d, l, k, order);
    }

    /** The tensors of an SAE of {@code h}'s kind and sizes, as saved (the class comment's layout). */
    static Map<String, int[]> savedShapes(Header h) {
        int d = h.dim();
        int l = h.latents();
        int hidden = h.kind().hidden();
        Map<String, int[]> m = new LinkedHashMap<>();
        if (hidden > 0) {
            m.put("encoder.0.weight", new int[] {hidden, d});
            m.put("encoder.0.bias", new int[] {hidden});
        }
        m.put("W_enc", new int[] {hidden > 0 ? hidden : d, l});
        m.put("b_enc", new int[] {l});
        m.put("W_dec", new int[] {l, d});
        m.put("b_dec", new int[] {d});
        if (h.kind().needsTransform()) {
            m.put("M", new int[] {d, d});
        }
        return m;
    }

    /** Loads an SAE folder onto {@code backend}, checking every tensor's shape (before the SAE is built). */
    public static Loaded load(Backend backend, Path dir) {
        Header h = readHeader(dir);
        SaeKind kind = h.kind();
        int d = h.dim();
        Path wFile = dir.resolve(WEIGHTS);
        SafeTensors.Contents c = SafeTensors.read(wFile);
        // Every tensor against cfg.json before the SAE is built: cfg.json's sizes alone could ask for
        // any amount of memory, while tensors that are in the file are bounded by its size.
        for (Map.Entry<String, int[]> e : savedShapes(h).entrySet()) {
            c.require(wFile, e.getKey(), ElementType.FLOAT32, e.getValue());
        }
        TopKSae sae = new TopKSae(backend, d, h.latents(), h.k(), kind.hidden(), 0);
        try {
            for (Map.Entry<String, Parameter> e : sae.namedParameters().entrySet()) {
                Parameter p = e.getValue();
                int[] shape = p.shape();
                boolean enc = e.getKey().equals("W_enc");
                int[] saved = enc ? new int[] {shape[1], shape[0]} : shape;
                float[] v = c.require(wFile, e.getKey(), ElementType.FLOAT32, saved).toFloats();
                if (enc) {
                    v = transpose(v, saved[0], saved[1]);
                }
                try (Tensor t = backend.upload(v, shape)) {
                    backend.copy(t, p.value());
                }
            }
            float[] m = kind.needsTransform()
                    ? c.require(wFile, "M", ElementType.FLOAT32, d, d).toFloats() : null;
            return new Loaded(h.config(), kind, sae, m);
        } catch (RuntimeException e) {
            sae.close();
            throw e;
        }
    }
}
