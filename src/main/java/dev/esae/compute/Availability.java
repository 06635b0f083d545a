package dev.esae.compute;

import java.util.List;

/**
 * What a {@link BackendProvider} found when it probed the machine: whether it can run, the reason
 * when it cannot, and the facts it collected on the way (driver version, device name, ...).
 */
public record Availability(boolean available, String reason, List<String> details) {
    public Availability {
        details = List.copyOf(details);
    }

    public static Availability yes(List<String> details) {
        return new Availability(true, "", details);
    }

    public static Availability no(String reason, List<String> details) {
        return new Availability(false, reason, details);
    }
}
