package dev.esae.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The group table of SPEC §5: for every SAE, K, L and input, the mean test F1 per task group (S,
 * SO, SP, SPO for the shapes tasks; invariant and orientation for a user's own) and over all
 * tasks, for each probe and for the best probe per task.
 */
public final class ProbeSummary {
    /** The name of the best-probe-per-task row. */
    public static final String BEST = "best";

    /**
     * One row of the table.
     *
     * @param means the mean F1 per task group, in the order the groups first appear among the tasks
     */
    public record Row(String sae, String kind, int k, int length, ProbeInput input, String probe, Map<String, Double> means,
            double all) {
        /** The mean F1 over the shapes tasks of {@code group}, or null when the row has none. */
        public Double group(ProbeTask.Group group) {
            return means.get(group.name());
        }
    }

    private ProbeSummary() {}

    /** The rows in the order their SAE, length and input first appear in {@code results}; probes, then {@code best}. */
    public static List<Row> of(List<ProbeResult> results) {
        Map<List<Object>, List<ProbeResult>> blocks = new LinkedHashMap<>();
        for (ProbeResult r : results) {
            blocks.computeIfAbsent(List.of(r.sae(), r.kind(), r.k(), r.length(), r.input()), key -> new ArrayList<>()).add(r);
        }
        List<Row> rows = new ArrayList<>();
        for (List<ProbeResult> block : blocks.values()) {
            ProbeResult first = block.get(0);
            Map<String, Map<ProbingTask, Double>> byProbe = new LinkedHashMap<>();
            for (ProbeResult r : block) {
                byProbe.computeIfAbsent(r.probe(), p -> new LinkedHashMap<>()).put(r.task(), r.f1());
            }
            Map<ProbingTask, Double> best = new LinkedHashMap<>();
            for (Map<ProbingTask, Double> scores : byProbe.values()) {
                scores.forEach((task, f1) -> best.merge(task, f1, Math::max));
            }
            byProbe.put(BEST, best);
            for (Map.Entry<String, Map<ProbingTask, Double>> e : byProbe.entrySet()) {
                Map<String, double[]> sums = new LinkedHashMap<>();
                double total = 0;
                for (Map.Entry<ProbingTask, Double> s : e.getValue().entrySet()) {
                    double[] acc = sums.computeIfAbsent(s.getKey().groupName(), g -> new double[2]);
                    acc[0] += s.getValue();
                    acc[1]++;
                    total += s.getValue();
                }
                Map<String, Double> means = new LinkedHashMap<>();
                sums.forEach((g, acc) -> means.put(g, acc[0] / acc[1]));
                rows.add(new Row(first.sae(), first.kind(), first.k(), first.length(), first.input(), e.getKey(), means,
                        total / e.getValue().size()));
            }
        }
        return rows;
    }

    /** The table as Markdown: a column per task group (as they first appear), then all tasks. */
    public static String markdown(List<Row> rows) {
        Set<String> groups = new LinkedHashSet<>();
        rows.forEach(r -> groups.addAll(r.means().keySet()));
        StringBuilder sb = new StringBuilder("| SAE | kind | K | L | input | probe |");
        groups.forEach(g -> sb.append(' ').append(g).append(" |"));
        sb.append(" all |\n| --- | --- | ---: | ---: | --- | --- |");
        groups.forEach(g -> sb.append(" ---: |"));
        sb.append(" ---: |\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s", r.sae(), r.kind(), r.k() == 0 ? "" : r.k(),
                    r.length() == 0 ? "" : r.length(), r.input().id(), r.probe()));
            for (String g : groups) {
                Double v = r.means().get(g);
                sb.append(v == null ? " | " : String.format(Locale.ROOT, " | %.3f", v));
            }
            sb.append(String.format(Locale.ROOT, " | %.3f |%n", r.all()));
        }
        return sb.toString();
    }
}
