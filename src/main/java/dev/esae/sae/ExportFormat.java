package dev.esae.sae;

import java.util.Locale;

/**
 * The layouts {@code esae export} writes an SAE in: SAELens v6's ({@code cfg.json} +
 * {@code sae_weights.safetensors}) or EleutherAI sparsify's ({@code cfg.json} +
 * {@code sae.safetensors}). Only the linear-encoder kinds ({@code topk}, {@code wide}) have an
 * equivalent in either library.
 */
public enum ExportFormat {
    SAELENS("SAELens", SaeFiles.WEIGHTS),
    SPARSIFY("sparsify", "sae.safetensors");

    private final String library;
    private final String weightsFile;

    ExportFormat(String library, String weightsFile) {
        this.library = library;
        this.weightsFile = weightsFile;
    }

    /** The name on the command line ({@code saelens}, {@code sparsify}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The library's own spelling, for messages. */
    public String library() {
        return library;
    }

    /** The weights file this layout puts beside {@code cfg.json}. */
    public String weightsFile() {
        return weightsFile;
    }

    /** Whether {@code kind} has an equivalent in these libraries: a linear encoder, nothing after the decoder. */
    public static boolean supports(SaeKind kind) {
        return kind.hidden() == 0 && !kind.needsTransform();
    }
}
