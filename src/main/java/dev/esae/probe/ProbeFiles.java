package dev.esae.probe;

import dev.esae.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The files of {@code esae probe}: {@code results.csv} (one row per result; written and read back here) and {@code summary.md} (the group table). */
public final class ProbeFiles {
    public static final String RESULTS = "results.csv";
    public static final String SUMMARY = "summary.md";
    public static final String HEADER = "sae,kind,k,L,input,probe,task,group,f1,train_positives,test_positives";

    private ProbeFiles() {}

    /** The results as CSV (F1 with 6 decimals; empty K and L for the base activations). */
    public static String csv(List<ProbeResult> results) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (ProbeResult r : results) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s,%.6f,%d,%d%n", quote(r.sae()), r.kind(),
                    r.k() == 0 ? "" : Integer.toString(r.k()), r.length() == 0 ? "" : Integer.toString(r.length()), r.input().id(),
                    r.probe(), quote(r.task().name()), r.task().groupName(), r.f1(), r.trainPositives(), r.testPositives()));
        }
        return sb.toString();
    }

    /** Writes both files, each through a temporary name. */
    public static void write(Path dir, List<ProbeResult> results, String preamble) throws IOException {
        AtomicFiles.writeString(dir.resolve(RESULTS), csv(results));
        AtomicFiles.writeString(dir.resolve(SUMMARY), preamble + "\n" + ProbeSummary.markdown(ProbeSummary.of(results)));
    }

    /** Reads {@code results.csv} back into results. */
    public static List<ProbeResult> readResults(Path file) throws IOException {
        Map<String, ProbingTask> tasks = new LinkedHashMap<>();
        for (ProbeTask t : ProbeTasks.all()) {
            tasks.put(t.name(), t);
        }
        List<String> lines = Files.readAllLines(file);
        Map<String, ProbingTask> custom = new LinkedHashMap<>();
        List<ProbeResult> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = csvFields(line);
            // A shapes task by its name; any other is a user's own (probe --tasks) in the group the file gives.
            ProbingTask task = tasks.containsKey(f.get(6)) && tasks.get(f.get(6)).groupName().equals(f.get(7)) ? tasks.get(f.get(6))
                    : custom.computeIfAbsent(f.get(6) + "\u0000" + f.get(7), key -> new CustomTask(f.get(6), f.get(7)));
            out.add(new ProbeResult(f.get(0), f.get(1), f.get(2).isEmpty() ? 0 : Integer.parseInt(f.get(2)),
                    f.get(3).isEmpty() ? 0 : Integer.parseInt(f.get(3)), ProbeInput.valueOf(f.get(4).toUpperCase(Locale.ROOT)), f.get(5),
                    task, Double.parseDouble(f.get(8)), Integer.parseInt(f.get(9)), Integer.parseInt(f.get(10))));
        }
        return out;
    }

    private static List<String> csvFields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String quote(String s) {
        return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
