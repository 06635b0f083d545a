package dev.esae.probe;

import dev.esae.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The files of {@code esae probe}: {@code results.csv} (one row per result) and {@code summary.md} (the group table). */
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
                    r.probe(), quote(r.task().name()), r.task().group(), r.f1(), r.trainPositives(), r.testPositives()));
        }
        return sb.toString();
    }

    /** Writes both files, each through a temporary name. */
    public static void write(Path dir, List<ProbeResult> results, String preamble) throws IOException {
        AtomicFiles.writeString(dir.resolve(RESULTS), csv(results));
        AtomicFiles.writeString(dir.resolve(SUMMARY), preamble + "\n" + ProbeSummary.markdown(ProbeSummary.of(results)));
    }

    private static String quote(String s) {
        return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
