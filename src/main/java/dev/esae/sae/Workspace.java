package dev.esae.sae;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Scratch tensors of one branch of {@link TopKSae}'s step, for batches of up to {@link #capacity}
 * rows: a subclass allocates each through {@link #zeros} or {@link #own}, and {@link #close}
 * releases them all. A smaller batch works on the first rows ({@link #rows}).
 */
abstract class Workspace implements AutoCloseable {
    final int capacity;
    private final Backend backend;
    private final List<Tensor> owned = new ArrayList<>();

    Workspace(Backend backend, int capacity) {
        this.backend = backend;
        this.capacity = capacity;
    }

    /** A new zero tensor that this workspace releases. */
    final Tensor zeros(DType dtype, int... shape) {
        return own(backend.zeros(dtype, shape));
    }

    /** Takes {@code t} over: it is released with this workspace. */
    final Tensor own(Tensor t) {
        owned.add(t);
        return t;
    }

    /** The first {@code batch} rows of a workspace tensor (itself when it has that many). */
    static Tensor rows(Tensor t, int batch) {
        return t.dim(0) == batch ? t : t.rows(0, batch);
    }

    @Override
    public final void close() {
        for (Tensor t : owned) {
            t.close();
        }
        owned.clear();
    }
}
