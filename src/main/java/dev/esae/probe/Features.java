package dev.esae.probe;

/** A dense row-major feature matrix {@code [rows, cols]}: what a probe trains on and predicts from. */
public record Features(float[] values, int rows, int cols) {
    public Features {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values are not [" + rows + ", " + cols + "]");
        }
    }

    /** The rows {@code which} of this matrix, in that order. */
    public Features select(int[] which) {
        float[] out = new float[which.length * cols];
        for (int i = 0; i < which.length; i++) {
            System.arraycopy(values, which[i] * cols, out, i * cols, cols);
        }
        return new Features(out, which.length, cols);
    }

    /** The labels {@code which} of {@code y}, in that order. */
    public static boolean[] select(boolean[] y, int[] which) {
        boolean[] out = new boolean[which.length];
        for (int i = 0; i < which.length; i++) {
            out[i] = y[which[i]];
        }
        return out;
    }
}
