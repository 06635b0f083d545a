package dev.esae.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes, and the clean-up of what a killed writer left. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("x.csv");
        AtomicFiles.writeString(f, "old");
        // A failed write (here the writer's own: a full disk) is one line naming the file, not a trace.
        dev.esae.InputException e = org.junit.jupiter.api.Assertions.assertThrows(dev.esae.InputException.class,
                () -> AtomicFiles.write(f, out -> {
                    out.write("half".getBytes());
                    throw new IOException("No space left on device");
                }));
        assertEquals(f + ": cannot be written (No space left on device)", e.getMessage());
        assertEquals("old", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void removeStaleDeletesOnlyTheTemporariesOfDeadProcesses() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = dir.resolve(".model.safetensors." + gone.pid() + "-3.tmp");
        Path live = dir.resolve(".loss.csv." + ProcessHandle.current().pid() + "-1.tmp");
        Path notOurs = dir.resolve(".hidden.tmp");
        for (Path p : new Path[] {dead, live, notOurs}) {
            Files.writeString(p, "x");
        }
        assertEquals(1, AtomicFiles.removeStale(dir));
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(live) && Files.exists(notOurs));
    }
}
