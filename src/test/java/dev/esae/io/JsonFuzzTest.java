package dev.esae.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.esae.base.ActivationsInfo;
import dev.esae.base.ModelFiles;
import dev.esae.data.DatasetFiles;
import dev.esae.data.DatasetInfo;
import dev.esae.equivariance.TransformFitReport;
import dev.esae.report.StudyAtlas;
import dev.esae.report.StudySettings;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeScores;
import java.nio.file.Path;

/**
 * Fuzzes the JSON files users give esae: the same bytes as every record esae reads ({@code
 * cfg.json} through {@link SaeFiles#readHeader}, {@code config.json} through {@link
 * ModelFiles#readConfig}, {@code dataset.json}, {@code acts.npy.json}, {@code r2.json}, {@code
 * metrics.json}, {@code study.json}, the study's maps), each read to a record or refused with an
 * {@link dev.esae.InputException} naming the file ({@link CleanOutcome}). Seeds and past findings:
 * {@code src/test/resources/dev/esae/io/JsonFuzzTestInputs/readConfigs}.
 */
class JsonFuzzTest {
    private static final Path DIR = FuzzFiles.folder("json");

    // Words of the format, and sizes that overflow a product or an int: hard to reach by flipping bytes.
    @DictionaryEntries({
        "\"d_in\":", "\"d_sae\":", "\"k\":", "\"esae_kind\":", "\"esae_hidden\":", "\"group_order\":", "topk",
        "wide", "twolayer", "invariant", "equivariant", "\"kind\":", "base-autoencoder", "\"arch\":", "mlp", "cnn",
        "\"orientations\":", "upright", "random", "\"fitted\":", "\"per_p\":", "\"epochs\":", "\"batch\":",
        "\"lr\":", "\"seed\":", "\"provenance\":", "\"inputs\":", "null", "true", "1e308", "-0.0", "[[[[[[[[",
        "{\"a\":{\"a\":", "\\u0000", "0", "-1", "65536", "1073741824", "2147483647", "2147483648", "4294967296",
        "9223372036854775807"})
    @FuzzTest(maxDuration = "30s")
    void readConfigs(byte[] data) {
        // Written whole (an empty input is an empty file, not a missing one).
        Path any = write(DatasetFiles.INFO, data);
        Path sae = write(SaeFiles.CONFIG, data);
        Path model = write(ModelFiles.CONFIG, data);
        long n = data.length;
        CleanOutcome.check(sae, n, () -> SaeFiles.readHeader(DIR));
        CleanOutcome.check(model, n, () -> ModelFiles.readConfig(DIR));
        CleanOutcome.check(any, n, () -> DatasetFiles.orientations(DIR));
        CleanOutcome.check(any, n, () -> Json.read(any, DatasetInfo.class, "a dataset record"));
        CleanOutcome.check(any, n, () -> Json.read(any, ActivationsInfo.class, "an activations record"));
        CleanOutcome.check(any, n, () -> Json.read(any, TransformFitReport.class, "a transform fit's report"));
        CleanOutcome.check(any, n, () -> Json.read(any, TransformFitReport.Summary.class, "a transform fit's report"));
        CleanOutcome.check(any, n, () -> Json.read(any, SaeScores.class, "an SAE's metrics"));
        CleanOutcome.check(any, n, () -> Json.read(any, StudySettings.class, "a study's settings"));
        CleanOutcome.check(any, n, () -> Json.readMap(any, Double.class, "the study's step times"));
        CleanOutcome.check(any, n, () -> Json.readMap(any, StudyAtlas.Section.class, "a feature atlas"));
    }

    private static Path write(String name, byte[] data) {
        Path f = DIR.resolve(name);
        try {
            java.nio.file.Files.write(f, data);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return f;
    }
}
