package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.data.DatasetFiles;
import dev.esae.data.ShapesDataset;
import java.io.IOException;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code esae dataset}: draws the synthetic shapes dataset (SPEC §1). */
@Command(name = "dataset",
        description = {"Draw the synthetic shapes dataset.",
            "64x64 images, four quadrants, each one of 8 shapes, upright (default) or in a random orientation.",
            "Writes images.npy (uint8 [N,64,64]), labels.npy (int32 [N,4,2]: shape id, orientation per quadrant),",
            "dataset.json (how it was drawn), sheet.png (the first 64 images) and shapes.png."})
final class DatasetCommand extends Subcommand {
    /** Images per file: the uint8 array must stay below 2 GiB. */
    static final int MAX_IMAGES = (Integer.MAX_VALUE - 64) / (ShapesDataset.SIZE * ShapesDataset.SIZE);

    @Option(names = "--n", paramLabel = "N", defaultValue = "10000", description = "Number of images. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the draw. Default: the global --seed (0).")
    Long seed;

    @Mixin
    OrientationsOption orientation;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        if (n < 1 || n > MAX_IMAGES) {
            throw new InputException("--n: expected a number of images from 1 to " + MAX_IMAGES + ", got " + n);
        }
        Outputs.prepareOutput(output.out, OutputKind.DATASET, output.overwrite);
        long s = seed != null ? seed : root.seed;
        long t0 = System.nanoTime();
        ShapesDataset data = DatasetFiles.draw(output.out, n, s, orientation.orientations);
        double secs = (System.nanoTime() - t0) / 1e9;
        out().printf(Locale.ROOT,
                "wrote %d %s images (%d distinct, seed %d) to %s: %s uint8[%d, 64, 64], %s int32[%d, 4, 2], %s, %s, %s (%.2f s)%n",
                n, orientation.orientations.id(), data.distinctImages(), s, output.out, DatasetFiles.IMAGES, n, DatasetFiles.LABELS, n, DatasetFiles.INFO,
                DatasetFiles.SHEET, DatasetFiles.SHAPES, secs);
        return ExitCodes.OK;
    }
}
