package dev.esae.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.esae.probe.TaskTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;

/**
 * Fuzzes {@link TaskTable#read}, the parser of {@code probe --tasks FILE.csv}: any bytes give a
 * table whose every task has a unique non-empty name and both classes over the same rows, or an
 * {@link dev.esae.InputException} naming the file ({@link CleanOutcome}). Seeds:
 * {@code src/test/resources/dev/esae/io/TaskTableFuzzTestInputs/readTasks}.
 */
class TaskTableFuzzTest {
    private static final Path FILE = FuzzFiles.folder("tasks").resolve("tasks.csv");

    @DictionaryEntries({",", "0", "1", ",0", ",1", "class 3", "class 3 at rotation 2"})
    @FuzzTest(maxDuration = "30s")
    void readTasks(byte[] data) throws IOException {
        Files.write(FILE, data);
        TaskTable t = CleanOutcome.check(FILE, data.length, () -> TaskTable.read(FILE));
        if (t != null) {
            assertEquals(t.names().size(), t.labels().length);
            assertEquals(t.names().size(), new HashSet<>(t.names()).size(), "unique names");
            for (int i = 0; i < t.labels().length; i++) {
                assertTrue(!t.names().get(i).isEmpty());
                assertEquals(t.rows(), t.labels()[i].length);
                boolean pos = false;
                boolean neg = false;
                for (boolean b : t.labels()[i]) {
                    pos |= b;
                    neg |= !b;
                }
                assertTrue(pos && neg, "task " + t.names().get(i) + " has both classes");
            }
        }
    }
}
