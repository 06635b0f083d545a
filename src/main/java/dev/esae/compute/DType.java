package dev.esae.compute;

/** Element type of a {@link Tensor}: float32 for values, int32 for indices (e.g. TopK's). */
public enum DType {
    F32(4),
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
