package dev.esae.report;

import dev.esae.data.DatasetFiles;
import dev.esae.data.DatasetInfo;
import dev.esae.equivariance.TransformFiles;
import dev.esae.equivariance.TransformFitReport;
import dev.esae.equivariance.TransformScore;
import dev.esae.io.AtomicFiles;
import dev.esae.io.Charts;
import dev.esae.io.Json;
import dev.esae.probe.ProbeFiles;
import dev.esae.probe.ProbeInput;
import dev.esae.probe.ProbeResult;
import dev.esae.probe.ProbeSummary;
import dev.esae.probe.ProbeTask;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SaeKind;
import dev.esae.sae.SaeScores;
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
 * {@code report.json} (every number of the study), {@code report.md} and {@code report.html} (the
 * same tables and figures, from one {@link ReportDocument}), read back from the outputs of
 * {@code esae reproduce}: base losses, R² of M, SAE metrics, probing group tables, the frontier,
 * the atlas's feature classes and the wall time of every step.
 */
public final class StudyReport {
    private final StudyLayout layout;
    private final StudySettings settings;
    private final List<Integer> ks;
    private final List<Integer> probeKs;
    private final List<Integer> lengths;

    /** @param settings the study's settings, reported as given */
    public StudyReport(StudyLayout layout, StudySettings settings) {
        this.layout = layout;
        this.settings = settings;
        this.ks = settings.k();
        this.probeKs = settings.probeK();
        this.lengths = settings.lengths();
    }

    /**
     * Reads every output, writes the figures, {@code report.html}, {@code report.json} and {@code report.md} (in that order:
     * the study's done-check reads the last two); returns what report.json holds.
     */
    public StudyReportFile write() throws IOException {
        Files.createDirectories(layout.figures());
        Map<String, Double> timings = Files.isRegularFile(layout.timings())
                ? Json.readMap(layout.timings(), Double.class, "the study's step times") : Map.of();
        Map<String, StudyReportFile.Model> archs = new LinkedHashMap<>();
        List<ReportDocument.Block> body = new ArrayList<>();
        Map<String, PaperClaims.ModelOutputs> claimInputs = new LinkedHashMap<>();
        for (String arch : StudyLayout.ARCHS) {
            archs.put(arch, archSection(arch, body, claimInputs));
        }
        Map<String, PaperClaims.Claim> claims = PaperClaims.evaluate(claimInputs,
                settings.fashion() ? PaperClaims.InvariantTasks.CLASSES : PaperClaims.InvariantTasks.SHAPES);
        List<ReportDocument.Block> doc = new ArrayList<>();
        if (settings.fashion()) {
            doc.add(ReportDocument.Text.of("Canonical images: **Fashion-MNIST**, upright by nature (its train split to train on, its "
                    + "test split to probe; each 28×28 image upscaled 2× and centred in the 64×64 frame). Probing tasks: the dataset's "
                    + "tasks.csv, 10 \"class c\" (invariant) and 40 \"class c at rotation p\" (orientation). Settings: " + Json.write(settings)));
        } else {
            doc.add(ReportDocument.Text.of(String.format(Locale.ROOT, "Canonical images: **%s** shapes (%s). Settings: %s",
                    settings.orientations(), "upright".equals(settings.orientations()) ? "SPEC §1, the paper's dataset"
                            : "the identifiability ablation: ψ(x) cannot be told from ψ(g^p x)", Json.write(settings))));
        }
        List<String> dataLines = new ArrayList<>();
        Map<String, StudyReportFile.Dataset> datasets = new LinkedHashMap<>();
        DatasetInfo train = DatasetFiles.info(layout.data());
        DatasetInfo probe = DatasetFiles.info(layout.probeData());
        Integer seen = null;
        if (train != null && probe != null) {
            seen = DatasetFiles.read(layout.probeData()).imagesAlsoIn(DatasetFiles.read(layout.data()));
        }
        if (train != null) {
            datasets.put("train", new StudyReportFile.Dataset(train, null));
            dataLines.add(String.format(Locale.ROOT, "Training set: %s images%s, %s of them distinct.", train.images(), split(train),
                    train.distinctImages()));
        }
        if (probe != null) {
            datasets.put("probe", new StudyReportFile.Dataset(probe, seen));
            dataLines.add(String.format(Locale.ROOT, "Probe set: %s images%s, %s of them distinct.", probe.images(), split(probe),
                    probe.distinctImages()));
        }
        if (seen != null && settings.fashion()) {
            dataLines.add(String.format(Locale.ROOT, "Probe images that are pixel for pixel also training images: %d.", seen));
        } else if (seen != null) {
            dataLines.add(String.format(Locale.ROOT, "Probe images that also occur in the training set: %d (the upright shapes allow only "
                    + "8^4 = 4,096 images, as in the paper's dataset).", seen));
        }
        if (!dataLines.isEmpty()) {
            doc.add(new ReportDocument.Text(dataLines));
        }
        doc.addAll(PaperClaims.section(claims));
        doc.addAll(body);
        doc.add(new ReportDocument.Heading(2, "Wall time per step"));
        List<List<String>> times = new ArrayList<>();
        for (Map.Entry<String, Double> e : timings.entrySet()) {
            times.add(List.of(e.getKey(), String.format(Locale.ROOT, "%.1f", e.getValue())));
        }
        doc.add(new ReportDocument.Table(List.of(ReportDocument.Column.text("step"), ReportDocument.Column.number("seconds")), times));
        doc.add(ReportDocument.Text.of("The feature atlas: [atlas.html](atlas.html)."));
        ReportDocument document = new ReportDocument("esae study report", doc);
        StudyReportFile report = new StudyReportFile(settings, timings, claims, archs, datasets, true);
        AtomicFiles.writeString(layout.reportHtml(), ReportHtml.render(document, layout.figures()));
        AtomicFiles.writeString(layout.reportJson(), Json.pretty(report));
        AtomicFiles.writeString(layout.reportMd(), ReportMarkdown.render(document));
        return report;
    }

