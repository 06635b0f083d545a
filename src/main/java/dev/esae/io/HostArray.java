package dev.esae.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An n-dimensional array in host memory, as stored in {@code .npy} and safetensors files: an
 * element type, a C-order shape and the raw little-endian bytes. Immutable from the outside:
 * accessors return copies.
 */
public final class HostArray {
    private final ElementType dtype;
    private final int[] shape;
    private final ByteBuffer data;

    HostArray(ElementType dtype, int[] shape, ByteBuffer data) {
        long bytes = Math.multiplyExact(count(shape), (long) dtype.itemSize());
        if (bytes != data.remaining()) {
            throw new IllegalArgumentException("data holds " + data.remaining() + " bytes, shape "
                    + Arrays.toString(shape) + " of " + dtype.numpyName() + " needs " + bytes);
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A float32 array of the given shape. */
    public static HostArray ofFloats(float[] values, int... shape) {
        ByteBuffer b = allocate(values.length, ElementType.FLOAT32);
        b.asFloatBuffer().put(values);
        return new HostArray(ElementType.FLOAT32, shape, b);
    }

    /** A float64 array of the given shape. */
    public static HostArray ofDoubles(double[] values, int... shape) {
        ByteBuffer b = allocate(values.length, ElementType.FLOAT64);
        b.asDoubleBuffer().put(values);
        return new HostArray(ElementType.FLOAT64, shape, b);
    }

    /** An int64 array of the given shape. */
    public static HostArray ofLongs(long[] values, int... shape) {
        ByteBuffer b = allocate(values.length, ElementType.INT64);
        b.asLongBuffer().put(values);
        return new HostArray(ElementType.INT64, shape, b);
    }

    /** An int32 array of the given shape. */
    public static HostArray ofInts(int[] values, int... shape) {
        ByteBuffer b = allocate(values.length, ElementType.INT32);
        b.asIntBuffer().put(values);
        return new HostArray(ElementType.INT32, shape, b);
    }

    /** A uint8 array of the given shape (Java bytes are read as unsigned 0..255). */
    public static HostArray ofUnsignedBytes(byte[] values, int... shape) {
        ByteBuffer b = allocate(values.length, ElementType.UINT8);
        b.put(values).flip();
        return new HostArray(ElementType.UINT8, shape, b);
    }

    private static ByteBuffer allocate(int count, ElementType dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(count, dtype.itemSize())).order(ByteOrder.LITTLE_ENDIAN);
    }

    static long count(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, (long) s);
        }
        return n;
    }

    public ElementType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of one dimension. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** Number of elements. */
    public int size() {
        return (int) count(shape);
    }

    /** A read-only little-endian view of the raw bytes. */
    ByteBuffer rawData() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The elements as floats; only for float32 arrays. */
    public float[] toFloats() {
        require(ElementType.FLOAT32);
        float[] out = new float[size()];
        rawData().asFloatBuffer().get(out);
        return out;
    }

    /** The elements as doubles; only for float64 arrays. */
    public double[] toDoubles() {
        require(ElementType.FLOAT64);
        double[] out = new double[size()];
        rawData().asDoubleBuffer().get(out);
        return out;
    }

    /** The elements as ints; only for int32 arrays. */
    public int[] toInts() {
        require(ElementType.INT32);
        int[] out = new int[size()];
        rawData().asIntBuffer().get(out);
        return out;
    }

    /** The elements as longs; only for int64 arrays. */
    public long[] toLongs() {
        require(ElementType.INT64);
        long[] out = new long[size()];
        rawData().asLongBuffer().get(out);
        return out;
    }

    /** The elements as raw bytes (0..255 stored in Java's signed byte); only for uint8 arrays. */
    public byte[] toUnsignedBytes() {
        require(ElementType.UINT8);
        byte[] out = new byte[size()];
        rawData().get(out);
        return out;
    }

    private void require(ElementType expected) {
        if (dtype != expected) {
            throw new IllegalStateException("array is " + dtype.numpyName() + ", not " + expected.numpyName());
        }
    }

    /** A short description such as {@code float32[100, 4, 256]}. */
    public String describe() {
        return dtype.numpyName() + Arrays.toString(shape);
    }
}
