package dev.esae.sae;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.esae.train.Provenance;
import java.util.Map;

/**
 * An SAE folder's {@code cfg.json}: SAELens's fields first ({@code architecture} .. {@code device}),
 * so SAELens can load the folder, then esae's: the kind, how it was trained, how far, and where it
 * came from. The boxed fields are null where a file leaves them out; {@link SaeFiles#readHeader}
 * checks the ones an SAE needs.
 *
 * @param device the backend that trained it ({@code cpu} or {@code cuda}; the device itself is in {@code provenance})
 * @param inputs the activation rows' inputs (each in {@code group_order} orientations)
 * @param transform the M of the equivariant kind ("DIR (M)" or "DIR (M_cycle)"), else null
 * @param epochsDone epochs trained so far (null in the config a resumed run is checked against)
 */
public record SaeConfig(String architecture, Integer dIn, Integer dSae, Integer k, Map<String, Integer> activationFnKwargs,
        @JsonProperty("apply_b_dec_to_input") Boolean applyBDecToInput, String normalizeActivations, String dtype, String device, String esaeKind, Integer esaeHidden,
        Integer groupOrder, Integer epochs, Integer batch, Double lr, Long seed, Integer inputs, Integer auxk, Double auxkCoef,
        String acts, String orientations, String transform, String esaeVersion, Integer epochsDone, Double finalLoss,
        Provenance provenance) {

    /** How an SAE is to be trained, as cfg.json records it. */
    public record Training(int epochs, int batch, float lr, long seed, int inputs, int auxk, float auxkCoef, String acts,
            String orientations, String transform) {}

    /** A new SAE's config (not yet trained, no provenance). */
    public static SaeConfig of(SaeKind kind, int d, int latents, int k, int order, Training t, String esaeVersion) {
        return new SaeConfig(kind == SaeKind.TOPK || kind == SaeKind.WIDE ? "topk" : "esae-" + kind.id(), d, latents, k, Map.of("k", k),
                true, "none", "float32", null, kind.id(), kind.hidden(), order, t.epochs(), t.batch(), (double) t.lr(), t.seed(),
                t.inputs(), t.auxk(), (double) t.auxkCoef(), t.acts(), t.orientations(), t.transform(), esaeVersion, null, null, null);
    }

    /** This config after training on {@code backendName} to {@code epochsDone} epochs, with the provenance. */
    public SaeConfig trained(String backendName, int epochsDone, double lastLoss, Provenance from) {
        return new SaeConfig(architecture, dIn, dSae, k, activationFnKwargs, applyBDecToInput, normalizeActivations, dtype, backendName,
                esaeKind, esaeHidden, groupOrder, epochs, batch, lr, seed, inputs, auxk, auxkCoef, acts, orientations, transform,
                esaeVersion, epochsDone, lastLoss, from);
    }
}
