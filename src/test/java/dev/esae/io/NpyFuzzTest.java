package dev.esae.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes {@link Npy#read}: any bytes as a {@code .npy} file give an array that holds what its shape
 * says, or an {@link dev.esae.InputException} naming the file ({@link CleanOutcome}). Seeds and past
 * findings: {@code src/test/resources/dev/esae/io/NpyFuzzTestInputs/readNpy}.
 */
class NpyFuzzTest {
    private static final Path FILE = FuzzFiles.folder("npy").resolve("input.npy");

    // Words of the format, and sizes that overflow a product or an int: hard to reach by flipping bytes.
    @DictionaryEntries({
        "'descr': '", "'fortran_order': ", "'shape': (", "), }", "<f4", "<f8", "<i4", "<i8", "|u1", ">f4", "True",
        "False", ", ", "L", "0", "-1", "65536", "1073741824", "2147483647", "2147483648", "4294967296",
        "9223372036854775807"})
    @FuzzTest(maxDuration = "30s")
    void readNpy(byte[] data) throws IOException {
        Files.write(FILE, data);
        HostArray a = CleanOutcome.check(FILE, data.length, () -> Npy.read(FILE));
        if (a != null) {
            ArrayInvariants.check(a, data.length);
            // The checked read refuses another type or rank with one line, as the commands use it.
            CleanOutcome.check(FILE, data.length, () -> Npy.read(FILE, ElementType.FLOAT32, 2));
        }
    }
}
