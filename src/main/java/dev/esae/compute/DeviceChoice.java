package dev.esae.compute;

import java.util.Locale;

/** The {@code --device} option: pick automatically, or insist on one backend. */
public enum DeviceChoice {
    AUTO,
    CPU,
    CUDA;

    /** The provider name this choice insists on, or {@code null} for {@link #AUTO}. */
    public String providerName() {
        return this == AUTO ? null : name().toLowerCase(Locale.ROOT);
    }
}
