package dev.esae.probe;

import dev.esae.compute.cpu.HostMath;

/**
 * k-nearest-neighbour probe (SPEC §5: k = 16, Euclidean). A row is positive when more than half of
 * its k nearest training rows are; a tie (8 against 8) is negative, as scikit-learn resolves it
 * (the lower class). Among equally distant training rows the earlier one is nearer, so the
 * prediction is deterministic.
 */
public final class KnnProbe implements Probe {
    public static final int DEFAULT_K = 16;

    private final int k;

    public KnnProbe(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k = " + k + " must be >= 1");
        }
        this.k = k;
    }

    public KnnProbe() {
        this(DEFAULT_K);
    }

    @Override
    public String name() {
        return "knn";
    }

    @Override
    public ProbeModel fit(Features x, boolean[] y) {
        if (x.rows() != y.length) {
            throw new IllegalArgumentException(x.rows() + " rows, " + y.length + " labels");
        }
        Features train = new Features(x.values().clone(), x.rows(), x.cols());
        boolean[] labels = y.clone();
        return test -> predict(train, labels, test);
    }

    private boolean[] predict(Features train, boolean[] labels, Features test) {
        if (test.cols() != train.cols()) {
            throw new IllegalArgumentException("trained on " + train.cols() + " features, given " + test.cols());
        }
        int kk = Math.min(k, train.rows());
        int cols = train.cols();
        float[] tv = train.values();
        float[] xv = test.values();
        boolean[] out = new boolean[test.rows()];
        float[] bestDist = new float[kk];
        int[] bestIdx = new int[kk];
        for (int r = 0; r < test.rows(); r++) {
            int filled = 0;
            for (int t = 0; t < train.rows(); t++) {
                float dist = HostMath.squaredDistance(xv, r * cols, tv, t * cols, cols);
                if (filled == kk && !(dist < bestDist[kk - 1])) {
                    continue;
                }
                // Insertion into the sorted k best; strict '<' keeps the earlier row ahead on ties.
                int at = filled == kk ? kk - 1 : filled++;
                while (at > 0 && dist < bestDist[at - 1]) {
                    bestDist[at] = bestDist[at - 1];
                    bestIdx[at] = bestIdx[at - 1];
                    at--;
                }
                bestDist[at] = dist;
                bestIdx[at] = t;
            }
            int positives = 0;
            for (int i = 0; i < kk; i++) {
                positives += labels[bestIdx[i]] ? 1 : 0;
            }
            out[r] = 2 * positives > kk;
        }
        return out;
    }
}
