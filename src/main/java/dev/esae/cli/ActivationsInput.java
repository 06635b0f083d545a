package dev.esae.cli;

import dev.esae.equivariance.ActivationSet;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The activations a command reads: {@code [N, n, d]}, or {@code [N, d]} with the powers of each row. */
final class ActivationsInput {
    @Option(names = "--acts", paramLabel = "FILE", required = true, description = "Activations: float32 [N, n, d] (from 'esae activations').")
    Path acts;

    @Option(names = "--powers", paramLabel = "FILE", description = "Powers of a flat [N, d] file: whole orbits in order (0..n-1 repeated).")
    Path powers;

    /** Reads and checks them. */
    ActivationSet read() {
        return ActivationSet.read(acts, powers);
    }
}
