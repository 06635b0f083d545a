package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.compute.Backends;
import dev.esae.compute.DeviceChoice;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The root command: global options, and the subcommands of the pipeline. */
@Command(
        name = "esae",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Equivariant sparse autoencoders: train and probe SAEs on the activations of models of",
            "rotated images, on an NVIDIA GPU or the CPU.",
            ""
        },
        footer = {"", "Global options go before the command, e.g. 'esae --threads 1 selftest'.",
            "Exit codes: 0 success, 2 bad input or usage, 1 internal failure."},
        subcommands = {DoctorCommand.class, SelftestCommand.class, DatasetCommand.class, TrainBaseCommand.class,
            ActivationsCommand.class, FitMCommand.class, TrainSaeCommand.class, ProbeCommand.class, FrontierCommand.class, ExportCommand.class, ReproduceCommand.class, BenchCommand.class})
public final class EsaeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda", defaultValue = "auto",
            description = "Backend: auto (CUDA if usable, else CPU), cpu, or cuda (fail if unusable). Default: ${DEFAULT-VALUE}.")
    DeviceChoice device;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for OpenBLAS, XGBoost and esae's own loops. Default: all logical cores.")
    Integer threads;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed for every random choice a command makes. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("esae: no command given (see 'esae --help')");
        return ExitCodes.USAGE;
    }

    /** The thread count to use: {@code --threads}, or every logical core. */
    int threads() {
        if (threads == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1) {
            throw new InputException("--threads: expected a positive number of threads, got " + threads);
        }
        return threads;
    }

    /** Opens the backend {@code --device} asks for, saying on stderr which one runs and why. */
    Backends.Selection openBackend() {
        Backends.Selection s = Backends.select(device, threads());
        spec.commandLine().getErr().println("esae: " + s.summary());
        return s;
    }
}
