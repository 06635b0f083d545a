package dev.esae.base;

import java.util.Locale;

/** The two base autoencoders of the paper's Table 1. */
public enum Architecture {
    MLP,
    CNN;

    /** The name used on the command line and in {@code config.json}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The architecture called {@code id}, or {@code null}. */
    public static Architecture fromId(String id) {
        for (Architecture a : values()) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        return null;
    }
}
