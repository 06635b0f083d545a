package dev.esae.data;

import java.util.Locale;

/**
 * How the canonical images hold their shapes (SPEC §1). {@link #UPRIGHT}, the default, draws every
 * shape in orientation 0, so orientations arise only from the group action and the canonical image
 * is identifiable from any rotation of it (p follows from any shape's orientation), which the
 * invariant SAE's target needs. {@link #RANDOM} draws each shape in a uniformly chosen orientation:
 * the identifiability ablation, where ψ(x) cannot be told from ψ(g^p x).
 */
public enum Orientations {
    UPRIGHT,
    RANDOM;

    /** The name on the command line and in the files: {@code upright} or {@code random}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice called {@code id}, or {@code null}. */
    public static Orientations fromId(String id) {
        for (Orientations o : values()) {
            if (o.id().equals(id)) {
                return o;
            }
        }
        return null;
    }
}
