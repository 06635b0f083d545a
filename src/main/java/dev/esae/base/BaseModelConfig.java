package dev.esae.base;

import dev.esae.BuildInfo;
import dev.esae.InputException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** The fields as a JSON object, with what was trained and how far. */
    public Map<String, Object> toJson(int epochsDone, Double finalLoss) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "base-autoencoder");
        m.put("arch", architecture.id());
        m.put("latent_dim", Autoencoder.LATENT);
        m.put("image_size", Autoencoder.SIDE);
        m.put("group_order", GROUP_ORDER);
        m.put("epochs", epochs);
        m.put("epochs_done", epochsDone);
        m.put("batch", batch);
        m.put("lr", (double) learningRate);
        m.put("seed", seed);
        m.put("data", data);
        m.put("images", images);
        m.put("orientations", orientations);
        m.put("loss", "mse (mean over pixels), each batch rotated by a random power of g");
        m.put("final_loss", finalLoss);
        m.put("esae_version", BuildInfo.version());
        return m;
    }

    /** Reads the fields back from {@code config.json}; an {@link InputException} naming the file if any is off. */
    public static BaseModelConfig fromJson(Path file, Map<String, Object> m) {
        Object arch = m.get("arch");
        Architecture a = arch instanceof String s ? Architecture.fromId(s) : null;
        if (a == null || !"base-autoencoder".equals(m.get("kind"))) {
            throw new InputException(file + ": not a base model config (expected \"kind\": \"base-autoencoder\" and \"arch\": \"mlp\" or \"cnn\")");
        }
        return new BaseModelConfig(a, intField(file, m, "epochs"), intField(file, m, "batch"),
                (float) numberField(file, m, "lr"), (long) numberField(file, m, "seed"),
                String.valueOf(m.get("data")), intField(file, m, "images"),
                m.get("orientations") instanceof String o ? o : "unknown");
    }

    static int intField(Path file, Map<String, Object> m, String key) {
        double v = numberField(file, m, key);
        if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
            throw new InputException(file + ": \"" + key + "\" must be a whole number, found " + m.get(key));
        }
        return (int) v;
    }

    static double numberField(Path file, Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new InputException(file + ": missing number \"" + key + "\"");
        }
        return n.doubleValue();
    }
}
