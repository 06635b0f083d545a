package dev.esae.compute.cuda;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;

/** A tensor in device memory: an address from the backend's pool, or a view into an owner's block. */
final class CudaTensor extends Tensor {
    private final CudaBackend backend;
    private final long address;
    /** The tensor that owns the block; {@code this} for an owner. */
    private final CudaTensor owner;
    private boolean released;

    CudaTensor(CudaBackend backend, DType dtype, int[] shape, long address) {
        super(dtype, shape);
        this.backend = backend;
        this.address = address;
        this.owner = this;
    }

    private CudaTensor(CudaTensor owner, DType dtype, int[] shape, long address) {
        super(dtype, shape);
        this.backend = owner.backend;
        this.address = address;
        this.owner = owner;
    }

    /** The device address of the first element; throws if the memory was released. */
    long address() {
        if (owner.released) {
            throw new IllegalStateException("tensor " + this + " was used after its memory was released");
        }
        return address;
    }

    long bytes() {
        return size() * dtype().bytes();
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    protected Tensor view(int[] shape, long elementOffset) {
        return new CudaTensor(owner, dtype(), shape, address() + elementOffset * dtype().bytes());
    }

    @Override
    public boolean isReleased() {
        return owner.released;
    }

    @Override
    public void close() {
        if (owner == this && !released) {
            released = true;
            backend.release(address);
        }
    }
}
