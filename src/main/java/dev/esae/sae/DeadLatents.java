package dev.esae.sae;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;

/**
 * Which latents AuxK counts as dead, kept on the backend: per latent the rows seen since it last
 * fired, and the mask ({@code 0} dead, {@code −∞} live) that restricts the auxiliary TopK to the
 * dead ones. A latent is dead once it has not fired for {@code deadAfterRows} rows. Each training
 * step updates both with one {@link Backend#updateDeadLatents} call, so nothing is read back to
 * the host.
 */
final class DeadLatents implements AutoCloseable {
    private final Backend backend;
    private final int deadAfterRows;
    private final Tensor rowsSinceFired;
    private final Tensor mask;

    /** Every latent counts from 0 (live). */
    DeadLatents(Backend backend, int latents, int deadAfterRows) {
        if (deadAfterRows < 0) {
            throw new IllegalArgumentException("dead after " + deadAfterRows + " rows: expected 0 or more");
        }
        this.backend = backend;
        this.deadAfterRows = deadAfterRows;
        this.rowsSinceFired = backend.zeros(DType.I32, latents);
        this.mask = backend.zeros(DType.F32, latents);
    }

    /** Counts one batch: its rows pass for every latent, and those selected with {@code values > 0} fired. */
    void update(Tensor values, Tensor indices) {
        backend.updateDeadLatents(values, indices, values.dim(0), deadAfterRows, rowsSinceFired, mask);
    }

    /** {@code [L]}: 0 for a dead latent, −∞ for a live one, as of the last {@link #update}. */
    Tensor mask() {
        return mask;
    }

    /** Sets the counters (the mask follows at the next update); tests start from a chosen state. */
    void setRowsSinceFired(int[] counts) {
        try (Tensor t = backend.uploadInts(counts, counts.length)) {
            backend.copy(t, rowsSinceFired);
        }
    }

    @Override
    public void close() {
        rowsSinceFired.close();
        mask.close();
    }
}
