package dev.esae.probe;

import dev.esae.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A user's own binary tasks, read from a CSV ({@code probe --tasks FILE.csv}): a header of task
 * names, then one row of 0/1 labels per input (invariant tasks) or per input and orientation in
 * {@code [i, p]} order (SPEC §5). Which of the two a file is follows from its row count, checked
 * against the activations by {@link ProbeSet#of(dev.esae.equivariance.ActivationSet, TaskTable, long)}.
 *
 * @param labels {@code [task][row]}
 */
public record TaskTable(Path file, List<String> names, boolean[][] labels, int rows) {
    /** Reads and checks {@code file}; an {@link InputException} naming the file (and line) on anything malformed. */
    public static TaskTable read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found (expected a CSV of task labels: a header of task names, rows of 0/1)");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InputException(file + ": is not UTF-8 text (expected a CSV of task labels)");
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines = lines.subList(0, lines.size() - 1);
        }
        if (lines.isEmpty()) {
            throw new InputException(file + ": is empty (expected a header of task names, then one row of 0/1 labels per input)");
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String header = lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(0);
        for (String raw : header.split(",", -1)) {
            String name = unquote(raw.strip());
            if (name.isEmpty()) {
                throw new InputException(file + ": line 1 has an empty task name (expected a header of task names)");
            }
            if (!seen.add(name)) {
                throw new InputException(file + ": line 1 names task '" + name + "' twice");
            }
            names.add(name);
        }
        int rows = lines.size() - 1;
        if (rows == 0) {
            throw new InputException(file + ": has a header but no rows of labels");
        }
        int tasks = names.size();
        boolean[][] labels = new boolean[tasks][rows];
        int[] positives = new int[tasks];
        for (int r = 0; r < rows; r++) {
            String[] f = lines.get(r + 1).split(",", -1);
            if (f.length != tasks) {
                throw new InputException(file + ": line " + (r + 2) + " has " + f.length + " field(s), expected " + tasks
                        + " (one per task in the header)");
            }
            for (int t = 0; t < tasks; t++) {
                String v = f[t].strip();
                if (v.equals("1")) {
                    labels[t][r] = true;
                    positives[t]++;
                } else if (!v.equals("0")) {
                    throw new InputException(file + ": line " + (r + 2) + ", task '" + names.get(t) + "': expected 0 or 1, got '"
                            + shorten(v) + "'");
                }
            }
        }
        for (int t = 0; t < tasks; t++) {
            if (positives[t] == 0 || positives[t] == rows) {
                throw new InputException(file + ": task '" + names.get(t) + "' has " + (positives[t] == 0 ? "no positives" : "no negatives")
                        + " (a binary task needs both)");
            }
        }
        return new TaskTable(file, List.copyOf(names), labels, rows);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
    }

    private static String shorten(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "…" : s;
    }
}
