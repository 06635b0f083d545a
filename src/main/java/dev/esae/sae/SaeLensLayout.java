package dev.esae.sae;

import dev.esae.BuildInfo;
import dev.esae.io.HostArray;
import dev.esae.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SAELens v6's layout of a TopK SAE ({@code sae_lens/saes/topk_sae.py}, loaded by
 * {@code SAE.load_from_disk}): {@code cfg.json} with exactly the {@code TopKSAEConfig} fields and
 * {@code metadata}, and {@code sae_weights.safetensors} with exactly {@code W_enc [d_in, d_sae]},
 * {@code b_enc [d_sae]}, {@code W_dec [d_sae, d_in]}, {@code b_dec [d_in]} ({@code load_state_dict}
 * is strict, so no other tensor may be there).
 */
final class SaeLensLayout {
    /**
     * The SAELens version the layout follows. {@code handle_config_defaulting} treats a cfg.json
     * without {@code metadata.sae_lens_version}, or with one below 6.0.0, as a pre-6 file and rewrites it.
     */
    static final String SAE_LENS_VERSION = "6.18.0";

    private SaeLensLayout() {}

    static SaeExport.Exported of(SaeFiles.Header h, SaeExport.Weights w) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("architecture", "topk");
        cfg.put("d_in", h.dim());
        cfg.put("d_sae", h.latents());
        cfg.put("k", h.k());
        cfg.put("dtype", "float32");
        // Where SAELens puts the tensors when loading, not where esae trained them (that is in metadata.provenance).
        cfg.put("device", "cpu");
        // esae's encoder sees a − b_dec, as SAELens's process_sae_in does when this is true.
        cfg.put("apply_b_dec_to_input", true);
        cfg.put("normalize_activations", "none");
        cfg.put("reshape_activations", "none");
        // esae keeps decoder rows at unit norm, so rescaling by it would change nothing; false says so exactly.
        cfg.put("rescale_acts_by_decoder_norm", false);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("sae_lens_version", SAE_LENS_VERSION);
        // Not trained by SAELens (the default would claim the installed version).
        meta.put("sae_lens_training_version", null);
        meta.put("esae_kind", h.kind().id());
        meta.put("esae_version", h.config().esaeVersion());
        meta.put("esae_exported_by", BuildInfo.version());
        meta.put("group_order", h.order());
        meta.put("provenance", h.config().provenance() == null ? null : Json.untyped(h.config().provenance()));
        cfg.put("metadata", meta);
        Map<String, HostArray> t = new LinkedHashMap<>();
        t.put("W_enc", HostArray.ofFloats(w.wEnc(), w.dim(), w.latents()));
        t.put("b_enc", HostArray.ofFloats(w.bEnc(), w.latents()));
        t.put("W_dec", HostArray.ofFloats(w.wDec(), w.latents(), w.dim()));
        t.put("b_dec", HostArray.ofFloats(w.bDec(), w.dim()));
        return new SaeExport.Exported(ExportFormat.SAELENS, cfg, t);
    }
}
