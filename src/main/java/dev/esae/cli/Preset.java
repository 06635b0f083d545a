package dev.esae.cli;

import java.util.List;

/**
 * The sizes and schedules of {@code esae reproduce}. {@code paper} is SPEC's schedule; {@code quick}
 * and {@code tiny} shrink the data and the epochs, and probe fewer SAEs ({@code probeKs}), so that
 * they fit a laptop's ten minutes and a CI job's two.
 *
 * @param ks the K of every SAE trained (all five kinds at each)
 * @param probeKs the K whose SAEs are probed (every K of {@code ks} in {@code paper})
 * @param fitIterations the most iterations of the L-BFGS fit of M (it stops earlier when the loss stops falling)
 * @param xgbMaxBin XGBoost's histogram bins per feature: its default 256 in {@code paper}; 64 in
 *     {@code quick}, which makes the 256-feature probes (reconstructions, ψ) about 3× faster
 */
record Preset(String name, int trainImages, int probeImages, int baseEpochs, int fitEpochs, int fitIterations, int saeEpochs, List<Integer> ks,
        List<Integer> probeKs, List<Integer> lengths, List<String> probes, int xgbMaxBin) {

    static final Preset TINY = new Preset("tiny", 96, 160, 1, 2, 10, 1, List.of(8, 16, 32), List.of(8), List.of(8, 32),
            List.of("knn", "logreg"), 256);
    static final Preset QUICK = new Preset("quick", 2000, 600, 8, 40, 1000, 8, List.of(8, 16, 32), List.of(16), List.of(8, 32),
            List.of("knn", "logreg", "xgboost"), 64);
    static final Preset PAPER = new Preset("paper", 10_000, 2000, 100, 150, 2000, 500, List.of(8, 16, 32), List.of(8, 16, 32),
            List.of(8, 32), List.of("knn", "logreg", "xgboost"), 256);

    /** Every preset, in the order the help lists them. */
    static final List<Preset> ALL = List.of(TINY, QUICK, PAPER);

    /** The K whose equivariant SAE the feature atlas shows: the middle of the probed ones. */
    int atlasK() {
        return probeKs.get(probeKs.size() / 2);
    }
}
