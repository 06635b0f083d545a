package dev.esae.compute.cpu;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A tensor in off-heap memory allocated by JavaCPP. Java code reads it through a direct buffer;
 * OpenBLAS gets a pointer to the same bytes, so nothing is copied between the two.
 */
final class CpuTensor extends Tensor {
    /**
     * The allocation shared by an owner and its views, its first element on a 64-byte boundary:
     * OpenBLAS's kernels take different paths for differently aligned data, so a fixed alignment
     * keeps results from depending on where malloc happened to put a buffer.
     */
    static final class Storage {
        static final int ALIGN = 64;
        final BytePointer bytes;
        /** Bytes from the allocation's start to the aligned first element. */
        final long pad;
        boolean released;

        Storage(long byteCount) {
            bytes = new BytePointer(byteCount + ALIGN);
            if (bytes.isNull()) {
                throw new OutOfMemoryError("cannot allocate " + byteCount + " bytes off-heap");
            }
            pad = (ALIGN - bytes.address() % ALIGN) % ALIGN;
            Pointer.memset(bytes, 0, byteCount + ALIGN);
        }
    }

    private final CpuBackend backend;
    private final Storage storage;
    private final long offset;
    private final boolean owner;
    /** Elements of this tensor only, index 0 = first element. Exactly one is non-null. */
    final FloatBuffer floats;
    final DoubleBuffer doubles;
    /**
     * The whole allocation as native-order bytes, for the SIMD loops, which address element j of
     * this tensor as element {@link #base} + j of this buffer. (Not a slice: JDK 17's Vector API
     * reads a sliced direct buffer from its parent's start.)
     */
    final java.nio.ByteBuffer bytes;
    /** Index, in elements of this tensor's type, of its first element within {@link #bytes}. */
    final int base;
    final IntBuffer ints;

    CpuTensor(CpuBackend backend, DType dtype, int[] shape) {
        this(backend, dtype, shape, allocate(dtype, shape), 0, true);
    }

    private static Storage allocate(DType dtype, int[] shape) {
        long n = sizeOf(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("CPU tensors hold at most 2^31 elements, asked for " + n);
        }
        return new Storage(n * dtype.bytes());
    }

    private CpuTensor(CpuBackend backend, DType dtype, int[] shape, Storage storage, long offset, boolean owner) {
        super(dtype, shape);
        this.backend = backend;
        this.storage = storage;
        this.offset = offset;
        this.owner = owner;
        long byteOffset = storage.pad + offset * dtype.bytes();
        long byteLength = size() * dtype.bytes();
        // JavaCPP's buffer starts at the allocation and is positioned at this tensor's first byte;
        // the typed views start at that position, the SIMD loops add base.
        java.nio.ByteBuffer bb = new BytePointer(storage.bytes).position(byteOffset).limit(byteOffset + byteLength)
                .asByteBuffer().order(ByteOrder.nativeOrder());
        this.bytes = bb.duplicate().clear().order(ByteOrder.nativeOrder());
        this.base = (int) (byteOffset / dtype.bytes());
        this.floats = dtype == DType.F32 ? bb.asFloatBuffer() : null;
        this.doubles = dtype == DType.F64 ? bb.asDoubleBuffer() : null;
        this.ints = dtype == DType.I32 ? bb.asIntBuffer() : null;
    }

    /** A float pointer to this tensor's first element, for BLAS calls. */
    FloatPointer floatPointer() {
        checkLive();
        // The storage pointer's position stays 0, so a float position here counts floats from the
        // allocation's start (the pad is a multiple of 16 bytes, malloc's own alignment).
        return new FloatPointer(storage.bytes).position(storage.pad / Float.BYTES + offset);
    }

    /** A double pointer to this tensor's first element, for BLAS calls. */
    org.bytedeco.javacpp.DoublePointer doublePointer() {
        checkLive();
        return new org.bytedeco.javacpp.DoublePointer(storage.bytes).position(storage.pad / Double.BYTES + offset);
    }

    /** A byte pointer to this tensor's first element. */
    BytePointer bytePointer() {
        checkLive();
        return new BytePointer(storage.bytes).position(storage.pad + offset * dtype().bytes());
    }

    FloatBuffer f() {
        checkLive();
        return floats;
    }

    java.nio.ByteBuffer b() {
        checkLive();
        return bytes;
    }

    DoubleBuffer d() {
        checkLive();
        return doubles;
    }

    IntBuffer i() {
        checkLive();
        return ints;
    }

    void checkLive() {
        if (storage.released) {
            throw new IllegalStateException("tensor " + this + " used after its memory was released");
        }
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    protected Tensor view(int[] shape, long elementOffset) {
        return new CpuTensor(backend, dtype(), shape, storage, offset + elementOffset, false);
    }

    @Override
    public boolean isReleased() {
        return storage.released;
    }

    @Override
    public void close() {
        if (owner && !storage.released) {
            storage.released = true;
            storage.bytes.close();
        }
    }
}
