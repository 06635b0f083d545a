package dev.esae.cli;

import picocli.CommandLine.Option;

/** Adam's batch and learning rate, shared by train-base, train-sae and fit-m. */
final class OptimizerOptions {
    @Option(names = "--batch", paramLabel = "B", defaultValue = "64",
            description = "Inputs per step: images (train-base), or inputs each in all n orientations (train-sae, fit-m). Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveInt.class)
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveFloat.class)
    float lr;
}
