package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.base.Autoencoder;
import dev.esae.base.ModelFiles;
import dev.esae.compute.Backend;
import dev.esae.data.DatasetFiles;
import dev.esae.data.ShapesDataset;
import dev.esae.report.Frontier;
import dev.esae.sae.SaeFiles;
import dev.esae.train.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code esae frontier}: the spliced loss of each SAE against the mean L1 of its latents (SPEC §6). */
@Command(name = "frontier",
        description = {"The sparsity/reconstruction frontier: each SAE's reconstruction spliced into the base autoencoder.",
            "For every image of --data in all n orientations, psi is replaced by the SAE's reconstruction (M^p D(E(.)) for",
            "the equivariant kind), the base decoder runs, and the MSE to the image is reported beside the base model's own,",
            "with the mean L1 of z. Writes frontier.csv and frontier.png."})
final class FrontierCommand extends Subcommand {
    @Option(names = "--sae", paramLabel = "DIR", required = true, description = "An SAE folder; repeat for several.")
    List<Path> saes;

    @Mixin
    ModelDataInput input;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        Outputs.checkOutput(output.out, OutputKind.FRONTIER, output.overwrite);
        ShapesDataset dataset = DatasetFiles.read(input.data);
        float[] images = dataset.imagesAsFloats();
        List<Integer> orders = new ArrayList<>();
        for (Path dir : saes) {
            SaeFiles.Header h = SaeFiles.check(dir);
            orders.add(h.order());
            if (h.dim() != Autoencoder.LATENT) {
                throw new InputException("--sae " + dir + ": reads d = " + h.dim() + ", but the base model's psi has " + Autoencoder.LATENT);
            }
            if (h.order() != 1 && h.order() != 2 && h.order() != 4) {
                throw new InputException("--sae " + dir + ": group_order " + h.order() + " is not a rotation group of the images (1, 2 or 4)");
            }
        }
        ModelFiles.check(input.model);
        Outputs.prepareFolder(output.out, "--out");
        try (Backend backend = root.openBackend().backend()) {
            Frontier.run(backend, input.model, saes, orders, images, output.out, p -> out().printf(Locale.ROOT,
                    "%-24s %-11s k=%-3d l1 %8.3f  spliced mse %.5g  base mse %.5g%n", p.sae(), p.kind(), p.k(), p.l1(), p.splicedMse(),
                    p.baseMse()));
            List<Path> inputs = new ArrayList<>(List.of(input.model.resolve(ModelFiles.WEIGHTS), DatasetFiles.imagesFile(input.data)));
            saes.forEach(dir -> inputs.addAll(SaeFiles.inputFiles(dir)));
            Provenance.writeTo(output.out, Provenance.of(backend, root.seed, inputs));
        }
        out().printf(Locale.ROOT, "wrote %s and %s%n", output.out.resolve(Frontier.CSV), output.out.resolve(Frontier.PNG));
        return ExitCodes.OK;
    }
}
