package dev.esae.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.esae.compute.Backend;
import dev.esae.sae.SaeFiles;
import dev.esae.testutil.TestBackends;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;

/**
 * Fuzzes loading a saved SAE ({@link SaeFiles#check}, then {@link SaeFiles#load} onto the CPU
 * backend): an input is the folder's {@code cfg.json} and {@code sae_weights.safetensors} packed as
 * {@link FuzzFiles#split} reads them. Either loads an SAE of the sizes cfg.json gives, or is
 * refused with an {@link dev.esae.InputException} naming a file of the folder, in both cases within
 * {@link CleanOutcome}'s allocation bound (off-heap tensors included). Seeds and past findings:
 * {@code src/test/resources/dev/esae/io/SaeFolderFuzzTestInputs/loadSae}.
 */
class SaeFolderFuzzTest {
    private static final Path DIR = FuzzFiles.folder("sae");
    private static final Backend CPU = TestBackends.cpu();

    // Words of the format, and sizes that overflow a product or an int: hard to reach by flipping bytes.
    @DictionaryEntries({
        FuzzFiles.SEPARATOR, "\"d_in\":", "\"d_sae\":", "\"k\":", "\"esae_kind\":", "\"esae_hidden\":", "\"group_order\":", "topk",
        "wide", "twolayer", "invariant", "equivariant", "\"dtype\":", "\"shape\":", "\"data_offsets\":",
        "\"__metadata__\":", "F32", "W_enc", "W_dec", "b_enc", "b_dec", "encoder.0.weight", "M", "0", "-1", "65536",
        "1073741824", "2147483647", "2147483648", "4294967296", "9223372036854775807"})
    @FuzzTest(maxDuration = "30s")
    void loadSae(byte[] data) {
        List<byte[]> parts = FuzzFiles.split(data, 2);
        long n = FuzzFiles.put(DIR, SaeFiles.CONFIG, parts.get(0)) + FuzzFiles.put(DIR, SaeFiles.WEIGHTS, parts.get(1));
        CleanOutcome.check(DIR, n, () -> SaeFiles.check(DIR));
        SaeFiles.Loaded loaded = CleanOutcome.check(DIR, n, Pointer::totalBytes, () -> SaeFiles.load(CPU, DIR));
        if (loaded != null) {
            try (loaded) {
                SaeFiles.Header h = SaeFiles.readHeader(DIR);
                if (loaded.sae().dim() != h.dim() || loaded.sae().latents() != h.latents()) {
                    throw new AssertionError("loaded an SAE of d = " + loaded.sae().dim() + ", " + loaded.sae().latents()
                            + " latents; cfg.json says " + h.dim() + ", " + h.latents());
                }
            }
        }
    }
}
