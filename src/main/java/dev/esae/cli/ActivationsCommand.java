package dev.esae.cli;

import dev.esae.base.Activations;
import dev.esae.base.ActivationsInfo;
import dev.esae.base.ModelFiles;
import dev.esae.compute.Backend;
import dev.esae.data.DatasetFiles;
import dev.esae.data.ShapesDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code esae activations}: ψ of every image in every orientation. */
@Command(name = "activations",
        description = {"Write psi of every image in all n orientations.",
            "psi is the encoder's output before the decoder's ReLU: float32 [N, n, 256], entry [i, p] for g^p x_i."})
final class ActivationsCommand extends Subcommand {
    @Mixin
    ModelDataInput input;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output .npy file.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing --out file.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        Outputs.checkFile(out, ".npy file", overwrite);
        ModelFiles.check(input.model);
        ShapesDataset dataset = DatasetFiles.read(input.data);
        Path parent = out.toAbsolutePath().getParent();
        Outputs.prepareFolder(parent, "--out");
        try (Backend backend = root.openBackend().backend()) {
            ActivationsInfo info = Activations.write(backend, input.model, input.data, dataset, out, root.seed,
                    new ProgressBar(spec.commandLine().getErr(), "activations"));
            out().printf(Locale.ROOT, "wrote %s: float32[%d, %d, %d] (%s model)%n", out, info.shape().get(0), info.shape().get(1),
                    info.shape().get(2), info.arch());
        }
        return ExitCodes.OK;
    }
}
