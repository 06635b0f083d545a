package dev.esae.compute;

/**
 * The operations esae's numeric code runs on, implemented once per device (CPU, CUDA).
 *
 * <p>Every operation reads and writes tensors owned by this backend and never moves data to the
 * host, except {@link #download}. Shapes are checked; a mismatch is a bug in the caller and throws
 * {@link IllegalArgumentException}. The CPU backend is the reference that {@code esae selftest}
 * checks every other backend against.
 */
public interface Backend extends AutoCloseable {
    /** Short name: {@code cpu} or {@code cuda}. */
    String name();

    /** One line describing the device and libraries, e.g. for {@code esae doctor} and logs. */
    String description();

    /** Worker threads the backend uses for host-side work. */
    int threads();

    /**
     * Whether the compute operations (products, element-wise) take float64 tensors too. The CPU
     * backend's do; the CUDA backend computes in float32 only.
     */
    default boolean computesDouble() {
        return true;
    }

    // ---- memory ----

    /** A new zero-filled tensor. */
    Tensor zeros(DType dtype, int... shape);

    /** A new float tensor holding a copy of {@code values}. */
    Tensor upload(float[] values, int... shape);

    /** A new int tensor holding a copy of {@code values}. */
    Tensor uploadInts(int[] values, int... shape);

    /** A new float64 tensor holding a copy of {@code values} (CPU backend; for checking). */
    Tensor uploadDoubles(double[] values, int... shape);

    /** Copies a float64 tensor to the host. */
    double[] downloadDoubles(Tensor t);

    /** Copies a float tensor to the host. */
    float[] download(Tensor t);

    /** Copies an int tensor to the host. */
    int[] downloadInts(Tensor t);

    /** {@code dst = src}; same size and dtype. */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of a float (F32 or F64) tensor to {@code value}. */
    void fill(Tensor t, float value);

