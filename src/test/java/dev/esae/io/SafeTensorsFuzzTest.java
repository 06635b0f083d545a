package dev.esae.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes {@link SafeTensors#read}, {@link SafeTensors#readMetadata} and {@link SafeTensors#verify}:
 * any bytes as a safetensors file give tensors that hold what their shapes say, or an
 * {@link dev.esae.InputException} naming the file ({@link CleanOutcome}). Seeds and past findings:
 * {@code src/test/resources/dev/esae/io/SafeTensorsFuzzTestInputs/readSafeTensors}.
 */
class SafeTensorsFuzzTest {
    private static final Path FILE = FuzzFiles.folder("safetensors").resolve("input.safetensors");

    // Words of the format, and sizes that overflow a product or an int: hard to reach by flipping bytes.
    @DictionaryEntries({
        "\"dtype\":", "\"shape\":", "\"data_offsets\":", "\"__metadata__\":", "F32", "F64", "I32", "I64", "U8",
        "BF16", "esae.sha256.", "0", "-1", "65536", "1073741824", "2147483647", "2147483648", "4294967296",
        "9223372036854775807"})
    @FuzzTest(maxDuration = "30s")
    void readSafeTensors(byte[] data) throws IOException {
        Files.write(FILE, data);
        SafeTensors.Contents c = CleanOutcome.check(FILE, data.length, () -> SafeTensors.read(FILE));
        if (c != null) {
            long total = 0;
            for (HostArray a : c.tensors().values()) {
                ArrayInvariants.check(a, data.length);
                total += a.rawData().remaining();
            }
            if (total > data.length) {
                throw new AssertionError(c.tensors().size() + " tensors hold " + total + " bytes of a " + data.length + "-byte file");
            }
        }
        // The header alone: accepted by itself where the whole file is refused (its data is not read).
        CleanOutcome.check(FILE, data.length, () -> SafeTensors.readMetadata(FILE));
        CleanOutcome.check(FILE, data.length, () -> {
            SafeTensors.verify(FILE);
            return null;
        });
    }
}
