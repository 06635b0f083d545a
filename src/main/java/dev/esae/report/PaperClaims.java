package dev.esae.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.esae.probe.ProbeInput;
import dev.esae.probe.ProbeSummary;
import dev.esae.probe.ProbeTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's claims (SPEC §5), each checked from one study's own outputs with the numbers it rests
 * on and a verdict, per model and over both:
 *
 * <ul>
 *   <li>R1: the fitted M explains ψ(g^p x): R² ≥ {@value #R1_MIN} (the better solver) and far beyond the
 *       identity (at most half the identity's unexplained variance, {@code 1 − R²}).
 *   <li>R2a: on latents, the invariant/equivariant SAEs (one encoder) are best on the S tasks (on other
 *       images, such as Fashion-MNIST's, the tasks whose labels do not change with the orientation).
 *   <li>R2b: on truncated reconstructions, the equivariant SAE is best over all tasks.
 *   <li>R3a: the equivariant SAE's spliced loss is below the invariant SAE's (the effect of M).
 *   <li>R3b: the regular SAEs are sparser (lower mean L1 of z) than the equivariant one at the same
 *       K. "Regular" as the paper's Section 4 defines it: "two regular TopK SAEs (linear encoder and
 *       decoder)", i.e. topk and wide; the two-layer SAE's L1 is reported beside them.
 * </ul>
 *
 * Probing claims use, as the paper's Section 4 does, the best of the probes per task at the longest
 * probed L, averaged over a task group; "best" is strict (a tie does not hold), and a claim holds for
 * a model only when it holds at every K it is measured at. XGBoost alone is reported beside it.
 */
public final class PaperClaims {
    public static final double R1_MIN = 0.98;
    public static final String HOLDS = "holds";
    public static final String FAILS = "does not hold";
    /** The paper's "regular TopK SAEs (linear encoder and decoder)". */
    static final List<String> REGULAR = List.of("topk", "wide");

    /** What one model's outputs give the claims. */
    public record ModelOutputs(Map<String, Double> fittedR2BySolver, double identityR2, List<ProbeSummary.Row> probing,
            List<Frontier.Point> frontier) {}

    private PaperClaims() {}

    /** One claim: what it says, whether it holds over both models, and each model's verdict and numbers. */
    public record Claim(String statement, String verdict, Map<String, ModelVerdict> models) {}

    /** One model's part of a claim: its verdict and the numbers it rests on. */
    public record ModelVerdict(String verdict, @JsonUnwrapped Numbers numbers) {}

    /** The numbers a claim rests on, one record per kind of claim. */
    public sealed interface Numbers permits R1Numbers, ProbingNumbers, FrontierNumbers {}

    /** R1: the fitted R² per solver, the better one, and the identity's. */
    public record R1Numbers(Map<String, Double> r2BySolver, String bestSolver, double r2, double identityR2) implements Numbers {}

    /** R2a/R2b: per probed K, the task group's scores. */
    public record ProbingNumbers(String group, List<ProbingAtK> perK) implements Numbers {}

    /**
     * One probed K of a probing claim.
     *
     * @param bestProbe each kind's mean best-probe F1 over the group
     * @param xgboost the same with XGBoost alone (left out when it was not run)
     * @param margin the favoured kinds' best minus the others' best
     */
    public record ProbingAtK(int k, @JsonProperty("L") int length, Map<String, Double> bestProbe,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> xgboost, double margin, boolean holds) {}

    /** R3a/R3b: per K of the frontier, the compared value of each kind. */
    public record FrontierNumbers(List<FrontierAtK> perK) implements Numbers {}

    /** One K of a frontier claim: the spliced MSE (R3a) or the mean L1 of z (R3b) of each kind shown. */
    public record FrontierAtK(int k, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> splicedMse,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> l1, boolean holds) {}

    /**
     * The task group R2a is checked on: the properties that do not change when the image is rotated.
     * The shapes' S tasks (which shapes the image holds), or on other images the tasks whose labels are
     * the same in every orientation (Fashion-MNIST's "class c").
     *
     * @param group its name in the probing summary
     * @param wording how a claim's statement names it
     */
    public record InvariantTasks(String group, String wording) {
        /** The shapes' S tasks (SPEC §5). */
        public static final InvariantTasks SHAPES = new InvariantTasks(ProbeTask.Group.S.name(), "the S tasks");
        /** A tasks CSV's orientation-independent tasks (Fashion-MNIST's classes). */
        public static final InvariantTasks CLASSES = new InvariantTasks(dev.esae.probe.CustomTask.INVARIANT,
                "the invariant (class) tasks");
    }

    /** The claims object of report.json on the shapes tasks (R2a on the S group). */
    public static Map<String, Claim> evaluate(Map<String, ModelOutputs> models) {
        return evaluate(models, InvariantTasks.SHAPES);
    }

    /** The claims object of report.json: per claim its statement, verdict, per-model verdicts and numbers. */
    public static Map<String, Claim> evaluate(Map<String, ModelOutputs> models, InvariantTasks invariant) {
        Map<String, Claim> claims = new LinkedHashMap<>();
        claims.put("R1", claim("the fitted M explains ψ(g^p x): R² >= " + R1_MIN + " and at most half the identity's 1 - R²",
                models, PaperClaims::r1));
        claims.put("R2a", claim("on latents (best probe, L = max), the invariant/equivariant SAE is best on " + invariant.wording(), models,
                m -> probing(m, ProbeInput.LATENTS, invariant.group(), List.of("invariant", "equivariant"),
                        List.of("topk", "wide", "twolayer"))));
        claims.put("R2b", claim("on truncated reconstructions (best probe, L = max), the equivariant SAE is best over all tasks",
                models, m -> probing(m, ProbeInput.RECONSTRUCTION, null, List.of("equivariant"),
                        List.of("topk", "wide", "twolayer", "invariant"))));
        claims.put("R3a", claim("the equivariant SAE's spliced MSE is below the invariant SAE's at the same K", models,
                PaperClaims::r3a));
        claims.put("R3b", claim("the regular SAEs (linear encoder: topk, wide) have a lower mean L1 of z than the equivariant SAE at "
                + "the same K", models, PaperClaims::r3b));
        return claims;
    }

    /** One model's part of a claim before it is written: its verdict and its numbers. */
    private record Part(boolean holds, Numbers numbers) {}

    private interface Check {
        Part of(ModelOutputs m);
    }

    private static Claim claim(String statement, Map<String, ModelOutputs> models, Check check) {
        Map<String, ModelVerdict> per = new LinkedHashMap<>();
        boolean all = !models.isEmpty();
        for (Map.Entry<String, ModelOutputs> e : models.entrySet()) {
            Part p = check.of(e.getValue());
            per.put(e.getKey(), new ModelVerdict(verdict(p.holds), p.numbers));
            all &= p.holds;
        }
        return new Claim(statement, verdict(all), per);
    }

    private static String verdict(boolean holds) {
        return holds ? HOLDS : FAILS;
    }

    private static Part r1(ModelOutputs m) {
        String solver = TransformChoice.better(m.fittedR2BySolver());
        double best = solver == null ? Double.NaN : m.fittedR2BySolver().get(solver);
        boolean holds = best >= R1_MIN && 1 - best <= 0.5 * (1 - m.identityR2());
        return new Part(holds, new R1Numbers(m.fittedR2BySolver(), solver, best, m.identityR2()));
    }

    /**
     * Per probed K: the group's (or all tasks' when {@code group} is null) mean best-probe F1 of
     * each kind; holds when the best of {@code favoured} beats every kind of {@code others}.
     */
    private static Part probing(ModelOutputs m, ProbeInput input, String group, List<String> favoured, List<String> others) {
        int length = m.probing().stream().filter(r -> r.input() == input).mapToInt(ProbeSummary.Row::length).max().orElse(0);
        List<Integer> ks = m.probing().stream().filter(r -> r.input() == input).map(ProbeSummary.Row::k).distinct().sorted().toList();
        List<ProbingAtK> perK = new ArrayList<>();
        boolean holds = !ks.isEmpty();
        for (int k : ks) {
            Map<String, Double> best = scores(m, input, group, length, k, ProbeSummary.BEST);
            Map<String, Double> xgb = scores(m, input, group, length, k, "xgboost");
            double fav = max(best, favoured);
            double other = max(best, others);
            boolean ok = fav > other && best.keySet().containsAll(favoured) && best.keySet().containsAll(others);
            perK.add(new ProbingAtK(k, length, best, xgb.isEmpty() ? null : xgb, fav - other, ok));
            holds &= ok;
        }
        return new Part(holds, new ProbingNumbers(group == null ? "all" : group, perK));
    }
    private static Map<String, Double> scores(ModelOutputs m, ProbeInput input, String group, int length, int k, String probe) {
        Map<String, Double> s = new LinkedHashMap<>();
        for (ProbeSummary.Row r : m.probing()) {
            if (r.input() == input && r.length() == length && r.k() == k && r.probe().equals(probe)) {
                Double v = group == null ? Double.valueOf(r.all()) : r.means().get(group);
                if (v != null) {
                    s.put(r.kind(), v);
                }
            }
        }
        return s;
    }

    private static double max(Map<String, Double> scores, List<String> kinds) {
        double m = Double.NEGATIVE_INFINITY;
        for (String kind : kinds) {
            Double v = scores.get(kind);
            if (v != null) {
                m = Math.max(m, v);
            }
        }
        return m;
    }

    private static Part r3a(ModelOutputs m) {
        return frontier(m, (eq, others) -> {
            Frontier.Point inv = others.get("invariant");
            return inv != null && eq.splicedMse() < inv.splicedMse();
        }, Frontier.Point::splicedMse, List.of("invariant", "equivariant"), true);
    }

    private static Part r3b(ModelOutputs m) {
        return frontier(m, (eq, others) -> REGULAR.stream().allMatch(k -> others.containsKey(k) && others.get(k).l1() < eq.l1()),
                Frontier.Point::l1, List.of("topk", "wide", "twolayer", "equivariant"), false);
    }

    private interface PointTest {
        boolean holds(Frontier.Point equivariant, Map<String, Frontier.Point> byKind);
    }

    /** Per K of the frontier: the value (spliced MSE, else L1) of each listed kind, and whether {@code test} holds. */
    private static Part frontier(ModelOutputs m, PointTest test, java.util.function.ToDoubleFunction<Frontier.Point> value,
            List<String> shown, boolean splicedMse) {
        Map<Integer, Map<String, Frontier.Point>> byK = new java.util.TreeMap<>();
        for (Frontier.Point p : m.frontier()) {
            byK.computeIfAbsent(p.k(), k -> new LinkedHashMap<>()).put(p.kind(), p);
        }
        List<FrontierAtK> perK = new ArrayList<>();
        boolean holds = !byK.isEmpty();
        for (Map.Entry<Integer, Map<String, Frontier.Point>> e : byK.entrySet()) {
            Frontier.Point eq = e.getValue().get("equivariant");
            boolean ok = eq != null && test.holds(eq, e.getValue());
            Map<String, Double> values = new LinkedHashMap<>();
            for (String kind : shown) {
                Frontier.Point p = e.getValue().get(kind);
                if (p != null) {
                    values.put(kind, value.applyAsDouble(p));
                }
            }
            perK.add(new FrontierAtK(e.getKey(), splicedMse ? values : null, splicedMse ? null : values, ok));
            holds &= ok;
        }
        return new Part(holds, new FrontierNumbers(perK));
    }

    /** The claims section of report.md. */
    public static String markdown(Map<String, Claim> claims) {
        return ReportMarkdown.blocks(section(claims));
    }

    /** The claims section of the report: a heading, what the numbers are, and a row per claim. */
    public static List<ReportDocument.Block> section(Map<String, Claim> claims) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Claim> e : claims.entrySet()) {
            Claim c = e.getValue();
            StringBuilder nums = new StringBuilder();
            List<String> verdicts = new ArrayList<>();
            for (String model : StudyLayout.ARCHS) {
                ModelVerdict part = c.models().get(model);
                verdicts.add(part == null ? "–" : part.verdict());
                if (part != null) {
                    if (nums.length() > 0) {
                        nums.append("; ");
                    }
                    nums.append(model.toUpperCase(Locale.ROOT)).append(": ").append(numbers(part.numbers()));
                }
            }
            rows.add(List.of(e.getKey() + ": " + c.statement(), "**" + c.verdict() + "**", verdicts.get(0), verdicts.get(1), nums.toString()));
        }
        return List.of(new ReportDocument.Heading(2, "The paper's claims, checked on this run"),
                ReportDocument.Text.of("Computed from this study's own outputs (report.json `claims`); probing claims use the best of the "
                        + "probes per task at the longest L, averaged over the group, as the paper's Section 4 does (XGBoost alone in brackets)."),
                new ReportDocument.Table(List.of(ReportDocument.Column.text("claim"), ReportDocument.Column.text("verdict"),
                        ReportDocument.Column.text("MLP"), ReportDocument.Column.text("CNN"), ReportDocument.Column.text("numbers")), rows));
    }

    private static String numbers(Numbers numbers) {
        if (numbers instanceof R1Numbers r) {
            return String.format(Locale.ROOT, "R² %.4f (%s; %s), identity %.4f", r.r2(), r.bestSolver(), fmt(r.r2BySolver(), "%.4f"),
                    r.identityR2());
        }
        List<String> ks = new ArrayList<>();
        if (numbers instanceof ProbingNumbers p) {
            for (ProbingAtK row : p.perK()) {
                String body = fmt(row.bestProbe(), "%.3f") + (row.xgboost() == null ? "" : " [" + fmt(row.xgboost(), "%.3f") + "]");
                ks.add("K=" + row.k() + (row.holds() ? " ✓ " : " ✗ ") + body);
            }
        } else if (numbers instanceof FrontierNumbers f) {
            for (FrontierAtK row : f.perK()) {
                ks.add("K=" + row.k() + (row.holds() ? " ✓ " : " ✗ ") + fmt(row.splicedMse() != null ? row.splicedMse() : row.l1(), "%.4g"));
            }
        }
        return String.join(", ", ks);
    }

    private static String fmt(Map<String, Double> values, String format) {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> out.add(k + " " + String.format(Locale.ROOT, format, v)));
        return String.join(" / ", out);
    }
}
