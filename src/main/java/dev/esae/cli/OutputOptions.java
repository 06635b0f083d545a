package dev.esae.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The output folder of a command that replaces its own output only when asked (fit-m, probe, frontier, dataset). */
final class OutputOptions {
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--overwrite", description = "Replace what --out already holds of this command's output.")
    boolean overwrite;
}
