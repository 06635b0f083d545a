package dev.esae.equivariance;

/**
 * The coefficient of determination per output dimension, averaged: for each dimension j,
 * {@code 1 - SS_res/SS_tot} with {@code SS_tot} about that dimension's mean, then the plain mean
 * over dimensions (scikit-learn's {@code r2_score} with {@code multioutput="uniform_average"}).
 *
 * <p>One difference, as SPEC §3 asks: dimensions whose true values are constant ({@code SS_tot} = 0)
 * are skipped and counted, where scikit-learn scores them 1 (if predicted exactly) or 0.
 */
public final class R2 {
    /** The mean R² over the dimensions that vary, and how many constant ones were skipped. */
    public record Score(double mean, int skippedConstantDims) {}

    private R2() {}

    /** R² of {@code predicted} against {@code actual}, both {@code [rows, dims]} row-major. */
    public static Score score(float[] actual, float[] predicted, int rows, int dims) {
        double[] mean = new double[dims];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < dims; j++) {
                mean[j] += actual[i * dims + j];
            }
        }
        for (int j = 0; j < dims; j++) {
            mean[j] /= rows;
        }
        double[] ssTot = new double[dims];
        double[] ssRes = new double[dims];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < dims; j++) {
                double a = actual[i * dims + j];
                double t = a - mean[j];
                double r = a - predicted[i * dims + j];
                ssTot[j] += t * t;
                ssRes[j] += r * r;
            }
        }
        // Constant means every value equal: a mean computed in floating point could leave a tiny
        // non-zero SS_tot and a meaningless ratio.
        boolean[] varies = new boolean[dims];
        for (int i = 1; i < rows; i++) {
            for (int j = 0; j < dims; j++) {
                varies[j] |= actual[i * dims + j] != actual[j];
            }
        }
        double sum = 0;
        int used = 0;
        for (int j = 0; j < dims; j++) {
            if (varies[j]) {
                sum += 1 - ssRes[j] / ssTot[j];
                used++;
            }
        }
        return new Score(used == 0 ? Double.NaN : sum / used, dims - used);
    }
}
