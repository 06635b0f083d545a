package dev.esae.cli;

import dev.esae.base.Architecture;
import dev.esae.base.BaseModelConfig;
import dev.esae.base.BaseTrainer;
import dev.esae.base.BaseTraining;
import dev.esae.base.ModelFiles;
import dev.esae.compute.Backend;
import dev.esae.data.DatasetFiles;
import dev.esae.data.ShapesDataset;
import dev.esae.train.LossHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code esae train-base}: trains a base autoencoder (SPEC §2). */
@Command(name = "train-base",
        description = {"Train a base autoencoder (MLP or CNN).",
            "The paper's Table 1 models on a dataset folder: MSE, Adam, each batch rotated by a random power of g.",
            "Writes model.safetensors, config.json, loss.csv and a checkpoint every --checkpoint-every epochs, and",
            "reconstructions.png at the end."})
final class TrainBaseCommand extends Subcommand {
    @Option(names = "--arch", paramLabel = "mlp|cnn", required = true, description = "Architecture.")
    Architecture arch;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Dataset folder (from 'esae dataset').")
    Path data;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "100", description = "Epochs in all (a resumed run continues to E). Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveInt.class)
    int epochs;

    @Mixin
    RunOptions run;

    @Mixin
    OptimizerOptions optimizer;

    @Override
    public Integer call() throws IOException {
        ShapesDataset dataset = DatasetFiles.read(data);
        BaseModelConfig config = new BaseModelConfig(arch, epochs, optimizer.batch, optimizer.lr, root.seed, data.toString(), dataset.size(),
                DatasetFiles.orientations(data).id());
        java.util.List<java.nio.file.Path> inputs = java.util.List.of(DatasetFiles.imagesFile(data));
        Outputs.prepareRun(run.out, OutputKind.BASE_MODEL, run.resume, BaseTraining.requested(config), BaseTrainer.RUN_KEYS, inputs);
        try (Backend backend = root.openBackend().backend()) {
            LossHistory h = BaseTraining.run(backend, config, dataset.imagesAsFloats(), inputs, run.out, run.resume, run.checkpoints(),
                    new ProgressBar(spec.commandLine().getErr(), "train-base " + arch.id()));
            out().printf(Locale.ROOT, "trained %s for %d epochs on %d images: final loss %.6g; wrote %s (%s, %s, loss.csv, %s)%n",
                    arch.id(), h.epochs(), dataset.size(), h.last(), run.out, ModelFiles.WEIGHTS, ModelFiles.CONFIG, BaseTraining.RECONSTRUCTIONS);
        }
        return ExitCodes.OK;
    }
}