    private StudyReportFile.Model archSection(String arch, List<ReportDocument.Block> blocks, Map<String, PaperClaims.ModelOutputs> claimInputs)
            throws IOException {
        String name = arch.toUpperCase(Locale.ROOT);
        blocks.add(new ReportDocument.Heading(2, name + " autoencoder"));
        List<String> loss = Files.readAllLines(layout.model(arch).resolve("loss.csv"));
        double finalLoss = Double.parseDouble(loss.get(loss.size() - 1).split(",")[1]);
        blocks.add(ReportDocument.Text.of(String.format(Locale.ROOT, "Base model: final training loss %.6g after %d epochs.", finalLoss,
                loss.size() - 1)));

        Map<String, TransformFitReport> r2BySolver = new LinkedHashMap<>();
        Map<String, Double> fittedR2 = new LinkedHashMap<>();
        blocks.add(new ReportDocument.Heading(3, "M: R² of `M^p ψ(x)` against `ψ(g^p x)` (training activations)"));
        List<List<String>> r2Rows = new ArrayList<>();
        TransformScore identity = null;
        TransformScore lstsq = null;
        for (String solver : TransformChoice.SOLVERS) {
            TransformFitReport r2 = Json.read(layout.transform(arch, solver).resolve(TransformFiles.REPORT), TransformFitReport.class,
                    "a transform fit's report");
            r2BySolver.put(solver, r2);
            TransformScore f = r2.fitted();
            fittedR2.put(solver, f.mean());
            String budget = solver.equals("adam") ? r2.run().epochs() + " epochs"
                    : r2.run().iterations() + " iterations (" + r2.run().stop() + ")";
            r2Rows.add(List.of("fitted, " + solver, f4(f.mean()), f4(f.std()), perP(f.perP()),
                    String.format(Locale.ROOT, "%.4g", r2.cycleError()), budget));
            identity = identity == null ? r2.identity() : identity;
            lstsq = lstsq == null ? r2.lstsq() : lstsq;
        }
        for (Map.Entry<String, TransformScore> e : List.of(Map.entry("identity", identity), Map.entry("least squares (p = 1, powered)", lstsq))) {
            r2Rows.add(List.of(e.getKey(), f4(e.getValue().mean()), f4(e.getValue().std()), perP(e.getValue().perP()), "", ""));
        }
        blocks.add(new ReportDocument.Table(List.of(ReportDocument.Column.text("fit"), ReportDocument.Column.number("mean"),
                ReportDocument.Column.number("std"), ReportDocument.Column.text("per p"), ReportDocument.Column.number("‖M^n − I‖_F/√d"),
                ReportDocument.Column.text("budget")), r2Rows));
        TransformChoice chosen = TransformChoice.of(layout, arch, fittedR2);
        blocks.add(ReportDocument.Text.of(String.format(Locale.ROOT, "The equivariant SAEs use the %s fit (the higher training R², %.4f).",
                chosen.solver(), chosen.r2())));
        r2Chart(arch, r2BySolver, identity, lstsq, layout.figures().resolve("r2-" + arch + ".png"));
        blocks.add(new ReportDocument.Figure("R² per p", "r2-" + arch + ".png"));

        List<StudyReportFile.Sae> saes = new ArrayList<>();
        blocks.add(new ReportDocument.Heading(3, "SAEs"));
        List<List<String>> saeRows = new ArrayList<>();
        for (int k : ks) {
            for (SaeKind kind : SaeKind.values()) {
                SaeScores m = Json.read(layout.sae(arch, kind, k).resolve(SaeFiles.METRICS), SaeScores.class, "an SAE's metrics");
                saes.add(new StudyReportFile.Sae(kind.id(), k, m));
                saeRows.add(List.of(kind.id(), Integer.toString(k), String.format(Locale.ROOT, "%.4g", m.mse()), f4(m.fvu()),
                        String.format(Locale.ROOT, "%.2f", m.l0()), String.format(Locale.ROOT, "%.3f", m.l1()),
                        String.format(Locale.ROOT, "%.1f%%", 100 * m.deadFraction())));
            }
        }
        blocks.add(new ReportDocument.Table(List.of(ReportDocument.Column.text("kind"), ReportDocument.Column.number("K"),
                ReportDocument.Column.number("MSE"), ReportDocument.Column.number("FVU"), ReportDocument.Column.number("L0"),
                ReportDocument.Column.number("L1"), ReportDocument.Column.number("dead")), saeRows));

        List<ProbeResult> results = ProbeFiles.readResults(layout.probeOut(arch).resolve(ProbeFiles.RESULTS));
        List<ProbeSummary.Row> rows = ProbeSummary.of(results);
        List<StudyReportFile.Probing> probing = rows.stream().map(StudyReportFile.Probing::of).toList();
        String probe = results.stream().anyMatch(r -> r.probe().equals("xgboost")) ? "xgboost" : ProbeSummary.BEST;
        int length = lengths.get(lengths.size() - 1);
        blocks.add(new ReportDocument.Heading(3, "Probing: mean test F1 per task group (" + probe + ", L = " + length + ")"));
        List<String> groups = groups(rows);
        List<List<String>> probeRows = new ArrayList<>();
        for (ProbeSummary.Row r : rows) {
            if (r.probe().equals(probe) && (r.length() == length || r.input() == ProbeInput.BASE)) {
                List<String> row = new ArrayList<>(List.of(r.input() == ProbeInput.BASE ? "base ψ" : r.kind() + " K=" + r.k(), r.input().id()));
                for (String g : groups) {
                    row.add(f3(r.means().get(g)));
                }
                row.add(f3(r.all()));
                probeRows.add(row);
            }
        }
        List<ReportDocument.Column> probeColumns = new ArrayList<>(List.of(ReportDocument.Column.text("SAE"), ReportDocument.Column.text("input")));
        for (String g : groups) {
            probeColumns.add(ReportDocument.Column.number(g));
        }
        probeColumns.add(ReportDocument.Column.number("all"));
        blocks.add(new ReportDocument.Table(probeColumns, probeRows));
        blocks.add(ReportDocument.Text.of("Every probe, length and K: `probe-" + arch + "/summary.md`."));
        for (ProbeInput input : List.of(ProbeInput.LATENTS, ProbeInput.RECONSTRUCTION)) {
            String file = "probe-" + arch + "-" + input.id() + ".png";
            probeChart(rows, groups, probe, length, input, name, layout.figures().resolve(file));
            blocks.add(new ReportDocument.Figure("probing, " + input.id(), file));
        }

        List<Frontier.Point> points = Frontier.read(layout.frontierOut(arch).resolve(Frontier.CSV));
        blocks.add(new ReportDocument.Heading(3, "Frontier: spliced MSE against mean L1 of z"));
        List<List<String>> frontierRows = new ArrayList<>();
        for (Frontier.Point p : points) {
            frontierRows.add(List.of(p.kind() + " K=" + p.k(), Frontier.number(p.l1()), Frontier.number(p.splicedMse()),
                    Frontier.number(p.baseMse())));
        }
        blocks.add(new ReportDocument.Table(List.of(ReportDocument.Column.text("SAE"), ReportDocument.Column.number("L1"),
                ReportDocument.Column.number("spliced MSE"), ReportDocument.Column.number("base MSE")), frontierRows));
        claimInputs.put(arch, new PaperClaims.ModelOutputs(fittedR2, identity.mean(), rows, points));
        copy(layout.frontierOut(arch).resolve(Frontier.PNG), layout.figures().resolve("frontier-" + arch + ".png"));
        blocks.add(new ReportDocument.Figure("frontier", "frontier-" + arch + ".png"));

        StudyAtlas.Section atlas = null;
        if (Files.isRegularFile(layout.atlasJson())) {
            atlas = StudyAtlas.read(layout).get(arch);
            if (atlas != null) {
                blocks.add(new ReportDocument.Heading(3, String.format(Locale.ROOT, "Features of the equivariant SAE (K = %d)", atlas.k())));
                blocks.add(ReportDocument.Text.of(String.format(Locale.ROOT, "%d of the %d most frequent features are invariant "
                        + "(cos(M^p D_i, D_i) >= %.1f for every p), the rest equivariant.", atlas.invariant(), atlas.features(),
                        FeatureAtlas.INVARIANT_COSINE)));
            }
            blocks.add(new ReportDocument.Figure("decoded features", "features-" + arch + ".png"));
        }
        return new StudyReportFile.Model(finalLoss, r2BySolver, new StudyReportFile.Choice(chosen.r2(), chosen.solver()), saes, probing,
                points, atlas);
    }

