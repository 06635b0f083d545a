package dev.esae.compute;

import java.util.Arrays;

/**
 * A dense, row-major (C order) array owned by one {@link Backend}, in that backend's memory
 * (off-heap for the CPU, device memory for CUDA).
 *
 * <p>Memory is released explicitly with {@link #close()}; views made by {@link #reshape} and
 * {@link #rows} share the owner's memory, are not released themselves, and must not be used after
 * the owner is closed.
 */
public abstract class Tensor implements AutoCloseable {
    private final DType dtype;
    private final int[] shape;
    private final long size;

    protected Tensor(DType dtype, int[] shape) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.size = sizeOf(shape);
    }

    /** The number of elements of a shape; every dimension must be at least 1. */
    public static long sizeOf(int... shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 1) {
                throw new IllegalArgumentException("tensor dimensions must be positive: " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, (long) s);
        }
        return n;
    }

    public final DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public final int[] shape() {
        return shape.clone();
    }

    public final int rank() {
        return shape.length;
    }

    public final int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** Number of elements. */
    public final long size() {
        return size;
    }

    /** The product of all dimensions but the first: the length of one row along axis 0. */
    public final long rowSize() {
        return size / shape[0];
    }

    /** The backend that owns this tensor's memory. */
    public abstract Backend backend();

    /** A view of the same memory with another shape of the same size. */
    public final Tensor reshape(int... newShape) {
        checkReshape(newShape);
        return view(newShape, 0);
    }

    /** A view of rows {@code [start, start + count)} along axis 0. */
    public final Tensor rows(int start, int count) {
        int[] s = rowsShape(start, count);
        return view(s, (long) start * rowSize());
    }

    /**
     * A view of this tensor's memory from element {@code elementOffset} on, with {@code shape}
     * (already checked to fit): what {@link #reshape} and {@link #rows} return.
     */
    protected abstract Tensor view(int[] shape, long elementOffset);

    /** True once the owner's memory has been released. */
    public abstract boolean isReleased();

    /** Releases the memory (for the owner; views do nothing). Idempotent. */
    @Override
    public abstract void close();

    private void checkReshape(int[] newShape) {
        if (sizeOf(newShape) != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
    }

    private int[] rowsShape(int start, int count) {
        if (start < 0 || count < 1 || start + count > shape[0]) {
            throw new IndexOutOfBoundsException("rows [" + start + ", " + (start + count) + ") of " + Arrays.toString(shape));
        }
        int[] s = shape.clone();
        s[0] = count;
        return s;
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
