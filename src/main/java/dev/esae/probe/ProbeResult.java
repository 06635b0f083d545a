package dev.esae.probe;

/**
 * One probe's score on one task: which SAE (name, kind, K; {@code base} with K and L 0 for the
 * base activations), truncation length L, input, probe, task, and the test F1 with the positives
 * in each split.
 */
public record ProbeResult(String sae, String kind, int k, int length, ProbeInput input, String probe, ProbingTask task, double f1,
        int trainPositives, int testPositives) {
}
