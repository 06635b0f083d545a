package dev.esae.probe;

/** A trained binary probe. */
public interface ProbeModel {
    /** The predicted class of every row of {@code x}. */
    boolean[] predict(Features x);

    /** A model that predicts {@code value} for every row (a training split with one class). */
    static ProbeModel constant(boolean value) {
        return x -> {
            boolean[] out = new boolean[x.rows()];
            java.util.Arrays.fill(out, value);
            return out;
        };
    }
}
