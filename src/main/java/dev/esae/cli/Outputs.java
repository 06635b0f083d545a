package dev.esae.cli;

import dev.esae.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on output locations, made before any work so that a bad one fails fast and writes nothing. */
final class Outputs {
    private Outputs() {}

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
