package dev.esae.base;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.nn.Conv2d;
import dev.esae.nn.ConvTranspose2d;
import dev.esae.nn.Layer;
import dev.esae.nn.Linear;
import dev.esae.nn.Parameter;
import dev.esae.nn.ReLU;
import dev.esae.nn.Sequential;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A base autoencoder of SPEC §2 (the paper's Table 1). Images go in as {@code [batch, 4096]}
 * (64×64 row-major, which is also NHWC with one channel); the encoder ends at ψ, the 256 values
 * before the ReLU that starts the decoder.
 *
 * <pre>
 * MLP: Linear(4096,256) ReLU Linear(256,256) | ReLU Linear(256,256) ReLU Linear(256,4096)
 * CNN: Conv2d(1,16,3,s2,p1) ReLU Conv2d(16,32,3,s2,p1) ReLU Conv2d(32,256,16)
 *      | ReLU ConvTranspose2d(256,32,16) ReLU ConvTranspose2d(32,16,3,s2,p1,op1) ReLU
 *        ConvTranspose2d(16,1,3,s2,p1,op1)
 * </pre>
 *
 * Parameter names and layouts are PyTorch's ({@code encoder.0.weight}, ...), so a saved model loads
 * into the equivalent {@code nn.Sequential} pair with {@code load_state_dict}.
 */
public final class Autoencoder implements AutoCloseable {
    /** Side of an input image. */
    public static final int SIDE = 64;
    /** Values per input image. */
    public static final int IMAGE = SIDE * SIDE;
    /** Dimension of ψ. */
    public static final int LATENT = 256;

    private final Architecture architecture;
    private final Sequential encoder;
    private final Sequential decoder;

    private Autoencoder(Architecture architecture, Sequential encoder, Sequential decoder) {
        this.architecture = architecture;
        this.encoder = encoder;
        this.decoder = decoder;
    }

    /** A new model with PyTorch's default initialisation drawn from {@code seed}. */
    public static Autoencoder create(Backend backend, DType dtype, Architecture arch, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        if (arch == Architecture.MLP) {
            Sequential enc = new Sequential(List.of(
                    new Linear(backend, dtype, IMAGE, 256, false, rng),
                    new ReLU(backend, dtype, 256),
                    new Linear(backend, dtype, 256, LATENT, true, rng)));
            Sequential dec = new Sequential(List.of(
                    new ReLU(backend, dtype, LATENT),
                    new Linear(backend, dtype, LATENT, 256, true, rng),
                    new ReLU(backend, dtype, 256),
                    new Linear(backend, dtype, 256, IMAGE, true, rng)));
            return new Autoencoder(arch, enc, dec);
        }
        Sequential enc = new Sequential(List.<Layer>of(
                new Conv2d(backend, dtype, 64, 64, 1, 16, 3, 2, 1, false, rng),
                new ReLU(backend, dtype, 32 * 32 * 16),
                new Conv2d(backend, dtype, 32, 32, 16, 32, 3, 2, 1, true, rng),
                new ReLU(backend, dtype, 16 * 16 * 32),
                new Conv2d(backend, dtype, 16, 16, 32, LATENT, 16, 1, 0, true, rng)));
        Sequential dec = new Sequential(List.<Layer>of(
                new ReLU(backend, dtype, LATENT),
                new ConvTranspose2d(backend, dtype, 1, 1, LATENT, 32, 16, 1, 0, 0, true, rng),
                new ReLU(backend, dtype, 16 * 16 * 32),
                new ConvTranspose2d(backend, dtype, 16, 16, 32, 16, 3, 2, 1, 1, true, rng),
                new ReLU(backend, dtype, 32 * 32 * 16),
                new ConvTranspose2d(backend, dtype, 32, 32, 16, 1, 3, 2, 1, 1, true, rng)));
        return new Autoencoder(arch, enc, dec);
    }

    public Architecture architecture() {
        return architecture;
    }

    public Sequential encoder() {
        return encoder;
    }

    public Sequential decoder() {
        return decoder;
    }

    /** ψ of {@code images [batch, 4096]}: {@code [batch, 256]}, valid until the next call. */
    public Tensor encode(Tensor images) {
        return encoder.forward(images).reshape(images.dim(0), LATENT);
    }

    /** Decodes ψ {@code [batch, 256]} into images {@code [batch, 4096]}. */
    public Tensor decode(Tensor psi) {
        return decoder.forward(psi).reshape(psi.dim(0), IMAGE);
    }

    /** The reconstruction of {@code images}. */
    public Tensor forward(Tensor images) {
        return decode(encode(images));
    }

    /** Sets every parameter's gradient from the gradient of the loss with respect to the reconstruction. */
    public void backward(Tensor gradReconstruction) {
        encoder.backward(decoder.backward(gradReconstruction));
    }

    /** All parameters by PyTorch {@code state_dict} name, encoder first. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> all = new LinkedHashMap<>(encoder.namedParameters("encoder"));
        all.putAll(decoder.namedParameters("decoder"));
        return all;
    }

    /** GEMM FLOPs of one training step per image (see {@link dev.esae.nn.Layer#trainingFlopsPerSample()}). */
    public long trainingFlopsPerImage() {
        return encoder.trainingFlopsPerSample() + decoder.trainingFlopsPerSample();
    }

    /** Number of trainable values. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            n += p.value().size();
        }
        return n;
    }

    @Override
    public void close() {
        encoder.close();
        decoder.close();
    }
}
