package dev.esae.base;

import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import dev.esae.train.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an activations file came from, in a JSON file beside it ({@code acts.npy.json}): the base
 * model, the dataset and how its shapes are oriented, the array's shape and the provenance.
 * Commands that read the activations carry the orientations into what they write; files from
 * other tools have no such record and still load.
 *
 * @param model the base model folder
 * @param arch its architecture ({@code mlp} or {@code cnn})
 * @param data the dataset folder
 * @param orientations the dataset's orientations ({@code upright} or {@code random})
 * @param shape {@code [N, n, d]}
 */
public record ActivationsInfo(String model, String arch, String data, String orientations, List<Integer> shape, Provenance provenance) {
    /** The record beside {@code acts}. */
    public static Path fileFor(Path acts) {
        return acts.resolveSibling(acts.getFileName() + ".json");
    }

    /** Writes this record beside {@code acts}. */
    public void write(Path acts) throws IOException {
        AtomicFiles.writeString(fileFor(acts), Json.pretty(this));
    }

    /** The dataset's orientations ({@code upright} or {@code random}) as recorded, or {@code null} when unknown. */
    public static String orientations(Path acts) {
        Path file = fileFor(acts);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.read(file, ActivationsInfo.class, "an activations record").orientations();
        } catch (RuntimeException e) {
            return null;  // a provenance note, not an input: an unreadable one is left out, not fatal
        }
    }
}
