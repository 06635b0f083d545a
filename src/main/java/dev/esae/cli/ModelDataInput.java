package dev.esae.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A base model and the dataset it is run on (activations, frontier). */
final class ModelDataInput {
    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Base model folder (from 'esae train-base').")
    Path model;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Dataset folder (from 'esae dataset'; e.g. the probe set).")
    Path data;
}
