package dev.esae.cli;

import dev.esae.data.Orientations;
import picocli.CommandLine.Option;

/** How the canonical images hold their shapes (dataset, reproduce). */
final class OrientationsOption {
    @Option(names = "--orientations", paramLabel = "O", defaultValue = "upright",
            description = {"upright: every shape in orientation 0, orientations come only from rotating the image (SPEC, the paper);",
                "random: each shape in a random orientation (the identifiability ablation). Default: ${DEFAULT-VALUE}."})
    Orientations orientations;
}
