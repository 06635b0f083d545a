package dev.esae.compute;

/**
 * Element type of a {@link Tensor}: float32 for values, int32 for indices (e.g. TopK's), and
 * float64, which the CPU backend supports for the operations layers use so that gradients can be
 * checked against finite differences in double precision.
 */
public enum DType {
    F32(4),
    F64(8),
    I32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
