package dev.esae.base;

import dev.esae.BuildInfo;
import dev.esae.train.Provenance;

/**
 * How a base model was (or is being) trained; saved as {@code config.json} beside its weights.
 *
 * @param epochs the epochs asked for
 * @param images images in the training set
 * @param orientations how the training set's shapes are oriented ({@code upright} or {@code random}, SPEC §1)
 */
public record BaseModelConfig(Architecture architecture, int epochs, int batch, float learningRate, long seed,
        String data, int images, String orientations) {
    /** The group order used for augmentation and activations (quarter turns). */
    public static final int GROUP_ORDER = 4;

    /** config.json after {@code epochsDone} epochs (null, null: the config a resumed run is checked against). */
    public BaseModelInfo toInfo(Integer epochsDone, Double finalLoss, Provenance provenance) {
        return new BaseModelInfo(BaseModelInfo.KIND, architecture.id(), Autoencoder.LATENT, Autoencoder.SIDE, GROUP_ORDER, epochs,
                epochsDone, batch, (double) learningRate, seed, data, images, orientations,
                "mse (mean over pixels), each batch rotated by a random power of g", finalLoss, BuildInfo.version(), provenance);
    }
}
