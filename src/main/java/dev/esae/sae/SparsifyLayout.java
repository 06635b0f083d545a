package dev.esae.sae;

import dev.esae.io.HostArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * EleutherAI sparsify's layout of a sparse coder ({@code SparseCoder.save_to_disk} in
 * {@code sparsify/sparse_coder.py}): {@code cfg.json} with the {@code SparseCoderConfig} fields
 * then {@code d_in}, and {@code sae.safetensors} with the module's state dict, {@code encoder.weight
 * [num_latents, d_in]} (an {@code nn.Linear}'s, so esae's saved {@code W_enc} transposed),
 * {@code encoder.bias [num_latents]}, {@code W_dec [num_latents, d_in]}, {@code b_dec [d_in]};
 * {@code load_from_disk} loads it strictly.
 */
final class SparsifyLayout {
    private SparsifyLayout() {}

    static SaeExport.Exported of(SaeFiles.Header h, SaeExport.Weights w) {
        int d = w.dim();
        int l = w.latents();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("activation", "topk");
        // topk: 8·d latents, wide: n·8·d, so always a whole multiple of d; num_latents is what sparsify uses.
        cfg.put("expansion_factor", l / d);
        cfg.put("normalize_decoder", true);
        cfg.put("num_latents", l);
        cfg.put("k", h.k());
        cfg.put("multi_topk", false);
        cfg.put("skip_connection", false);
        cfg.put("transcode", false);
        cfg.put("d_in", d);
        Map<String, HostArray> t = new LinkedHashMap<>();
        t.put("encoder.weight", HostArray.ofFloats(SaeFiles.transpose(w.wEnc(), d, l), l, d));
        t.put("encoder.bias", HostArray.ofFloats(w.bEnc(), l));
        t.put("W_dec", HostArray.ofFloats(w.wDec(), l, d));
        t.put("b_dec", HostArray.ofFloats(w.bDec(), d));
        return new SaeExport.Exported(ExportFormat.SPARSIFY, cfg, t);
    }
}
