package dev.esae.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees through XGBoost4J (SPEC §5: 100 trees, depth 6, learning rate 0.3, L2
 * regularisation λ = 1), objective {@code binary:logistic}, positive when the probability is above
 * 0.5. XGBoost4J's only build on Maven Central is for the CPU, so this probe runs on the CPU on
 * every machine. {@code nthread} is XGBoost's own thread count per fit; the probe suite runs one
 * fit per core with {@code nthread = 1}, which keeps XGBoost's thread pool out of the way.
 */
public final class XgboostProbe implements Probe {
    public static final int TREES = 100;
    public static final int DEPTH = 6;
    public static final double ETA = 0.3;
    public static final double LAMBDA = 1.0;

    private final Map<String, Object> params;

    /**
     * @param maxBin XGBoost's histogram bins per feature (its default is 256)
     */
    public XgboostProbe(int nthread, long seed, int maxBin) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("objective", "binary:logistic");
        p.put("max_depth", DEPTH);
        p.put("eta", ETA);
        p.put("lambda", LAMBDA);
        p.put("tree_method", "hist");
        p.put("max_bin", maxBin);
        p.put("nthread", nthread);
        p.put("seed", seed);
        p.put("verbosity", 0);
        this.params = Map.copyOf(p);
    }

    public XgboostProbe(int nthread, long seed) {
        this(nthread, seed, 256);
    }

    @Override
    public String name() {
        return "xgboost";
    }

    /** The parameters passed to XGBoost, as recorded beside results. */
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public ProbeModel fit(Features x, boolean[] y) {
        if (x.rows() != y.length) {
            throw new IllegalArgumentException(x.rows() + " rows, " + y.length + " labels");
        }
        float[] labels = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            labels[i] = y[i] ? 1 : 0;
        }
        DMatrix train = null;
        try {
            train = new DMatrix(x.values(), x.rows(), x.cols(), Float.NaN);
            train.setLabel(labels);
            Booster booster = XGBoost.train(train, params, TREES, Map.of(), null, null);
            return new TreesModel(booster, x.cols());
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to train a probe: " + e.getMessage(), e);
        } finally {
            if (train != null) {
                train.dispose();
            }
        }
    }

    /** A trained booster on {@code cols} features; {@link #close} frees its native memory. */
    record TreesModel(Booster booster, int cols) implements ProbeModel, AutoCloseable {
        @Override
        public boolean[] predict(Features x) {
            if (x.cols() != cols) {
                throw new IllegalArgumentException("trained on " + cols + " features, given " + x.cols());
            }
            DMatrix m = null;
            try {
                m = new DMatrix(x.values(), x.rows(), x.cols(), Float.NaN);
                float[][] p = booster.predict(m);
                boolean[] out = new boolean[x.rows()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = p[i][0] > 0.5f;
                }
                return out;
            } catch (XGBoostError e) {
                throw new IllegalStateException("XGBoost failed to predict: " + e.getMessage(), e);
            } finally {
                if (m != null) {
                    m.dispose();
                }
            }
        }

        @Override
        public void close() {
            booster.dispose();
        }
    }
}
