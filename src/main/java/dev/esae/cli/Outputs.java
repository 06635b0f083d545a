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
    static void prepareRun(Path dir, OutputKind kind, boolean resume, Object requestedConfig, java.util.List<String> keys,
            java.util.List<Path> inputs) {
        java.util.Map<String, Object> requested = dev.esae.io.Json.untypedObject(requestedConfig);
        refuseOtherKinds(dir, kind);
        boolean exists = dev.esae.train.Checkpoint.exists(dir);
        if (exists && !resume) {
            throw new InputException("--out " + dir + ": already holds a training run (" + dev.esae.train.Checkpoint.FILE
                    + "); pass --resume to continue it, or choose another folder");
        }
        if (exists) {
            dev.esae.io.SafeTensors.verify(dir.resolve(dev.esae.train.Checkpoint.FILE));
            java.util.Map<String, Object> saved = dev.esae.train.Checkpoint.readConfig(dir);
            dev.esae.train.Checkpoint.requireSameRun(dir, saved, requested, keys);
            dev.esae.train.Checkpoint.requireSameInputs(dir, saved, inputs);
        } else {
            String own = kind.markerIn(dir);
            if (own != null) {
                throw new InputException("--out " + dir + ": already holds " + kind.what() + " (" + own
                        + ") without a checkpoint to resume; choose another folder");
            }
        }
        prepareFolder(dir, "--out");
    }

    /**
     * Prepares the output folder of a command that writes {@code kind}: a folder holding another
     * kind is refused, and one already holding this kind only with {@code overwrite}.
     */
    static void prepareOutput(Path dir, OutputKind kind, boolean overwrite) {
        checkOutput(dir, kind, overwrite);
        prepareFolder(dir, "--out");
    }

    /** The checks of {@link #prepareOutput} without creating the folder (for a command that reads its inputs first). */
    static void checkOutput(Path dir, OutputKind kind, boolean overwrite) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InputException("--out " + dir + ": is a file; expected a folder");
        }
        refuseOtherKinds(dir, kind);
        String own = Files.isDirectory(dir) ? kind.markerIn(dir) : null;
        if (own != null && !overwrite) {
            throw new InputException("--out " + dir + ": already holds " + kind.what() + " (" + own
                    + "); pass --overwrite to replace it, or choose another folder");
        }
    }

    /**
     * Checks an output file ({@code what}, e.g. ".npy file") before any work: not a folder, and an
     * existing one is replaced only with {@code overwrite}.
     */
    static void checkFile(Path file, String what, boolean overwrite) {
        if (Files.isDirectory(file)) {
            throw new InputException("--out " + file + ": is a folder; expected a " + what + " name");
        }
        if (Files.exists(file) && !overwrite) {
            throw new InputException("--out " + file + ": already exists; pass --overwrite to replace it, or choose another name");
        }
    }

    private static void refuseOtherKinds(Path dir, OutputKind kind) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (OutputKind other : OutputKind.values()) {
            String marker = other == kind ? null : other.markerIn(dir);
            if (marker != null) {
                throw new InputException("--out " + dir + ": holds " + other.what() + " (" + marker + "), not " + kind.what()
                        + "; choose another folder");
            }
        }
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
        // One writer per folder, until the command ends (Main releases it).
        dev.esae.io.FolderLock.acquire(dir, option);
        try {
            // What a killed run was writing when it died: never a result, only litter.
            dev.esae.io.AtomicFiles.removeStale(dir);
        } catch (IOException e) {
            throw new InputException(option + " " + dir + ": cannot list the folder (" + e.getMessage() + ")");
        }
    }
}
