package dev.esae.probe;

/**
 * The logistic probe's objective as it was written before it was vectorised (row by row, each
 * row's decision value one scalar sum over j, three exponentials per row): the reference the
 * current {@link LogisticProbe.Objective} must match bit for bit.
 */
final class NaiveLogisticObjective {
    private final double[] z;
    private final int n;
    private final int cols;
    private final boolean[] y;
    private final double l2;

    NaiveLogisticObjective(double[] z, int n, int cols, boolean[] y, double l2) {
        this.z = z;
        this.n = n;
        this.cols = cols;
        this.y = y;
        this.l2 = l2;
    }

    double evaluate(double[] w, double[] grad) {
        java.util.Arrays.fill(grad, 0);
        double loss = 0;
        double b = w[cols];
        for (int r = 0; r < n; r++) {
            double s = b;
            int at = r * cols;
            for (int j = 0; j < cols; j++) {
                s += w[j] * z[at + j];
            }
            loss += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - (y[r] ? s : 0);
            double err = sigmoid(s) - (y[r] ? 1 : 0);
            for (int j = 0; j < cols; j++) {
                grad[j] += err * z[at + j];
            }
            grad[cols] += err;
        }
        double reg = 0;
        for (int j = 0; j <= cols; j++) {
            grad[j] /= n;
        }
        for (int j = 0; j < cols; j++) {
            grad[j] += l2 * w[j];
            reg += w[j] * w[j];
        }
        return loss / n + 0.5 * l2 * reg;
    }

    private static double sigmoid(double s) {
        return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
    }
}
