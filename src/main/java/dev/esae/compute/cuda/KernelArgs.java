package dev.esae.compute.cuda;

import java.util.Arrays;

/**
 * The arguments of one kernel launch, each as its raw bits and its size in bytes (4 or 8), in the
 * order of the kernel's parameters: device pointers and {@code long long} are 8 bytes, {@code int}
 * and {@code float} 4. The emulator checks these sizes against each kernel's C signature.
 */
public final class KernelArgs {
    private long[] bits = new long[16];
    private int[] sizes = new int[16];
    private int count;

    public static KernelArgs of() {
        return new KernelArgs();
    }

    private KernelArgs add(long value, int size) {
        if (count == bits.length) {
            bits = Arrays.copyOf(bits, count * 2);
            sizes = Arrays.copyOf(sizes, count * 2);
        }
        bits[count] = value;
        sizes[count] = size;
        count++;
        return this;
    }

    /** A device pointer. */
    public KernelArgs ptr(long address) {
        return add(address, 8);
    }

    public KernelArgs i32(int v) {
        return add(v & 0xffffffffL, 4);
    }

    /** A {@code long long}. */
    public KernelArgs i64(long v) {
        return add(v, 8);
    }

    public KernelArgs f32(float v) {
        return add(Float.floatToRawIntBits(v) & 0xffffffffL, 4);
    }

    public KernelArgs f64(double v) {
        return add(Double.doubleToRawLongBits(v), 8);
    }

    public int count() {
        return count;
    }

    /** The raw bits of argument {@code i} (an int or float in the low 4 bytes). */
    public long bits(int i) {
        return bits[i];
    }

    /** The size in bytes of argument {@code i}. */
    public int size(int i) {
        return sizes[i];
    }

    /** All bits, for a runtime that passes them on at once. */
    public long[] allBits() {
        return Arrays.copyOf(bits, count);
    }

    /** All sizes. */
    public int[] allSizes() {
        return Arrays.copyOf(sizes, count);
    }
}
