package dev.esae.io;

import java.util.Arrays;

/**
 * What a parsed array must be, whatever file it came from: its shape's element count times the
 * item size is exactly the bytes it holds (no more than the file's), and its elements read out.
 */
final class ArrayInvariants {
    private ArrayInvariants() {}

    /** Fails unless {@code a}, read from {@code fileBytes} bytes, holds what its shape says. */
    static void check(HostArray a, long fileBytes) {
        long count = 1;
        for (int s : a.shape()) {
            if (s < 0) {
                throw new AssertionError("negative dimension in " + a.describe());
            }
            count = Math.multiplyExact(count, (long) s);
        }
        long bytes = Math.multiplyExact(count, (long) a.dtype().itemSize());
        if (bytes != a.rawData().remaining() || bytes > fileBytes || count != a.size()) {
            throw new AssertionError(a.describe() + " holds " + a.rawData().remaining() + " bytes (size " + a.size() + ") from a "
                    + fileBytes + "-byte file; its shape needs " + bytes);
        }
        int read = switch (a.dtype()) {
            case UINT8 -> a.toUnsignedBytes().length;
            case INT32 -> a.toInts().length;
            case INT64 -> a.toLongs().length;
            case FLOAT32 -> a.toFloats().length;
            case FLOAT64 -> a.toDoubles().length;
        };
        if (read != count) {
            throw new AssertionError(a.describe() + " read out " + read + " elements; shape " + Arrays.toString(a.shape()));
        }
    }
}
