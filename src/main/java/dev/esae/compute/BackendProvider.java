package dev.esae.compute;

/**
 * One way to run esae's operations (CPU, CUDA), found through {@link java.util.ServiceLoader}.
 *
 * <p>{@link Backends} probes providers from the highest priority down and opens the first that is
 * available, keeping each skipped provider's reason so that {@code esae doctor} can show it.
 */
public interface BackendProvider {
    /** Short name, as used by {@code --device}: {@code cpu}, {@code cuda}. */
    String name();

    /** Higher is tried first. */
    int priority();

    /** Checks whether this backend can run here. Never throws: failures become the reason. */
    Availability probe();

    /** Opens the backend; only called after {@link #probe()} said it is available. */
    Backend open(int threads);
}
