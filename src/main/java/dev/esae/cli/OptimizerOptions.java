package dev.esae.cli;

import picocli.CommandLine.Option;

/** Adam's batch and learning rate, shared by train-base, train-sae and fit-m. */
final class OptimizerOptions {
    @Option(names = "--batch", paramLabel = "B", defaultValue = "64",
            description = "Inputs per step (of activations: each in all n orientations). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    float lr;

    /** Checks the numbers; an InputException naming the option otherwise. */
    void check() {
        Options.requirePositive("--batch", batch);
        Options.requirePositiveFinite("--lr", lr);
    }
}
