package dev.esae.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of a command that trains into a run folder (train-base, train-sae, fit-m): where, whether to resume, how often to save. */
final class RunOptions {
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--resume", description = "Continue the run whose checkpoint is in --out.")
    boolean resume;

    @Option(names = "--checkpoint-every", paramLabel = "E", defaultValue = "1",
            description = "Save the checkpoint and the files derived from it every E epochs (and after the last). Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveInt.class)
    int checkpointEvery;

    @Option(names = "--checkpoint-seconds", paramLabel = "S", defaultValue = "0", converter = Options.NonNegativeDouble.class,
            description = {"Save only once S seconds have passed since the last save: short epochs then save a few times, not",
                "every epoch (the outputs are the same; a kill loses at most S seconds and an epoch). Default: ${DEFAULT-VALUE}."})
    double checkpointSeconds;

    /** The policy these options ask for. */
    dev.esae.train.CheckpointPolicy checkpoints() {
        return new dev.esae.train.CheckpointPolicy(checkpointEvery, checkpointSeconds);
    }
}
