package dev.esae.base;

import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where an activations file came from, in a JSON file beside it ({@code acts.npy.json}): the base
 * model, the dataset and how its shapes are oriented. Commands that read the activations carry the
 * orientations into what they write; files from other tools have no such record and still load.
 */
public final class ActivationsInfo {
    private ActivationsInfo() {}

    /** The record beside {@code acts}. */
    public static Path fileFor(Path acts) {
        return acts.resolveSibling(acts.getFileName() + ".json");
    }

    public static void write(Path acts, Map<String, Object> info) throws IOException {
        AtomicFiles.writeString(fileFor(acts), Json.pretty(info));
    }

    /** The dataset's orientations ({@code upright} or {@code random}) as recorded, or {@code null} when unknown. */
    public static String orientations(Path acts) {
        Path file = fileFor(acts);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.parseObject(Files.readString(file)).get("orientations") instanceof String s ? s : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;  // a provenance note, not an input: an unreadable one is left out, not fatal
        }
    }
}
