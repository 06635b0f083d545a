package dev.esae.probe;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The group table of SPEC §5: for every SAE, K, L and input, the mean test F1 per task group (S,
 * SO, SP, SPO) and over all 180 tasks, for each probe and for the best probe per task.
 */
public final class ProbeSummary {
    /** The name of the best-probe-per-task row. */
    public static final String BEST = "best";

    /** One row of the table. */
    public record Row(String sae, String kind, int k, int length, ProbeInput input, String probe, Map<ProbeTask.Group, Double> groups,
            double all) {}

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
            Map<String, Map<ProbeTask, Double>> byProbe = new LinkedHashMap<>();
            for (ProbeResult r : block) {
                byProbe.computeIfAbsent(r.probe(), p -> new LinkedHashMap<>()).put(r.task(), r.f1());
            }
            Map<ProbeTask, Double> best = new LinkedHashMap<>();
            for (Map<ProbeTask, Double> scores : byProbe.values()) {
                scores.forEach((task, f1) -> best.merge(task, f1, Math::max));
            }
            byProbe.put(BEST, best);
            for (Map.Entry<String, Map<ProbeTask, Double>> e : byProbe.entrySet()) {
                Map<ProbeTask.Group, double[]> sums = new EnumMap<>(ProbeTask.Group.class);
                double total = 0;
                for (Map.Entry<ProbeTask, Double> s : e.getValue().entrySet()) {
                    double[] acc = sums.computeIfAbsent(s.getKey().group(), g -> new double[2]);
                    acc[0] += s.getValue();
                    acc[1]++;
                    total += s.getValue();
                }
                Map<ProbeTask.Group, Double> means = new EnumMap<>(ProbeTask.Group.class);
                sums.forEach((g, acc) -> means.put(g, acc[0] / acc[1]));
                rows.add(new Row(first.sae(), first.kind(), first.k(), first.length(), first.input(), e.getKey(), means,
                        total / e.getValue().size()));
            }
        }
        return rows;
    }

    /** The table as Markdown. */
    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| SAE | kind | K | L | input | probe | S | SO | SP | SPO | all |\n");
        sb.append("| --- | --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s", r.sae(), r.kind(), r.k() == 0 ? "" : r.k(),
                    r.length() == 0 ? "" : r.length(), r.input().id(), r.probe()));
            for (ProbeTask.Group g : ProbeTask.Group.values()) {
                Double v = r.groups().get(g);
                sb.append(v == null ? " | " : String.format(Locale.ROOT, " | %.3f", v));
            }
            sb.append(String.format(Locale.ROOT, " | %.3f |%n", r.all()));
        }
        return sb.toString();
    }
}
