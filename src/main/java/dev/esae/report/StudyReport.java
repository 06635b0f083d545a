package dev.esae.report;

import dev.esae.io.Charts;
import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import dev.esae.probe.ProbeFiles;
import dev.esae.probe.ProbeInput;
import dev.esae.probe.ProbeResult;
import dev.esae.probe.ProbeSummary;
import dev.esae.probe.ProbeTask;
import dev.esae.probe.ProbeTasks;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.json} (every number of the study) and {@code report.md} (tables and figures), read
 * back from the outputs of {@code esae reproduce}: base losses, R² of M, SAE metrics, probing group
 * tables, the frontier, the atlas's feature classes and the wall time of every step.
 */
public final class StudyReport {
    private final StudyLayout layout;
    private final Map<String, Object> settings;
    private final List<Integer> ks;
    private final List<Integer> probeKs;
    private final List<Integer> lengths;

    /** @param settings the preset's settings, reported as given */
    public StudyReport(StudyLayout layout, Map<String, Object> settings, List<Integer> ks, List<Integer> probeKs, List<Integer> lengths) {
        this.layout = layout;
        this.settings = settings;
        this.ks = ks;
        this.probeKs = probeKs;
        this.lengths = lengths;
    }

    /** Reads every output, writes the figures, {@code report.json} and {@code report.md}; returns the JSON object. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> write() throws IOException {
        Files.createDirectories(layout.figures());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("settings", settings);
        Map<String, Object> timings = Files.isRegularFile(layout.timings())
                ? Json.parseObject(Files.readString(layout.timings())) : Map.of();
        report.put("timings_s", timings);
        Map<String, Object> archs = new LinkedHashMap<>();
        StringBuilder body = new StringBuilder();
        Map<String, PaperClaims.ModelOutputs> claimInputs = new LinkedHashMap<>();
        for (String arch : StudyLayout.ARCHS) {
            archs.put(arch, archSection(arch, body, claimInputs));
        }
        Map<String, Object> claims = PaperClaims.evaluate(claimInputs);
        report.put("claims", claims);
        report.put("models", archs);
        StringBuilder md = new StringBuilder("# esae study report\n\n");
        md.append(String.format(Locale.ROOT, "Canonical images: **%s** shapes (%s). Settings: %s%n%n", settings.get("orientations"),
                "upright".equals(settings.get("orientations")) ? "SPEC §1, the paper's dataset"
                        : "the identifiability ablation: ψ(x) cannot be told from ψ(g^p x)", Json.write(settings)));
        Map<String, Object> datasets = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : Map.of("train", layout.data(), "probe", layout.probeData()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())).toList()) {
            Path info = e.getValue().resolve(dev.esae.data.DatasetFiles.INFO);
            if (Files.isRegularFile(info)) {
                Map<String, Object> j = Json.parseObject(Files.readString(info));
                datasets.put(e.getKey(), j);
                md.append(String.format(Locale.ROOT, "%s set: %s images, %s of them distinct.  %n",
                        e.getKey().equals("train") ? "Training" : "Probe", j.get("images"), j.get("distinct_images")));
            }
        }
        if (datasets.size() == 2) {
            int seen = dev.esae.data.DatasetFiles.read(layout.probeData()).imagesAlsoIn(dev.esae.data.DatasetFiles.read(layout.data()));
            ((Map<String, Object>) datasets.get("probe")).put("also_in_training_set", seen);
            md.append(String.format(Locale.ROOT, "Probe images that also occur in the training set: %d (the upright shapes allow only "
                    + "8^4 = 4,096 images, as in the paper's dataset).%n", seen));
        }
        report.put("datasets", datasets);
        md.append('\n').append(PaperClaims.markdown(claims));
        md.append(body);
        md.append("## Wall time per step\n\n| step | seconds |\n| --- | ---: |\n");
        for (Map.Entry<String, Object> e : timings.entrySet()) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", e.getKey(), ((Number) e.getValue()).doubleValue()));
        }
        md.append("\nThe feature atlas: [atlas.html](atlas.html).\n");
        report.put("complete", true);
        AtomicFiles.writeString(layout.reportJson(), Json.pretty(report));
        AtomicFiles.writeString(layout.reportMd(), md.toString());
        return report;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> archSection(String arch, StringBuilder md, Map<String, PaperClaims.ModelOutputs> claimInputs)
            throws IOException {
        Map<String, Object> a = new LinkedHashMap<>();
        String name = arch.toUpperCase(Locale.ROOT);
        md.append("## ").append(name).append(" autoencoder\n\n");
        List<String> loss = Files.readAllLines(layout.model(arch).resolve("loss.csv"));
        double finalLoss = Double.parseDouble(loss.get(loss.size() - 1).split(",")[1]);
        a.put("base_final_loss", finalLoss);
        md.append(String.format(Locale.ROOT, "Base model: final training loss %.6g after %d epochs.%n%n", finalLoss, loss.size() - 1));

        Map<String, Object> r2BySolver = new LinkedHashMap<>();
        Map<String, Double> fittedR2 = new LinkedHashMap<>();
        md.append("### M: R² of `M^p ψ(x)` against `ψ(g^p x)` (training activations)\n\n"
                + "| fit | mean | std | per p | ‖M^n − I‖_F/√d | budget |\n| --- | ---: | ---: | --- | ---: | --- |\n");
        Map<String, Object> identity = null;
        Map<String, Object> lstsq = null;
        for (String solver : TransformChoice.SOLVERS) {
            Path dir = layout.transform(arch, solver);
            Map<String, Object> r2 = Json.parseObject(Files.readString(dir.resolve("r2.json")));
            r2BySolver.put(solver, r2);
            Map<?, ?> f = (Map<?, ?>) r2.get("fitted");
            fittedR2.put(solver, num(f.get("mean")));
            String budget = solver.equals("adam") ? r2.get("epochs") + " epochs"
                    : r2.get("iterations") + " iterations (" + r2.get("stop") + ")";
            md.append(String.format(Locale.ROOT, "| fitted, %s | %.4f | %.4f | %s | %.4g | %s |%n", solver, num(f.get("mean")),
                    num(f.get("std")), perP(f.get("per_p")), num(r2.get("cycle_error")), budget));
            identity = identity == null ? (Map<String, Object>) r2.get("identity") : identity;
            lstsq = lstsq == null ? (Map<String, Object>) r2.get("lstsq") : lstsq;
        }
        for (Map.Entry<String, Map<String, Object>> e : Map.of("identity", identity, "least squares (p = 1, powered)", lstsq)
                .entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %s | | |%n", e.getKey(), num(e.getValue().get("mean")),
                    num(e.getValue().get("std")), perP(e.getValue().get("per_p"))));
        }
        TransformChoice chosen = TransformChoice.of(layout, arch, fittedR2);
        a.put("r2", r2BySolver);
        a.put("m_for_equivariant_sae", Map.of("solver", chosen.solver(), "r2", chosen.r2()));
        md.append(String.format(Locale.ROOT, "%nThe equivariant SAEs use the %s fit (the higher training R², %.4f).%n%n", chosen.solver(),
                chosen.r2()));
        r2Chart(arch, r2BySolver, identity, lstsq, layout.figures().resolve("r2-" + arch + ".png"));
        md.append("![R² per p](figures/r2-").append(arch).append(".png)\n\n");
        double identityR2 = num(identity.get("mean"));

        List<Map<String, Object>> saes = new ArrayList<>();
        md.append("### SAEs\n\n| kind | K | MSE | FVU | L0 | L1 | dead |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int k : ks) {
            for (SaeKind kind : SaeKind.values()) {
                Map<String, Object> m = Json.parseObject(Files.readString(layout.sae(arch, kind, k).resolve(SaeFiles.METRICS)));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("kind", kind.id());
                row.put("k", k);
                row.putAll(m);
                saes.add(row);
                md.append(String.format(Locale.ROOT, "| %s | %d | %.4g | %.4f | %.2f | %.3f | %.1f%% |%n", kind.id(), k, num(m.get("mse")),
                        num(m.get("fvu")), num(m.get("l0")), num(m.get("l1")), 100 * num(m.get("dead_fraction"))));
            }
        }
        a.put("saes", saes);

        List<ProbeResult> results = readResults(layout.probeOut(arch).resolve(ProbeFiles.RESULTS));
        List<ProbeSummary.Row> rows = ProbeSummary.of(results);
        List<Map<String, Object>> probing = new ArrayList<>();
        for (ProbeSummary.Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sae", r.sae());
            row.put("kind", r.kind());
            row.put("k", r.k());
            row.put("L", r.length());
            row.put("input", r.input().id());
            row.put("probe", r.probe());
            r.groups().forEach((g, v) -> row.put(g.name(), v));
            row.put("all", r.all());
            probing.add(row);
        }
        a.put("probing", probing);
        String probe = results.stream().anyMatch(r -> r.probe().equals("xgboost")) ? "xgboost" : ProbeSummary.BEST;
        int length = lengths.get(lengths.size() - 1);
        md.append("\n### Probing: mean test F1 per task group (").append(probe).append(", L = ").append(length).append(")\n\n");
        md.append("| SAE | input | S | SO | SP | SPO | all |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (ProbeSummary.Row r : rows) {
            if (r.probe().equals(probe) && (r.length() == length || r.input() == ProbeInput.BASE)) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                        r.input() == ProbeInput.BASE ? "base ψ" : r.kind() + " K=" + r.k(), r.input().id(), r.groups().get(ProbeTask.Group.S),
                        r.groups().get(ProbeTask.Group.SO), r.groups().get(ProbeTask.Group.SP), r.groups().get(ProbeTask.Group.SPO), r.all()));
            }
        }
        md.append("\nEvery probe, length and K: `probe-").append(arch).append("/summary.md`.\n\n");
        for (ProbeInput input : List.of(ProbeInput.LATENTS, ProbeInput.RECONSTRUCTION)) {
            String file = "probe-" + arch + "-" + input.id() + ".png";
            probeChart(rows, probe, length, input, name, layout.figures().resolve(file));
            md.append("![probing, ").append(input.id()).append("](figures/").append(file).append(")\n");
        }

        List<String> frontier = Files.readAllLines(layout.frontierOut(arch).resolve(Frontier.CSV));
        List<Map<String, Object>> points = new ArrayList<>();
        List<Frontier.Point> framePoints = new ArrayList<>();
        md.append("\n### Frontier: spliced MSE against mean L1 of z\n\n| SAE | L1 | spliced MSE | base MSE |\n| --- | ---: | ---: | ---: |\n");
        for (String line : frontier.subList(1, frontier.size())) {
            String[] f = line.split(",");
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("sae", f[0]);
            p.put("kind", f[1]);
            p.put("k", Integer.parseInt(f[2]));
            p.put("l0", Double.parseDouble(f[3]));
            p.put("l1", Double.parseDouble(f[4]));
            p.put("spliced_mse", Double.parseDouble(f[5]));
            p.put("base_mse", Double.parseDouble(f[6]));
            points.add(p);
            framePoints.add(new Frontier.Point(f[0], f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6])));
            md.append(String.format(Locale.ROOT, "| %s K=%s | %s | %s | %s |%n", f[1], f[2], f[4], f[5], f[6]));
        }
        a.put("frontier", points);
        claimInputs.put(arch, new PaperClaims.ModelOutputs(fittedR2, identityR2, rows, framePoints));
        copy(layout.frontierOut(arch).resolve(Frontier.PNG), layout.figures().resolve("frontier-" + arch + ".png"));
        md.append("\n![frontier](figures/frontier-").append(arch).append(".png)\n\n");

        if (Files.isRegularFile(layout.atlasJson())) {
            Object atlas = Json.parseObject(Files.readString(layout.atlasJson())).get(arch);
            a.put("atlas", atlas);
            if (atlas instanceof Map<?, ?> at) {
                md.append(String.format(Locale.ROOT, "### Features of the equivariant SAE (K = %s)%n%n%s of the %s most frequent features are "
                        + "invariant (cos(M^p D_i, D_i) >= %.1f for every p), the rest equivariant.%n%n", at.get("k"), at.get("invariant"),
                        at.get("features"), FeatureAtlas.INVARIANT_COSINE));
            }
            md.append("![decoded features](figures/features-").append(arch).append(".png)\n\n");
        }
        return a;
    }

    /** R² per p of both solvers' M, the least-squares map and the identity, in one chart. */
    @SuppressWarnings("unchecked")
    private static void r2Chart(String arch, Map<String, Object> r2BySolver, Map<String, Object> identity, Map<String, Object> lstsq,
            Path file) throws IOException {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : r2BySolver.entrySet()) {
            series.put("fitted M, " + e.getKey(), doubles(((Map<String, Object>) ((Map<String, Object>) e.getValue()).get("fitted")).get("per_p")));
        }
        series.put("least squares (p = 1, powered)", doubles(lstsq.get("per_p")));
        series.put("identity", doubles(identity.get("per_p")));
        Charts.r2PerPower(file, arch.toUpperCase(Locale.ROOT) + ": how well M^p predicts the activations of g^p x", series);
    }

    private static List<Double> doubles(Object list) {
        List<Double> out = new ArrayList<>();
        for (Object v : (List<?>) list) {
            out.add(num(v));
        }
        return out;
    }

    private void probeChart(List<ProbeSummary.Row> rows, String probe, int length, ProbeInput input, String arch, Path file) throws IOException {
        List<String> groups = List.of("S", "SO", "SP", "SPO");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        int k = probeKs.get(probeKs.size() / 2);
        for (ProbeSummary.Row r : rows) {
            boolean base = r.input() == ProbeInput.BASE;
            if (!r.probe().equals(probe) || !(base || r.input() == input && r.length() == length && r.k() == k)) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (String g : groups) {
                values.add(r.groups().get(ProbeTask.Group.valueOf(g)));
            }
            series.put(base ? "base ψ" : r.kind(), values);
        }
        // Base last, as the upper bound beside the SAEs.
        List<Double> base = series.remove("base ψ");
        if (base != null) {
            series.put("base ψ", base);
        }
        Charts.groupedBars(file, String.format(Locale.ROOT, "%s: probes on SAE %s (K = %d, L = %d, %s)", arch, input.id(), k, length, probe),
                "task group", "mean test F1", groups, series, 0.0, 1.0);
    }

    /** Reads {@code results.csv} back into results. */
    public static List<ProbeResult> readResults(Path file) throws IOException {
        Map<String, ProbeTask> tasks = new LinkedHashMap<>();
        for (ProbeTask t : ProbeTasks.all()) {
            tasks.put(t.name(), t);
        }
        List<String> lines = Files.readAllLines(file);
        List<ProbeResult> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = csvFields(line);
            out.add(new ProbeResult(f.get(0), f.get(1), f.get(2).isEmpty() ? 0 : Integer.parseInt(f.get(2)),
                    f.get(3).isEmpty() ? 0 : Integer.parseInt(f.get(3)), ProbeInput.valueOf(f.get(4).toUpperCase(Locale.ROOT)), f.get(5),
                    tasks.get(f.get(6)), Double.parseDouble(f.get(8)), Integer.parseInt(f.get(9)), Integer.parseInt(f.get(10))));
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

    private static String perP(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            for (Object v : l) {
                out.add(String.format(Locale.ROOT, "%.4f", num(v)));
            }
        }
        return "[" + String.join(", ", out) + "]";
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static void copy(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
