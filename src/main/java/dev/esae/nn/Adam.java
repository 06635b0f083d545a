package dev.esae.nn;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with PyTorch's defaults and semantics (β1 0.9, β2 0.999, ε 1e-8, bias correction, no weight
 * decay). Its moments live on the backend beside the parameters; {@link #step()} touches no host
 * memory.
 */
public final class Adam implements AutoCloseable {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPS = 1e-8f;

    private final Backend backend;
    private final List<Parameter> params;
    private final List<Tensor> m = new ArrayList<>();
    private final List<Tensor> v = new ArrayList<>();
    private final float lr;
    private long steps;

    public Adam(Backend backend, List<Parameter> params, float lr) {
        this.backend = backend;
        this.params = List.copyOf(params);
        this.lr = lr;
        for (Parameter p : params) {
            m.add(backend.zeros(DType.F32, p.shape()));
            v.add(backend.zeros(DType.F32, p.shape()));
        }
    }

    /** Applies one update from the parameters' current gradients. */
    public void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            backend.adamStep(p.value(), p.grad(), m.get(i), v.get(i), lr, BETA1, BETA2, EPS, steps);
        }
    }

    /** Updates applied so far. */
    public long steps() {
        return steps;
    }

    /** The first and second moments of parameter {@code i} (for checkpoints). */
    public Tensor firstMoment(int i) {
        return m.get(i);
    }

    public Tensor secondMoment(int i) {
        return v.get(i);
    }

    /** Restores the step count after the moments have been loaded from a checkpoint. */
    public void setSteps(long steps) {
        this.steps = steps;
    }

    @Override
    public void close() {
        m.forEach(Tensor::close);
        v.forEach(Tensor::close);
    }
}
