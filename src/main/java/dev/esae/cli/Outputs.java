package dev.esae.cli;

import dev.esae.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on output locations, made before any work so that a bad one fails fast and writes nothing. */
final class Outputs {
    private Outputs() {}

    /**
     * Prepares the output folder of a training run: a folder that holds a checkpoint is refused
     * unless {@code resume}, and a resumed run must match its checkpoint on {@code keys} of
     * {@code requested} (the config it would write); both are checked before any work.
     */
    static void prepareRun(Path dir, boolean resume, java.util.Map<String, Object> requested, java.util.List<String> keys) {
        boolean exists = dev.esae.train.Checkpoint.exists(dir);
        if (exists && !resume) {
            throw new InputException("--out " + dir + ": already holds a training run (" + dev.esae.train.Checkpoint.FILE
                    + "); pass --resume to continue it, or choose another folder");
        }
        if (exists) {
            dev.esae.train.Checkpoint.requireSameRun(dir, dev.esae.train.Checkpoint.readConfig(dir), requested, keys);
        }
        prepareFolder(dir, "--out");
    }

    /** Creates {@code dir} if needed; an {@link InputException} if it is a file or cannot be written. */
    static void prepareFolder(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InputException(option + " " + dir + ": is a file; expected a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(option + " " + dir + ": cannot create the folder (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new InputException(option + " " + dir + ": the folder is not writable");
        }
    }
}
