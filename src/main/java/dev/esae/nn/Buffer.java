package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;

/**
 * A reusable activation buffer of {@code [batch, width]}: grown when a larger batch arrives, else
 * handed out as a row view, so steady-state training allocates no tensor memory.
 */
final class Buffer implements AutoCloseable {
    private final Backend backend;
    private final DType dtype;
    private final int width;
    private Tensor storage;

    Buffer(Backend backend, DType dtype, int width) {
        this.backend = backend;
        this.dtype = dtype;
        this.width = width;
    }

    /** The first {@code batch} rows, as {@code [batch, width]}. */
    Tensor rows(int batch) {
        if (storage == null || storage.dim(0) < batch) {
            if (storage != null) {
                storage.close();
            }
            storage = backend.zeros(dtype, batch, width);
        }
        return storage.dim(0) == batch ? storage : storage.rows(0, batch);
    }

    @Override
    public void close() {
        if (storage != null) {
            storage.close();
            storage = null;
        }
    }
}
