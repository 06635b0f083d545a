package dev.esae.sae;

import dev.esae.io.AtomicFiles;
import dev.esae.io.ElementType;
import dev.esae.io.HostArray;
import dev.esae.io.Json;
import dev.esae.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code esae export} as a library call: reads an esae SAE folder of a linear-encoder kind
 * ({@code topk}, {@code wide}) and lays it out as SAELens ({@link SaeLensLayout}) or sparsify
 * ({@link SparsifyLayout}) load it. Nothing is computed: both libraries' TopK forward is esae's
 * (docs/SAE_FORMAT.md), so the export is a renaming, with one transpose for sparsify.
 */
public final class SaeExport {
    private SaeExport() {}

    /** The four tensors of a linear-encoder SAE as esae saves them (W_enc {@code [d_in, d_sae]}). */
    public record Weights(int dim, int latents, float[] wEnc, float[] bEnc, float[] wDec, float[] bDec) {}

    /** An export ready to write: {@code cfg.json}'s content and the weights file's tensors, in file order. */
    public record Exported(ExportFormat format, Map<String, Object> config, Map<String, HostArray> tensors) {
        /** Writes the weights, then {@code cfg.json} (each atomically, so a folder never holds half a file). */
        public void writeTo(Path dir) throws IOException {
            SafeTensors.write(dir.resolve(format.weightsFile()), tensors, Map.of("format", "pt"));
            AtomicFiles.writeString(dir.resolve(SaeFiles.CONFIG), Json.pretty(config));
        }
    }

    /**
     * Reads and checks the SAE folder {@code dir} (its cfg.json, and every tensor's dtype, shape and
     * digest) and builds its export; nothing is written.
     *
     * @throws IllegalArgumentException if the folder's kind is not one {@link ExportFormat#supports}
     */
    public static Exported prepare(Path dir, ExportFormat format) {
        SaeFiles.Header h = SaeFiles.readHeader(dir);
        if (!ExportFormat.supports(h.kind())) {
            throw new IllegalArgumentException("the " + h.kind().id() + " kind has no " + format.library() + " equivalent");
        }
        Weights w = read(dir, h);
        return switch (format) {
            case SAELENS -> SaeLensLayout.of(h, w);
            case SPARSIFY -> SparsifyLayout.of(h, w);
        };
    }

    private static Weights read(Path dir, SaeFiles.Header h) {
        Path file = dir.resolve(SaeFiles.WEIGHTS);
        SafeTensors.Contents c = SafeTensors.read(file);
        int d = h.dim();
        int l = h.latents();
        return new Weights(d, l, c.require(file, "W_enc", ElementType.FLOAT32, d, l).toFloats(),
                c.require(file, "b_enc", ElementType.FLOAT32, l).toFloats(), c.require(file, "W_dec", ElementType.FLOAT32, l, d).toFloats(),
                c.require(file, "b_dec", ElementType.FLOAT32, d).toFloats());
    }
}
