package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.base.Architecture;
import dev.esae.base.BaseModelConfig;
import dev.esae.base.BaseTrainer;
import dev.esae.base.ModelFiles;
import dev.esae.compute.Backend;
import dev.esae.data.DatasetFiles;
import dev.esae.data.ShapesDataset;
import dev.esae.train.LossHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code esae train-base}: trains a base autoencoder (SPEC §2). */
@Command(name = "train-base",
        description = {"Train a base autoencoder (MLP or CNN).",
            "The paper's Table 1 models on a dataset folder: MSE, Adam, each batch rotated by a random power of g.",
            "Writes model.safetensors, config.json, loss.csv and a checkpoint after every epoch, and",
            "reconstructions.png at the end."})
final class TrainBaseCommand extends Subcommand {
    @Option(names = "--arch", paramLabel = "mlp|cnn", required = true, description = "Architecture.")
    String arch;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Dataset folder (from 'esae dataset').")
    Path data;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "100", description = "Epochs in all (a resumed run continues to E). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--resume", description = "Continue the run whose checkpoint is in --out.")
    boolean resume;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    float lr;

    @Override
    public Integer call() throws IOException {
        Architecture a = Architecture.fromId(arch);
        if (a == null) {
            throw new InputException("--arch: expected mlp or cnn, got '" + arch + "'");
        }
        Options.requirePositive("--epochs", epochs);
        Options.requirePositive("--batch", batch);
        Options.requirePositiveFinite("--lr", lr);
        ShapesDataset dataset = DatasetFiles.read(data);
        BaseModelConfig config = new BaseModelConfig(a, epochs, batch, lr, root.seed, data.toString(), dataset.size(),
                DatasetFiles.orientations(data).id());
        Outputs.prepareRun(out, OutputKind.BASE_MODEL, resume, config.toJson(0, null), BaseTrainer.RUN_KEYS);
        try (Backend backend = root.openBackend().backend()) {
            BaseTrainer trainer = new BaseTrainer(backend, config, dataset.imagesAsFloats());
            LossHistory h = trainer.train(out, resume, new ProgressBar(spec.commandLine().getErr(), "train-base " + a.id()));
            out().printf(Locale.ROOT, "trained %s for %d epochs on %d images: final loss %.6g; wrote %s (%s, %s, loss.csv, %s)%n",
                    a.id(), h.epochs(), dataset.size(), h.last(), out, ModelFiles.WEIGHTS, ModelFiles.CONFIG, BaseTrainer.RECONSTRUCTIONS);
        }
        return ExitCodes.OK;
    }
}
