package dev.esae.compute.cpu;

import dev.esae.compute.Availability;
import dev.esae.compute.Backend;
import dev.esae.compute.BackendProvider;
import java.util.List;

/** Provides the CPU backend; available wherever JavaCPP's OpenBLAS loads. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability probe() {
        try {
            OpenBlas.load();
            return Availability.yes(List.of("OpenBLAS " + OpenBlas.version() + " loaded (built for core "
                    + OpenBlas.buildCore() + ")"));
        } catch (LinkageError | RuntimeException e) {
            return Availability.no("OpenBLAS could not be loaded: " + e, List.of());
        }
    }

    @Override
    public Backend open(int threads) {
        return new CpuBackend(threads);
    }
}
