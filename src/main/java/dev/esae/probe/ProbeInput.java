package dev.esae.probe;

import java.util.Locale;

/** What a probe reads (SPEC §5): an SAE's truncated latents, its truncated reconstruction, or the base activations ψ. */
public enum ProbeInput {
    LATENTS, RECONSTRUCTION, BASE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
