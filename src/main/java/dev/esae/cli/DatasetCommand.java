package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.data.ClassTasks;
import dev.esae.data.CyclicGroup;
import dev.esae.data.DatasetFiles;
import dev.esae.data.FashionMnist;
import dev.esae.data.ShapesDataset;
import java.io.IOException;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code esae dataset}: draws the synthetic shapes dataset (SPEC §1), or frames Fashion-MNIST's images. */
@Command(name = "dataset",
        description = {"Draw the shapes dataset, or take Fashion-MNIST's images (--source fashion-mnist).",
            "shapes: 64x64 images, four quadrants, each one of 8 shapes, upright (default) or in a random orientation.",
            "Writes images.npy (uint8 [N,64,64]), labels.npy (int32 [N,4,2]: shape id, orientation per quadrant),",
            "dataset.json (how it was drawn), sheet.png (the first 64 images) and shapes.png.",
            "fashion-mnist: the first N images of a split, from the idx files of Debian's",
            "dataset-fashion-mnist. Each 28x28 image is upscaled 2x by nearest neighbour",
            "(each pixel a 2x2 block) and centred in the 64x64 frame, 4 black pixels a side:",
            "an integer scale copies pixels exactly and the frame's centre is the garment's,",
            "so quarter turns act pixel for pixel, and the garment fills the frame as the",
            "shapes do (a plain pad to 64 leaves it small; resizing by 64/28 invents grey",
            "levels). Writes images.npy, classes.npy (int32 [N], 0..9), tasks.csv (for",
            "'esae probe --tasks': 10 tasks 'class c', 40 'class c at rotation p', a row per",
            "image and quarter turn), dataset.json and sheet.png; no labels.npy (no shapes)."})
final class DatasetCommand extends Subcommand {
    /** Images per file: the uint8 array must stay below 2 GiB. */
    static final int MAX_IMAGES = (Integer.MAX_VALUE - 64) / (ShapesDataset.SIZE * ShapesDataset.SIZE);
    /** Shapes drawn when --n is not given. */
    static final int DEFAULT_SHAPES = 10000;

    @Mixin
    SourceOptions sources;

    @Option(names = "--n", paramLabel = "N",
            description = "Number of images. Default: " + DEFAULT_SHAPES + " shapes; for fashion-mnist the whole split (its first N otherwise).")
    Integer n;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the draw (shapes only: Fashion-MNIST's images are taken in file order). Default: the global --seed (0).")
    Long seed;

    @Option(names = "--split", paramLabel = "SPLIT",
            description = "fashion-mnist only: train (60,000 images) or test (10,000). Default: train.")
    FashionMnist.Split split;

    @Mixin
    OrientationsOption orientation;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        return sources.fashion() ? fashion() : shapes();
    }

    private int shapes() throws IOException {
        if (split != null) {
            throw new InputException("--split: only for --source fashion-mnist (the shapes are drawn, not split)");
        }
        sources.checkApplies(orientation.orientations);
        int count = n != null ? n : DEFAULT_SHAPES;
        if (count < 1 || count > MAX_IMAGES) {
            throw new InputException("--n: expected a number of images from 1 to " + MAX_IMAGES + ", got " + count);
        }
        Outputs.prepareOutput(output.out, OutputKind.DATASET, output.overwrite);
        long s = seed != null ? seed : root.seed;
        long t0 = System.nanoTime();
        ShapesDataset data = DatasetFiles.draw(output.out, count, s, orientation.orientations);
        double secs = (System.nanoTime() - t0) / 1e9;
        out().printf(Locale.ROOT,
                "wrote %d %s images (%d distinct, seed %d) to %s: %s uint8[%d, 64, 64], %s int32[%d, 4, 2], %s, %s, %s (%.2f s)%n",
                count, orientation.orientations.id(), data.distinctImages(), s, output.out, DatasetFiles.IMAGES, count, DatasetFiles.LABELS, count,
                DatasetFiles.INFO, DatasetFiles.SHEET, DatasetFiles.SHAPES, secs);
        return ExitCodes.OK;
    }

    private int fashion() throws IOException {
        sources.checkApplies(orientation.orientations);
        if (seed != null) {
            throw new InputException("--seed: only for --source shapes (Fashion-MNIST's first --n images are taken in file order; nothing is drawn)");
        }
        if (n != null && n < 1) {
            throw new InputException("--n: expected a number of images from 1 to the split's size, got " + n);
        }
        FashionMnist.Split s = split != null ? split : FashionMnist.Split.TRAIN;
        // Checked and read before the folder is made: a bad or missing idx file leaves nothing behind.
        Outputs.checkOutput(output.out, OutputKind.DATASET, output.overwrite);
        long t0 = System.nanoTime();
        FashionMnist.Images images = FashionMnist.load(FashionMnist.folder(sources.idxDir), s, n);
        Outputs.prepareOutput(output.out, OutputKind.DATASET, output.overwrite);
        ShapesDataset data = DatasetFiles.writeFashion(output.out, images);
        double secs = (System.nanoTime() - t0) / 1e9;
        int count = images.count();
        out().printf(Locale.ROOT,
                "wrote %d fashion-mnist %s images (%d distinct, framed 28x28 -> 2x -> padded to 64x64) from %s to %s: %s uint8[%d, 64, 64], "
                        + "%s int32[%d], %s (%d rows, %d tasks), %s, %s (%.2f s)%n",
                count, s.id(), data.distinctImages(), images.imagesFile().getParent(), output.out, DatasetFiles.IMAGES, count, DatasetFiles.CLASSES,
                count, DatasetFiles.TASKS, count * CyclicGroup.C4.order(),
                ClassTasks.names(FashionMnist.CLASS_NAMES.size(), CyclicGroup.C4.order()).size(), DatasetFiles.INFO, DatasetFiles.SHEET, secs);
        return ExitCodes.OK;
    }
}
