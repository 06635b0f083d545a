package dev.esae.compute.cpu;

import dev.esae.compute.DType;
import dev.esae.compute.Tensor;

/**
 * The operand checks every CPU operation starts with: a tensor must be a live {@link CpuTensor}
 * (not another backend's, not released) of the element type the operation reads. Shared by
 * {@link CpuBackend} and its operation classes so that a wrong operand reads the same everywhere.
 */
final class CpuOperands {
    private CpuOperands() {}

    /** {@code t} as a live CPU tensor. */
    static CpuTensor cpu(Tensor t) {
        if (!(t instanceof CpuTensor c)) {
            throw new IllegalArgumentException("tensor " + t + " belongs to backend " + t.backend().name() + ", not cpu");
        }
        c.checkLive();
        return c;
    }

    /** {@code t} as a live CPU tensor of {@code type}. */
    static CpuTensor typed(Tensor t, DType type) {
        CpuTensor c = cpu(t);
        if (c.dtype() != type) {
            throw new IllegalArgumentException("expected a " + type + " tensor, got " + t);
        }
        return c;
    }

    /** {@code t} as a live float32 CPU tensor. */
    static CpuTensor f32(Tensor t) {
        return typed(t, DType.F32);
    }

    /** True for F64, false for F32; anything else, or a mix with {@code others}, is refused. */
    static boolean isF64(Tensor first, Tensor... others) {
        DType type = first.dtype();
        if (type != DType.F32 && type != DType.F64) {
            throw new IllegalArgumentException("expected a float tensor, got " + first);
        }
        for (Tensor o : others) {
            if (o.dtype() != type) {
                throw new IllegalArgumentException("mixed precision: " + first + " and " + o);
            }
        }
        return type == DType.F64;
    }
}
