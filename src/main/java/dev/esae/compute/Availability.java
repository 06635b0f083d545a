package dev.esae.compute;

import java.util.List;

/**
 * What a {@link BackendProvider} found when it probed the machine: whether it can run, the reason
 * when it cannot, and the facts it collected on the way (driver version, device name, ...).
 *
 * @param autoSkip why {@code --device auto} passes over a backend that can run but must be asked
 *     for by name (esae's emulated CUDA driver); empty for an ordinary backend
 */
public record Availability(boolean available, String reason, List<String> details, String autoSkip) {
    public Availability {
        details = List.copyOf(details);
    }

    public static Availability yes(List<String> details) {
        return new Availability(true, "", details, "");
    }

    public static Availability no(String reason, List<String> details) {
        return new Availability(false, reason, details, "");
    }

    /** Can run, but only when named ({@code --device NAME}): automatic selection skips it, saying {@code why}. */
    public static Availability whenNamed(String why, List<String> details) {
        return new Availability(true, "", details, why);
    }

    /** What automatic selection makes of this: not available, with the reason, when it must be named. */
    public Availability forAuto() {
        return autoSkip.isEmpty() ? this : no(autoSkip, details);
    }
}
