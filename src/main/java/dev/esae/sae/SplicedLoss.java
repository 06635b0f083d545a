package dev.esae.sae;

import dev.esae.base.Autoencoder;
import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.data.CyclicGroup;

/**
 * The spliced loss (SPEC §6): ψ inside the base autoencoder replaced by the SAE's reconstruction,
 * the decoder run on it, and the MSE to the input image, beside the base model's own MSE. Every
 * image is scored in all n orientations; for the equivariant kind the reconstruction of
 * ψ(g^p x) is {@code M^p D(E(ψ(g^p x)))}.
 */
public final class SplicedLoss {
    private static final int CHUNK = 128;

    /**
     * The spliced loss of one SAE on a set of images.
     *
     * @param splicedMse the base decoder's MSE from the SAE's reconstruction of ψ
     * @param baseMse the base model's own MSE
     */
    public record Result(double splicedMse, double baseMse, double l1, double l0, int images) {}

    private SplicedLoss() {}

    /**
     * The part of the spliced loss that does not depend on the SAE: ψ of every image in every
     * orientation and the base model's own MSE. A frontier scores many SAEs on one set of images;
     * computed once, the encoder and the base decoder run once instead of once per SAE (the
     * numbers are the same: the same chunks through the same operations).
     */
    public static final class Base implements AutoCloseable {
        private final Tensor data;
        private final Tensor psi;
        private final CyclicGroup group;
        private final int count;
        private final double baseMse;

        private Base(Tensor data, Tensor psi, CyclicGroup group, int count, double baseMse) {
            this.data = data;
            this.psi = psi;
            this.group = group;
            this.count = count;
            this.baseMse = baseMse;
        }

        /** The rows of ψ for images {@code [start, start + size)} seen at power {@code p}. */
        private Tensor psi(int p, int start, int size) {
            return psi.rows(p * count + start, size);
        }

        @Override
        public void close() {
            psi.close();
            data.close();
        }
    }

    /**
     * ψ and the base model's MSE on {@code images} ({@code [N, 4096]} in [0, 1], the canonical
     * images) in every orientation of {@code group}.
     */
    public static Base prepare(Backend backend, Autoencoder model, float[] images, CyclicGroup group) {
        int count = images.length / Autoencoder.IMAGE;
        int n = group.order();
        int d = Autoencoder.LATENT;
        double base = 0;
        Tensor data = backend.upload(images, count, Autoencoder.SIDE, Autoencoder.SIDE);
        Tensor psiAll = null;
        try (Tensor rotated = backend.zeros(DType.F32, CHUNK, Autoencoder.SIDE, Autoencoder.SIDE);
             Tensor grad = backend.zeros(DType.F32, CHUNK, Autoencoder.IMAGE);
             Tensor loss = backend.zeros(DType.F32, 1)) {
            psiAll = backend.zeros(DType.F32, n * count, d);
            for (int start = 0; start < count; start += CHUNK) {
                int size = Math.min(CHUNK, count - start);
                Tensor x = rotated.rows(0, size);
                Tensor gr = grad.rows(0, size);
                for (int p = 0; p < n; p++) {
                    backend.rot90(data.rows(start, size), group.quarterTurns(p), x);
                    Tensor flat = x.reshape(size, Autoencoder.IMAGE);
                    Tensor ps = psiAll.rows(p * count + start, size);
                    backend.copy(model.encode(flat), ps);
                    backend.mseLoss(model.decode(ps), flat, gr, loss);
                    base += backend.download(loss)[0] * size;
                }
            }
            return new Base(data, psiAll, group, count, base / ((double) count * n));
        } catch (RuntimeException e) {
            data.close();
            if (psiAll != null) {
                psiAll.close();
            }
            throw e;
        }
    }

    /**
     * {@link #prepare} and {@link #evaluate(Backend, Autoencoder, TopKSae, SaeKind, float[], Base)} in one.
     *
     * @param images {@code [N, 4096]} in [0, 1] (the canonical images)
     * @param m M for the equivariant kind, else ignored
     * @return the spliced and base MSE (means over pixels), L1 and L0 of z (means over rows, every orientation of every image)
     */
    public static Result evaluate(Backend backend, Autoencoder model, TopKSae sae, SaeKind kind, float[] m,
            float[] images, CyclicGroup group) {
        try (Base base = prepare(backend, model, images, group)) {
            return evaluate(backend, model, sae, kind, m, base);
        }
    }

    /** The spliced loss of one SAE on the images of {@code base} (prepared with the same model). */
    public static Result evaluate(Backend backend, Autoencoder model, TopKSae sae, SaeKind kind, float[] m, Base base) {
        int count = base.count;
        int n = base.group.order();
        int d = Autoencoder.LATENT;
        if (sae.dim() != d) {
            throw new IllegalArgumentException("the SAE has d = " + sae.dim() + ", the base model's psi has " + d);
        }
        double spliced = 0;
        double l1 = 0;
        long l0 = 0;
        try (Tensor rotated = backend.zeros(DType.F32, CHUNK, Autoencoder.SIDE, Autoencoder.SIDE);
             Tensor recon = backend.zeros(DType.F32, CHUNK, d);
             Tensor tmp = backend.zeros(DType.F32, CHUNK, d);
             Tensor grad = backend.zeros(DType.F32, CHUNK, Autoencoder.IMAGE);
             Tensor loss = backend.zeros(DType.F32, 1);
             Tensor mt = kind.needsTransform() ? backend.upload(m, d, d) : null) {
            for (int start = 0; start < count; start += CHUNK) {
                int size = Math.min(CHUNK, count - start);
                Tensor x = rotated.rows(0, size);
                Tensor rc = recon.rows(0, size);
                Tensor tp = tmp.rows(0, size);
                Tensor gr = grad.rows(0, size);
                for (int p = 0; p < n; p++) {
                    backend.rot90(base.data.rows(start, size), base.group.quarterTurns(p), x);
                    Tensor flat = x.reshape(size, Autoencoder.IMAGE);
                    backend.copy(sae.forward(base.psi(p, start, size)), rc);
                    for (float z : backend.download(sae.latentValues())) {
                        l1 += z;
                        l0 += z > 0 ? 1 : 0;
                    }
                    if (kind.needsTransform()) {
                        for (int q = 0; q < p; q++) {
                            backend.gemm(false, true, 1f, rc, mt, 0f, tp);
                            backend.copy(tp, rc);
                        }
                    }
                    backend.mseLoss(model.decode(rc), flat, gr, loss);
                    spliced += backend.download(loss)[0] * size;
                }
            }
        }
        double rows = (double) count * n;
        return new Result(spliced / rows, base.baseMse, l1 / rows, l0 / rows, count);
    }
}
