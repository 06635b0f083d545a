package dev.esae.cli;

import dev.esae.InputException;
import dev.esae.data.DatasetSource;
import dev.esae.data.FashionMnist;
import dev.esae.data.Orientations;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the images come from ({@code dataset}, {@code reproduce}): {@code --source} and the
 * Fashion-MNIST folder {@code --idx-dir}, with the check that an option meant for one source is not
 * given with the other.
 */
final class SourceOptions {
    @Option(names = "--source", paramLabel = "SRC", defaultValue = "shapes",
            description = {"shapes (drawn here, SPEC §1) or fashion-mnist (read from the idx files of Debian's",
                "dataset-fashion-mnist). Default: ${DEFAULT-VALUE}."})
    DatasetSource source;

    @Option(names = "--idx-dir", paramLabel = "DIR",
            description = {"fashion-mnist only: the folder of the idx files (train-images-idx3-ubyte.gz, ...).",
                "Default: $" + FashionMnist.DIR_ENV + " if set, else " + "/usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)."})
    Path idxDir;

    boolean fashion() {
        return source == DatasetSource.FASHION_MNIST;
    }

    /**
     * One line, as an {@link InputException}, for an option the source does not take: orientations
     * other than upright with Fashion-MNIST (its garments are upright), {@code --idx-dir} with the shapes.
     */
    void checkApplies(Orientations orientations) {
        if (fashion() && orientations != Orientations.UPRIGHT) {
            throw new InputException("--orientations " + orientations.id()
                    + ": only for --source shapes (Fashion-MNIST's garments are photographed upright; orientations come from the group)");
        }
        if (!fashion() && idxDir != null) {
            throw new InputException("--idx-dir: only for --source fashion-mnist (the shapes are drawn, not read)");
        }
    }
}