    // ---- linear algebra ----

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} on rank-2 float tensors, where {@code op(X)} is
     * {@code X} or its transpose. {@code op(A)} is M×K, {@code op(B)} is K×N, {@code C} is M×N.
     * With {@code beta == 0} the previous content of C is ignored (NaNs included).
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * A batch of independent GEMMs, {@code C[i] = alpha op(A[i]) op(B[i]) + beta C[i]}, on rank-3
     * tensors {@code [batch, rows, cols]}; {@code A} or {@code B} may have a batch of 1 and then
     * serves every {@code i}. Applying all powers {@code M^p} to one batch of activations is one
     * call (one launch on CUDA).
     */
    default void gemmBatched(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int batch = OpShapes.gemmBatched(transA, transB, a, b, c)[0];
        for (int i = 0; i < batch; i++) {
            gemm(transA, transB, alpha, OpShapes.slice(a, i), OpShapes.slice(b, i), beta, OpShapes.slice(c, i));
        }
    }

    /** {@code y += alpha * x} over all elements (same size and precision). */
    void axpy(float alpha, Tensor x, Tensor y);

    // ---- elementwise ----

    /** {@code x[i, j] += bias[j]} in place, with x viewed as rows of {@code bias.size()} columns. */
    void addRowVector(Tensor x, Tensor bias);

    /** {@code y = max(x, 0)}; {@code y} may be {@code x}. */
    void relu(Tensor x, Tensor y);

    /**
     * {@code gradIn = gradOut} where {@code output > 0}, else 0, for {@code output = relu(x)};
     * {@code gradIn} may be {@code gradOut}.
     */
    void reluBackward(Tensor gradOut, Tensor output, Tensor gradIn);

    // ---- convolution ----

    /**
     * Unfolds NHWC images {@code input [batch, inH, inW, channels]} into
     * {@code cols [batch * outPositions, patchSize]} (zero where the kernel reads padding).
     */
    void im2col(Tensor input, ConvGeometry g, Tensor cols);

    /**
     * The adjoint of {@link #im2col}: {@code input} is overwritten with the sum, over every im2col
     * entry, of the value in {@code cols} at the pixel that entry reads.
     */
    void col2im(Tensor cols, ConvGeometry g, Tensor input);

    // ---- losses and optimisers ----

    /**
     * Mean squared error over all elements: {@code loss[0] = mean((pred - target)^2)} (accumulated
     * in double) and {@code grad = 2 (pred - target) / size}, the gradient of that mean.
     */
    void mseLoss(Tensor pred, Tensor target, Tensor grad, Tensor loss);

    /**
     * One Adam step with PyTorch's semantics and bias correction: {@code m = b1 m + (1 - b1) g},
     * {@code v = b2 v + (1 - b2) g^2},
     * {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}, for step {@code t >= 1}.
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, long t);

    /** {@code dst[i, :] = src[indices[i], :]} for rank-2 float {@code src} and int {@code indices}. */
    void gatherRows(Tensor src, Tensor indices, Tensor dst);

    // ---- reductions (results stay on the device) ----

    /**
     * Column sums: {@code out[j] = beta * out[j] + sum_i x[i, j]}, with x viewed as rows of
     * {@code out.size()} columns (a bias gradient).
     */
    void sumRows(Tensor x, float beta, Tensor out);

    /** {@code out[0] = sum of x[i]^2} over all elements, accumulated in double precision. */
    void sumSquares(Tensor x, Tensor out);

    // ---- selection ----

    /**
     * Row-wise top-k of a rank-2 float tensor {@code x [rows, cols]}: {@code values [rows, k]} and
     * int {@code indices [rows, k]}, each row sorted by value descending, ties broken by the lower
     * column index (so the result is deterministic). Values compare as {@link Float#compare} does.
     */
    void topk(Tensor x, int k, Tensor values, Tensor indices);

    // ---- sparse rows (TopK SAEs: work over the K selected latents only) ----

    /**
     * Sparse decode: {@code out[b, :] = Σ_k values[b, k] · rows[indices[b, k], :]}, i.e. {@code z W}
     * for a z that is non-zero only at {@code indices}. {@code values, indices [B, K]},
     * {@code rows [L, D]}, {@code out [B, D]} (overwritten).
     */
    void sparseDecode(Tensor values, Tensor indices, Tensor rows, Tensor out);

    /**
     * Sparse weight gradient: {@code rowsGrad[indices[b, k], :] += values[b, k] · x[b, :]} for all b,
     * k ({@code z^T x} restricted to the selected rows). Each row sums its terms in (b, k) order,
     * so the result does not depend on the thread count.
     */
    void sparseOuterAccumulate(Tensor values, Tensor indices, Tensor x, Tensor rowsGrad);

    /** Sparse dots: {@code out[b, k] = ⟨x[b, :], rows[indices[b, k], :]⟩}, {@code (x W^T)} at the selected entries. */
    void sparseDots(Tensor x, Tensor indices, Tensor rows, Tensor out);

    /**
     * A TopK SAE's backward pass through its selected latents, the decoder and the encoder's last
     * weight in one call ({@code values, indices [B, K]}, {@code dOut [B, D]}, {@code decoder,
     * decoderGrad [L, D]}, {@code input [B, H]}, {@code encoderGrad [L, H]}, {@code dValues [B, K]}):
     * <pre>
     *   decoderGrad  (+)= sparseOuterAccumulate(values, indices, dOut)
     *   dValues        = values &gt; 0 ? sparseDots(dOut, indices, decoder) : 0
     *   encoderGrad  (+)= sparseOuterAccumulate(dValues, indices, input)
     * </pre>
     * With {@code accumulate} false both gradients are overwritten (rows no entry selects become
     * zero), else added to. The result is exactly that of the four calls (same operations, same
     * order, each row's terms in (b, k) order), which is how this default computes it; a backend may
     * fuse them, as the CPU backend does latent by latent, reading each selected weight row once
     * instead of once per entry.
     */
    default void sparseBackward(Tensor values, Tensor indices, Tensor dOut, Tensor decoder, Tensor input, boolean accumulate,
            Tensor decoderGrad, Tensor encoderGrad, Tensor dValues) {
        OpShapes.sparseBackward(values, indices, dOut, decoder, input, decoderGrad, encoderGrad, dValues);
        if (!accumulate) {
            fill(decoderGrad, 0f);
            fill(encoderGrad, 0f);
        }
        sparseOuterAccumulate(values, indices, dOut, decoderGrad);
        sparseDots(dOut, indices, decoder, dValues);
        reluBackward(dValues, values, dValues);
        sparseOuterAccumulate(dValues, indices, input, encoderGrad);
    }

    /**
     * AuxK's dead-latent bookkeeping for one batch of {@code rows} rows, in three steps: every
     * counter of int {@code rowsSinceFired [L]} advances by {@code rows}, saturating at
     * {@code deadAfter}; every latent that int {@code indices [B, K]} selects with
     * {@code values[b, k] > 0} fired and is reset to 0 (a value ≤ 0 or NaN does not count; a latent
     * selected twice is simply reset); then {@code deadMask[i] = 0} where
     * {@code rowsSinceFired[i] >= deadAfter} (dead) and {@code −∞} elsewhere, so that adding the
     * mask to pre-activations leaves only the dead latents to a TopK.
     *
     * <p>The counters are int32 because a float32 count is exact only to 2^24 rows, which a long
     * run passes (the paper's SAE: 500 epochs × 40,000 rows = 2·10^7). Saturating at
     * {@code deadAfter} keeps them in range however long training runs and leaves the dead test
     * exactly as with an unbounded count, since a count past {@code deadAfter} stays past it until
     * it is reset. {@code rows} and {@code deadAfter} must not be negative.
     */
    void updateDeadLatents(Tensor values, Tensor indices, int rows, int deadAfter, Tensor rowsSinceFired, Tensor deadMask);

    /** Scales each row of {@code w [L, D]} to unit L2 norm; a zero row stays zero. */
    void normalizeRows(Tensor w);

    /**
     * Removes from each row of {@code grad} its component along the same row of {@code w} (unit
     * rows): {@code grad[i] -= ⟨grad[i], w[i]⟩ w[i]}, so a step keeps the rows' norms to first order.
     */
    void projectOutRows(Tensor grad, Tensor w);

    // ---- images ----

    /**
     * Rotates each square image of {@code images [batch, size, size]} by {@code quarterTurns × 90°}
     * clockwise into {@code out} (same shape, must not be {@code images}); see {@link Rot90}.
     */
    void rot90(Tensor images, int quarterTurns, Tensor out);

    /** Waits for queued work (a no-op on the CPU). */
    void synchronize();

    /** Releases the backend's own resources (thread pools, contexts). Tensors must be closed first. */
    @Override
    void close();
}
