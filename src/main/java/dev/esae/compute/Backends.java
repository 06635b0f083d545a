package dev.esae.compute;

import dev.esae.InputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the backend providers and picks the one to run on, recording why the others were skipped. */
public final class Backends {
    /** One provider and what its probe found. */
    public record Probe(BackendProvider provider, Availability availability) {}

    /** The chosen backend, and every probe in the order they were tried. */
    public record Selection(Backend backend, List<Probe> probes) {
        /**
         * One line for the user: which backend runs and, where higher-priority ones were skipped,
         * why each was.
         */
        public String summary() {
            StringBuilder sb = new StringBuilder("backend: ").append(backend.description());
            for (Probe p : probes) {
                if (!p.availability().available()) {
                    sb.append(" (").append(p.provider().name()).append(" skipped: ")
                            .append(p.availability().reason()).append(')');
                }
            }
            return sb.toString();
        }
    }

    private Backends() {}

    /** All providers on the class path, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        return list;
    }

    /** Probes every provider without opening any (for {@code esae doctor}). */
    public static List<Probe> probeAll() {
        List<Probe> probes = new ArrayList<>();
        for (BackendProvider p : providers()) {
            probes.add(new Probe(p, p.probe()));
        }
        return probes;
    }

    /**
     * Opens the backend the user asked for. With {@link DeviceChoice#AUTO}, the available provider
     * of highest priority; otherwise the named one, or an {@link InputException} saying why it
     * cannot run here.
     */
    public static Selection select(DeviceChoice choice, int threads) {
        return select(choice, threads, providers());
    }

    /** {@link #select(DeviceChoice, int)} over the given providers, highest priority first. */
    static Selection select(DeviceChoice choice, int threads, List<BackendProvider> providers) {
        List<Probe> probes = new ArrayList<>();
        String wanted = choice.providerName();
        for (BackendProvider p : providers) {
            if (wanted != null && !wanted.equals(p.name())) {
                continue;
            }
            Availability a = wanted == null ? p.probe().forAuto() : p.probe();
            if (a.available()) {
                try {
                    Backend opened = p.open(threads);
                    probes.add(new Probe(p, a));
                    return new Selection(opened, probes);
                } catch (RuntimeException | LinkageError e) {
                    // A device that probes well can still fail to start (no kernel image for its
                    // architecture, out of memory): that is a reason to fall back, not a crash.
                    a = Availability.no("it did not start: " + e.getMessage(), a.details());
                }
            }
            probes.add(new Probe(p, a));
        }
        if (wanted != null && probes.isEmpty()) {
            throw new InputException("--device " + wanted + ": this build of esae has no " + wanted + " backend");
        }
        if (wanted != null) {
            throw new InputException("--device " + wanted + ": the " + wanted + " backend cannot run here: "
                    + probes.get(0).availability().reason());
        }
        StringBuilder why = new StringBuilder("no backend can run here:");
        for (Probe p : probes) {
            why.append(' ').append(p.provider().name()).append(": ").append(p.availability().reason()).append(';');
        }
        throw new InputException(why.toString());
    }
}
