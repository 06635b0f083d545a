package dev.esae.probe;

/**
 * The F1 score of binary predictions, {@code 2·TP / (2·TP + FP + FN)}; 0 when there is nothing
 * to score (no positive among truth and predictions), as scikit-learn's {@code zero_division=0}.
 */
public final class F1 {
    private F1() {}

    public static double score(boolean[] truth, boolean[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " labels, " + predicted.length + " predictions");
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] && truth[i]) {
                tp++;
            } else if (predicted[i]) {
                fp++;
            } else if (truth[i]) {
                fn++;
            }
        }
        long denom = 2 * tp + fp + fn;
        return denom == 0 ? 0 : 2.0 * tp / denom;
    }
}