    /** R² per p of both solvers' M, the least-squares map and the identity, in one chart. */
    private static void r2Chart(String arch, Map<String, TransformFitReport> r2BySolver, TransformScore identity, TransformScore lstsq,
            Path file) throws IOException {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (Map.Entry<String, TransformFitReport> e : r2BySolver.entrySet()) {
            series.put("fitted M, " + e.getKey(), e.getValue().fitted().perP());
        }
        series.put("least squares (p = 1, powered)", lstsq.perP());
        series.put("identity", identity.perP());
        Charts.r2PerPower(file, arch.toUpperCase(Locale.ROOT) + ": how well M^p predicts the activations of g^p x", series);
    }

    private void probeChart(List<ProbeSummary.Row> rows, List<String> groups, String probe, int length, ProbeInput input, String arch,
            Path file) throws IOException {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        int k = probeKs.get(probeKs.size() / 2);
        for (ProbeSummary.Row r : rows) {
            boolean base = r.input() == ProbeInput.BASE;
            if (!r.probe().equals(probe) || !(base || r.input() == input && r.length() == length && r.k() == k)) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (String g : groups) {
                values.add(r.means().get(g));
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

    /** The task groups of the summary, in the order they first appear (S, SO, SP, SPO; or invariant, orientation). */
    private static List<String> groups(List<ProbeSummary.Row> rows) {
        java.util.LinkedHashSet<String> groups = new java.util.LinkedHashSet<>();
        rows.forEach(r -> groups.addAll(r.means().keySet()));
        return List.copyOf(groups);
    }

    /** ", FROM split" for a dataset taken from a split (Fashion-MNIST), else nothing. */
    private static String split(DatasetInfo info) {
        return info.split() == null ? "" : " (" + info.source() + ", " + info.split() + " split)";
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String f3(Double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String perP(List<Double> values) {
        List<String> out = new ArrayList<>();
        for (double v : values) {
            out.add(String.format(Locale.ROOT, "%.4f", v));
        }
        return "[" + String.join(", ", out) + "]";
    }

    private static void copy(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
