package dev.esae.data;

import dev.esae.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The probing tasks of a classified dataset under {@code C_n}, as the CSV {@code probe --tasks}
 * reads: one row per input and orientation in {@code [i, p]} order (row {@code i*n+p} is input i
 * turned by {@code g^p}). First one invariant task per class, "class c" (the same label in every
 * orientation: a turn does not change what the garment is), then one orientation task per class and
 * power, "class c at rotation p" (positive iff the input is of class c and the row's orientation is
 * p: the class and how it is turned together).
 */
public final class ClassTasks {
    private ClassTasks() {}

    /** The task names, in column order (no commas, as the CSV needs). */
    public static List<String> names(int classCount, int order) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            names.add("class " + c);
        }
        for (int c = 0; c < classCount; c++) {
            for (int p = 0; p < order; p++) {
                names.add("class " + c + " at rotation " + p);
            }
        }
        return names;
    }

    /** Writes the CSV of {@code classes} (each 0..classCount-1) under a group of {@code order} to {@code file}, atomically. */
    public static void write(Path file, int[] classes, int classCount, int order) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(String.join(",", names(classCount, order)));
            w.write('\n');
            StringBuilder row = new StringBuilder();
            for (int cls : classes) {
                for (int p = 0; p < order; p++) {
                    row.setLength(0);
                    for (int c = 0; c < classCount; c++) {
                        row.append(c == cls ? '1' : '0').append(',');
                    }
                    for (int c = 0; c < classCount; c++) {
                        for (int q = 0; q < order; q++) {
                            row.append(c == cls && q == p ? '1' : '0').append(',');
                        }
                    }
                    row.setCharAt(row.length() - 1, '\n');
                    w.append(row);
                }
            }
            w.flush();
        });
    }
}
