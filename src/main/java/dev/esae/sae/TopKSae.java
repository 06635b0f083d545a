package dev.esae.sae;

import static dev.esae.sae.Workspace.rows;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.nn.Linear;
import dev.esae.nn.Parameter;
import dev.esae.nn.ReLU;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A TopK sparse autoencoder (SPEC §4) with sparse-aware training: {@code pre = E(a − b_dec)},
 * {@code z = max(TopK(pre), 0)}, {@code x̂ = z W_dec + b_dec}. The encoder E is linear
 * ({@code W_enc, b_enc}) or two-layer ({@code Linear(d, hidden) ReLU} then {@code W_enc, b_enc}).
 *
 * <p>Only the encoder's forward product is dense. The decoder's forward pass, its weight
 * gradient, the gradient of the selected latents, the encoder's last-layer weight and bias
 * gradients and the gradient flowing back into the encoder all run over the K selected latents of
 * each row ({@link Backend#sparseDecode}, {@link Backend#sparseBackward},
 * {@link Backend#sparseOuterAccumulate}), never as {@code [batch × latents]} products. Per row this is
 * {@code 2·K·d} FLOPs for the decode instead of {@code 2·L·d}.
 *
 * <p>Weights are held as {@code W_enc [L, h]} and {@code W_dec [L, d]} so that each latent's
 * rows are contiguous; SAELens's {@code W_enc [d_in, d_sae]} is the transpose.
 *
 * <p>A step's scratch tensors live in one workspace per branch ({@code TopKWorkspace},
 * {@code AuxKWorkspace}), made for the largest batch so far; AuxK's dead-latent counters stay on
 * the backend ({@code DeadLatents}), so a training step reads nothing back to the host.
 */
public final class TopKSae implements AutoCloseable {
    private final Backend backend;
    private final int dim;
    private final int latents;
    private final int k;
    private final int hidden;
    private final Parameter bDec;
    private final Linear first;
    private final ReLU firstRelu;
    private final Parameter wEnc;
    private final Parameter bEnc;
    private final Parameter wDec;
    private final Tensor bEncGradColumn;
    private TopKWorkspace main;
    private Tensor lastHidden;
    private int lastBatch;
    // AuxK branch (OpenAI's TopK SAE paper): dead latents reconstruct the main residual.
    private int auxK;
    private float auxCoef;
    private DeadLatents dead;
    private AuxKWorkspace aux;

    /**
     * A new SAE: decoder rows random unit vectors, {@code W_enc} their transpose (the usual TopK
     * SAE initialisation), biases zero; the two-layer encoder's first layer as PyTorch initialises it.
     *
     * @param hidden 0 for a linear encoder, else the first layer's width (512 in SPEC)
     */
    public TopKSae(Backend backend, int dim, int latents, int k, int hidden, long seed) {
        if (k < 1 || k > latents) {
            throw new IllegalArgumentException("K = " + k + " must be in [1, " + latents + "]");
        }
        this.backend = backend;
        this.dim = dim;
        this.latents = latents;
        this.k = k;
        this.hidden = hidden;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] dec = new double[latents * dim];
        for (int i = 0; i < latents; i++) {
            double ss = 0;
            for (int j = 0; j < dim; j++) {
                double v = rng.nextGaussian();
                dec[i * dim + j] = v;
                ss += v * v;
            }
            double inv = 1 / Math.sqrt(ss);
            for (int j = 0; j < dim; j++) {
                dec[i * dim + j] *= inv;
            }
        }
        int h = hidden == 0 ? dim : hidden;
        this.first = hidden == 0 ? null : new Linear(backend, DType.F32, dim, hidden, true, rng);
        this.firstRelu = hidden == 0 ? null : new ReLU(backend, DType.F32, hidden);
        double[] enc = hidden == 0 ? dec.clone() : dev.esae.nn.Init.uniformFanIn(rng, latents * h, h);
        this.bDec = new Parameter(backend, DType.F32, "b_dec", new int[] {dim}, new double[dim]);
        this.wEnc = new Parameter(backend, DType.F32, "W_enc", new int[] {latents, h}, enc);
        this.bEnc = new Parameter(backend, DType.F32, "b_enc", new int[] {latents}, new double[latents]);
        this.wDec = new Parameter(backend, DType.F32, "W_dec", new int[] {latents, dim}, dec);
        this.bEncGradColumn = bEnc.grad().reshape(latents, 1);
    }

    public int dim() {
        return dim;
    }

    public int latents() {
        return latents;
    }

    public int k() {
        return k;
    }

    /** Width of the encoder's input to its last layer: d for a linear encoder, else {@code hidden}. */
    private int encoderWidth() {
        return hidden == 0 ? dim : hidden;
    }

    /** Workspaces for {@code batch} rows: each branch's made anew when a larger batch comes. */
    private void ensure(int batch) {
        if (main == null || batch > main.capacity) {
            if (main != null) {
                main.close();
            }
            main = new TopKWorkspace(backend, batch, dim, latents, k, encoderWidth());
        }
        if (auxK > 0 && (aux == null || batch > aux.capacity)) {
            if (aux != null) {
                aux.close();
            }
            aux = new AuxKWorkspace(backend, batch, dim, latents, auxK, encoderWidth());
        }
    }

    /** Sets {@code b_dec} (e.g. to the data's mean before training). */
    public void setDecoderBias(float[] bias) {
        try (Tensor t = backend.upload(bias, dim)) {
            backend.copy(t, bDec.value());
        }
    }

    /**
     * Turns on the AuxK loss: {@code coef · mean((e − ê)²)} with {@code e = target − x̂} (held
     * constant) and {@code ê = z_aux W_dec}, where {@code z_aux} keeps the {@code auxK} largest
     * pre-activations among the dead latents: those that have not fired (been selected with a
     * positive value) in the last {@code deadAfterRows} rows, counted on the backend by each
     * {@link #backward(Tensor, Tensor, Tensor)}. It gives dead latents a gradient towards what the
     * live ones miss. {@code auxK} 0 turns it off; every call starts counting afresh.
     */
    public void enableAuxK(int auxK, float coef, int deadAfterRows) {
        if (auxK < 0 || auxK > latents) {
            throw new IllegalArgumentException("k_aux = " + auxK + " must be in [0, " + latents + "]");
        }
        DeadLatents counting = auxK > 0 ? new DeadLatents(backend, latents, deadAfterRows) : null;
        closeAuxK();
        this.auxK = auxK;
        this.auxCoef = coef;
        this.dead = counting;
    }

    /** Sets AuxK's rows-since-fired counters (tests start the bookkeeping from a chosen state). */
    void setRowsSinceFired(int[] counts) {
        dead.setRowsSinceFired(counts);
    }

    /** The reconstruction {@code x̂ [B, d]} of {@code a [B, d]}; valid until the next call. */
    public Tensor forward(Tensor a) {
        int batch = a.dim(0);
        ensure(batch);
        lastBatch = batch;
        Tensor c = rows(main.centered, batch);
        backend.copy(a, c);
        // a − b_dec as a rank-1 update: ones[B,1] · b_dec[1,d] subtracted.
        backend.gemm(false, false, -1f, rows(main.ones, batch), bDec.value().reshape(1, dim), 1f, c);
        lastHidden = hidden == 0 ? c : firstRelu.forward(first.forward(c));
        Tensor p = rows(main.pre, batch);
        backend.gemm(false, true, 1f, lastHidden, wEnc.value(), 0f, p);
        backend.addRowVector(p, bEnc.value());
        Tensor o = rows(main.out, batch);
        selectAndDecode(p, k, rows(main.vals, batch), rows(main.idx, batch), rows(main.z, batch), o);
        backend.addRowVector(o, bDec.value());
        return o;
    }

    /**
     * A branch's code and reconstruction: the {@code k} largest of {@code pre} per row into
     * {@code (vals, idx)}, {@code z = max(vals, 0)}, and {@code out = z W_dec} over those rows.
     * Shared by the main and the AuxK branch.
     */
    private void selectAndDecode(Tensor pre, int k, Tensor vals, Tensor idx, Tensor z, Tensor out) {
        backend.topk(pre, k, vals, idx);
        backend.relu(vals, z);
        backend.sparseDecode(z, idx, wDec.value(), out);
    }

    /** The non-negative latent values {@code [B, K]} of the last forward pass. */
    public Tensor latentValues() {
        return rows(main.z, lastBatch);
    }

    /** The AuxK branch's selected latents {@code [B, k_aux]} of the last backward pass. */
    public Tensor auxIndices() {
        return rows(aux.idx, lastBatch);
    }

    /** Their latent indices {@code [B, K]}, each row by value descending. */
    public Tensor latentIndices() {
        return rows(main.idx, lastBatch);
    }

    /**
     * A training step's backward pass: sets every parameter's gradient from {@code dOut [B, d]},
     * the loss gradient at x̂. With AuxK on, it first counts the last forward pass's batch in the
     * dead-latent bookkeeping (so call it once per step), {@code target [B, d]} is what x̂ was
     * trained towards (for the residual) and {@code lossSum[0]} receives the auxiliary loss.
     */
    public void backward(Tensor dOut, Tensor target, Tensor lossSum) {
        if (auxK > 0) {
            // Before AuxK selects: a latent that fired in this batch is not dead for it.
            dead.update(latentValues(), latentIndices());
        }
        backwardTop(dOut);
        if (auxK > 0) {
            auxBackward(target, lossSum);
        }
        backwardBottom();
    }

    /** The AuxK branch: adds its gradients to those {@link #backwardTop} set. */
    private void auxBackward(Tensor target, Tensor lossSum) {
        int batch = lastBatch;
        Tensor ap = rows(aux.pre, batch);
        backend.copy(rows(main.pre, batch), ap);
        backend.addRowVector(ap, dead.mask());
        Tensor ai = rows(aux.idx, batch);
        Tensor az = rows(aux.z, batch);
        Tensor ao = rows(aux.out, batch);
        selectAndDecode(ap, auxK, rows(aux.vals, batch), ai, az, ao);
        Tensor e = rows(aux.residual, batch);
        backend.copy(target, e);
        backend.axpy(-1f, rows(main.out, batch), e);
        Tensor g = rows(aux.grad, batch);
        backend.mseLoss(ao, e, g, aux.loss);
        backend.axpy(auxCoef, aux.loss, lossSum);
        Tensor gs = rows(aux.gradScaled, batch);
        backend.fill(gs, 0f);
        backend.axpy(auxCoef, g, gs);
        Tensor dh2 = rows(aux.dh, batch);
        throughSelected(az, ai, gs, true, rows(aux.dvals, batch), dh2);
        // Joins the main branch's gradient at the last layer's input, before the layers below.
        backend.axpy(1f, dh2, rows(main.dh, batch));
    }

    /** Sets every parameter's gradient from {@code dOut [B, d]}, the loss gradient at x̂. */
    public void backward(Tensor dOut) {
        backwardTop(dOut);
        backwardBottom();
    }

    /** The decoder and the encoder's last layer, down to the gradient at that layer's input. */
    private void backwardTop(Tensor dOut) {
        int batch = lastBatch;
        backend.sumRows(dOut, 0f, bDec.grad());
        backend.fill(bEnc.grad(), 0f);
        // W_dec's and W_enc's gradients are overwritten here, not zeroed first.
        throughSelected(rows(main.z, batch), rows(main.idx, batch), dOut, false, rows(main.dvals, batch), rows(main.dh, batch));
    }

    /**
     * Back from a decoded output through the selected latents {@code (values, indices)}: sets
     * ({@code accumulate} false) or adds to the gradients of W_dec and W_enc over the selected rows
     * ({@link Backend#sparseBackward}), adds to b_enc's, and writes the gradient at the encoder's
     * last-layer input into {@code dhOut}. Shared by the main and the AuxK branch.
     */
    private void throughSelected(Tensor values, Tensor indices, Tensor dOut, boolean accumulate, Tensor dvalsWork, Tensor dhOut) {
        backend.sparseBackward(values, indices, dOut, wDec.value(), lastHidden, accumulate, wDec.grad(), wEnc.grad(), dvalsWork);
        backend.sparseOuterAccumulate(dvalsWork, indices, rows(main.ones, lastBatch), bEncGradColumn);
        backend.sparseDecode(dvalsWork, indices, wEnc.value(), dhOut);
    }

    /** The encoder below its last layer, and b_dec's gradient through the centred input. */
    private void backwardBottom() {
        Tensor h = rows(main.dh, lastBatch);
        Tensor dCentered = hidden == 0 ? h : first.backward(firstRelu.backward(h));
        // The encoder sees a − b_dec: b_dec's gradient from that path is minus the column sums.
        backend.sumRows(dCentered, 0f, main.biasSum);
        backend.axpy(-1f, main.biasSum, bDec.grad());
    }

    /** Removes each decoder gradient row's component along its (unit) row, before the step. */
    public void constrainDecoderGradient() {
        backend.projectOutRows(wDec.grad(), wDec.value());
    }

    /** Puts the decoder rows back on the unit sphere, after the step. */
    public void normalizeDecoder() {
        backend.normalizeRows(wDec.value());
    }

    /** Every parameter by name (the encoder's first layer as {@code encoder.0.*}). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        if (first != null) {
            m.put("encoder.0.weight", first.parameters().get(0));
            m.put("encoder.0.bias", first.parameters().get(1));
        }
        m.put("W_enc", wEnc);
        m.put("b_enc", bEnc);
        m.put("W_dec", wDec);
        m.put("b_dec", bDec);
        return m;
    }

    /** All parameters, in {@link #namedParameters()} order. */
    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Releases the AuxK branch's bookkeeping and workspace. */
    private void closeAuxK() {
        if (dead != null) {
            dead.close();
            dead = null;
        }
        if (aux != null) {
            aux.close();
            aux = null;
        }
    }

    @Override
    public void close() {
        closeAuxK();
        if (main != null) {
            main.close();
        }
        if (first != null) {
            first.close();
            firstRelu.close();
        }
        bDec.close();
        wEnc.close();
        bEnc.close();
        wDec.close();
    }
}
