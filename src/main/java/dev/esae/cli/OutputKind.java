package dev.esae.cli;

import dev.esae.base.ModelFiles;
import dev.esae.data.DatasetFiles;
import dev.esae.equivariance.TransformFiles;
import dev.esae.probe.ProbeFiles;
import dev.esae.report.Frontier;
import dev.esae.sae.SaeFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What an esae output folder holds, told by the files only that kind of folder writes. A command
 * refuses an {@code --out} folder that holds another kind, so that a mistyped path never writes a
 * model's files over a dataset (or results into a model folder).
 */
enum OutputKind {
    DATASET("a dataset", DatasetFiles.IMAGES, DatasetFiles.LABELS),
    BASE_MODEL("a base model", ModelFiles.WEIGHTS, ModelFiles.CONFIG),
    TRANSFORM("a fitted M", TransformFiles.WEIGHTS, TransformFiles.REPORT),
    SAE("an SAE", SaeFiles.WEIGHTS, SaeFiles.CONFIG),
    PROBING("probing results", ProbeFiles.RESULTS),
    FRONTIER("a frontier", Frontier.CSV),
    STUDY("a study", "study.json");

    private final String what;
    private final List<String> markers;

    OutputKind(String what, String... markers) {
        this.what = what;
        this.markers = List.of(markers);
    }

    /** Words for this kind, e.g. "a dataset". */
    String what() {
        return what;
    }

    /** The first of this kind's own files found in {@code dir}, or {@code null}. */
    String markerIn(Path dir) {
        for (String m : markers) {
            if (Files.exists(dir.resolve(m))) {
                return m;
            }
        }
        return null;
    }
}
