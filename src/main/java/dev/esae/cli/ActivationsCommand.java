package dev.esae.cli;

import dev.esae.base.Activations;
import dev.esae.base.ActivationsInfo;
import dev.esae.base.Autoencoder;
import dev.esae.base.ModelFiles;
import dev.esae.compute.Backend;
import dev.esae.data.CyclicGroup;
import dev.esae.data.DatasetFiles;
import dev.esae.data.ShapesDataset;
import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import dev.esae.train.Provenance;
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
        CyclicGroup group = CyclicGroup.C4;
        try (Backend backend = root.openBackend().backend(); Autoencoder ae = ModelFiles.load(backend, input.model)) {
            float[] acts = Activations.extract(backend, ae, dataset.imagesAsFloats(), group,
                    new ProgressBar(spec.commandLine().getErr(), "activations"));
            Npy.write(out, HostArray.ofFloats(acts, dataset.size(), group.order(), Autoencoder.LATENT));
            new ActivationsInfo(input.model.toString(), ae.architecture().id(), input.data.toString(), DatasetFiles.orientations(input.data).id(),
                    java.util.List.of(dataset.size(), group.order(), Autoencoder.LATENT),
                    Provenance.of(backend, root.seed, java.util.List.of(input.model.resolve(ModelFiles.WEIGHTS), input.data))).write(out);
            out().printf(Locale.ROOT, "wrote %s: float32[%d, %d, %d] (%s model)%n", out, dataset.size(), group.order(),
                    Autoencoder.LATENT, ae.architecture().id());
        }
        return ExitCodes.OK;
    }
}
