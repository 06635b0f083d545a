package dev.esae.base;

import dev.esae.InputException;
import dev.esae.train.Provenance;
import java.nio.file.Path;

/**
 * A base model folder's {@code config.json}: its {@link BaseModelConfig}, the fixed shapes, how
 * far training went and where it came from. The boxed fields are null when a file leaves them out
 * ({@link #toConfig} then names the one missing).
 *
 * @param epochsDone epochs trained so far (null in the config a resumed run is checked against)
 * @param finalLoss the last epoch's loss (null before the first)
 */
public record BaseModelInfo(String kind, String arch, Integer latentDim, Integer imageSize, Integer groupOrder, Integer epochs,
        Integer epochsDone, Integer batch, Double lr, Long seed, String data, Integer images, String orientations, String loss,
        Double finalLoss, String esaeVersion, Provenance provenance) {
    static final String KIND = "base-autoencoder";

    /** The config back, checked; an {@link InputException} naming {@code file} and the field that is off. */
    public BaseModelConfig toConfig(Path file) {
        Architecture a = arch == null ? null : Architecture.fromId(arch);
        if (a == null || !KIND.equals(kind)) {
            throw new InputException(file + ": not a base model config (expected \"kind\": \"base-autoencoder\" and \"arch\": \"mlp\" or \"cnn\")");
        }
        return new BaseModelConfig(a, whole(file, "epochs", epochs), whole(file, "batch", batch), (float) number(file, "lr", lr),
                (long) number(file, "seed", seed == null ? null : seed.doubleValue()), String.valueOf(data), whole(file, "images", images),
                orientations != null ? orientations : "unknown");
    }

    private static int whole(Path file, String key, Integer v) {
        if (v == null) {
            throw new InputException(file + ": missing number \"" + key + "\"");
        }
        if (v < 0) {
            throw new InputException(file + ": \"" + key + "\" must be a whole number, found " + v);
        }
        return v;
    }

    private static double number(Path file, String key, Double v) {
        if (v == null) {
            throw new InputException(file + ": missing number \"" + key + "\"");
        }
        return v;
    }
}
