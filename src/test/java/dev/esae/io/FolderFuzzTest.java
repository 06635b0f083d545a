package dev.esae.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.esae.data.DatasetFiles;
import dev.esae.equivariance.ActivationSet;
import dev.esae.equivariance.TransformFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes the other folders users give esae, the first byte of an input choosing which; the rest is
 * the folder's files packed as {@link FuzzFiles#split} reads them (an empty part: no such file):
 *
 * <pre>
 * 0  a dataset folder ({@link DatasetFiles#read}): dataset.json, labels.npy, images.npy
 * 1  a transform folder ({@link TransformFiles#read}, M then M_cycle): M.safetensors
 * 2  activations ({@link ActivationSet#read}): acts.npy, and powers.npy for a flat [N, d] file
 * </pre>
 *
 * Each loads or is refused with an {@link dev.esae.InputException} naming one of its files, within
 * {@link CleanOutcome}'s allocation bound. Seeds and past findings:
 * {@code src/test/resources/dev/esae/io/FolderFuzzTestInputs/loadFolders}.
 */
class FolderFuzzTest {
    static final int DATASET = 0;
    static final int TRANSFORM = 1;
    static final int ACTIVATIONS = 2;

    private static final Path DIR = FuzzFiles.folder("folders");

    // Words of the format, and sizes that overflow a product or an int: hard to reach by flipping bytes.
    @DictionaryEntries({
        FuzzFiles.SEPARATOR, "'descr': '", "'fortran_order': ", "'shape': (", "), }", "<f4", "<f8", "<i4", "<i8", "\"dtype\":",
        "\"shape\":", "\"data_offsets\":", "\"__metadata__\":", "group_order", "M_cycle", "\"orientations\":",
        "upright", "random", "0", "-1", "65536", "1073741824", "2147483647", "2147483648", "4294967296",
        "9223372036854775807"})
    @FuzzTest(maxDuration = "30s")
    void loadFolders(byte[] data) {
        if (data.length == 0) {
            return;
        }
        byte[] rest = java.util.Arrays.copyOfRange(data, 1, data.length);
        switch (Math.floorMod(data[0], 3)) {
            case DATASET -> {
                List<byte[]> p = FuzzFiles.split(rest, 3);
                long n = FuzzFiles.put(DIR, DatasetFiles.INFO, p.get(0)) + FuzzFiles.put(DIR, DatasetFiles.LABELS, p.get(1))
                        + FuzzFiles.put(DIR, DatasetFiles.IMAGES, p.get(2));
                CleanOutcome.check(DIR, n, () -> DatasetFiles.read(DIR));
            }
            case TRANSFORM -> {
                long n = FuzzFiles.put(DIR, TransformFiles.WEIGHTS, rest);
                CleanOutcome.check(DIR, n, () -> TransformFiles.read(DIR, false));
                CleanOutcome.check(DIR, n, () -> TransformFiles.read(DIR, true));
            }
            default -> {
                List<byte[]> p = FuzzFiles.split(rest, 2);
                long n = FuzzFiles.put(DIR, "acts.npy", p.get(0)) + FuzzFiles.put(DIR, "powers.npy", p.get(1));
                Path powers = p.get(1).length == 0 ? null : DIR.resolve("powers.npy");
                CleanOutcome.check(DIR, n, () -> ActivationSet.read(DIR.resolve("acts.npy"), powers));
            }
        }
    }
}
