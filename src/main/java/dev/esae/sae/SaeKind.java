package dev.esae.sae;

import java.util.Locale;

/**
 * The five SAE kinds of SPEC §4: how many latents, which encoder, and what the SAE is trained to
 * reconstruct.
 *
 * <pre>
 * topk         linear encoder      8·d latents    ψ(g^p x) → ψ(g^p x)
 * wide         linear encoder      n·8·d latents  ψ(g^p x) → ψ(g^p x)
 * twolayer     Linear(d,512) ReLU  8·d latents    ψ(g^p x) → ψ(g^p x)
 * invariant    two-layer           8·d latents    ψ(g^p x) → ψ(x)
 * equivariant  the invariant SAE plus M; its output for ψ(g^p x) is M^p D(E(ψ(g^p x)))
 * </pre>
 */
public enum SaeKind {
    TOPK(false, false, false),
    WIDE(false, false, true),
    TWOLAYER(true, false, false),
    INVARIANT(true, true, false),
    EQUIVARIANT(true, true, false);

    /** Width of the two-layer encoder's first layer. */
    public static final int HIDDEN = 512;

    private final boolean twoLayer;
    private final boolean invariantTargets;
    private final boolean wide;

    SaeKind(boolean twoLayer, boolean invariantTargets, boolean wide) {
        this.twoLayer = twoLayer;
        this.invariantTargets = invariantTargets;
        this.wide = wide;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind called {@code id}, or {@code null}. */
    public static SaeKind fromId(String id) {
        for (SaeKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        return null;
    }

    /** Latents for activations of dimension d under a group of order n. */
    public int latents(int d, int n) {
        return (wide ? n : 1) * 8 * d;
    }

    /** The encoder's hidden width, 0 for a linear encoder. */
    public int hidden() {
        return twoLayer ? HIDDEN : 0;
    }

    /** Whether every orientation is mapped to the canonical one. */
    public boolean invariantTargets() {
        return invariantTargets;
    }

    /** Whether the kind needs M (from 'esae fit-m'). */
    public boolean needsTransform() {
        return this == EQUIVARIANT;
    }
}
