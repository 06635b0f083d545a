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
 * {@code report.json} (every number of the study) and {@code report.md} (tables and figures), read
 * back from the outputs of {@code esae reproduce}: base losses, R² of M, SAE metrics, probing group
 * tables, the frontier, the atlas's feature classes and the wall time of every step.
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

    /** Reads every output, writes the figures, {@code report.json} and {@code report.md}; returns what report.json holds. */
    public StudyReportFile write() throws IOException {
        Files.createDirectories(layout.figures());
        Map<String, Double> timings = Files.isRegularFile(layout.timings())
                ? Json.readMap(layout.timings(), Double.class, "the study's step times") : Map.of();
        Map<String, StudyReportFile.Model> archs = new LinkedHashMap<>();
        StringBuilder body = new StringBuilder();
        Map<String, PaperClaims.ModelOutputs> claimInputs = new LinkedHashMap<>();
        for (String arch : StudyLayout.ARCHS) {
            archs.put(arch, archSection(arch, body, claimInputs));
        }
        Map<String, PaperClaims.Claim> claims = PaperClaims.evaluate(claimInputs);
        StringBuilder md = new StringBuilder("# esae study report\n\n");
        md.append(String.format(Locale.ROOT, "Canonical images: **%s** shapes (%s). Settings: %s%n%n", settings.orientations(),
                "upright".equals(settings.orientations()) ? "SPEC §1, the paper's dataset"
                        : "the identifiability ablation: ψ(x) cannot be told from ψ(g^p x)", Json.write(settings)));
        Map<String, StudyReportFile.Dataset> datasets = new LinkedHashMap<>();
        DatasetInfo train = DatasetFiles.info(layout.data());
        DatasetInfo probe = DatasetFiles.info(layout.probeData());
        Integer seen = null;
        if (train != null && probe != null) {
            seen = DatasetFiles.read(layout.probeData()).imagesAlsoIn(DatasetFiles.read(layout.data()));
        }
        if (train != null) {
            datasets.put("train", new StudyReportFile.Dataset(train, null));
            md.append(String.format(Locale.ROOT, "Training set: %s images, %s of them distinct.  %n", train.images(), train.distinctImages()));
        }
        if (probe != null) {
            datasets.put("probe", new StudyReportFile.Dataset(probe, seen));
            md.append(String.format(Locale.ROOT, "Probe set: %s images, %s of them distinct.  %n", probe.images(), probe.distinctImages()));
        }
        if (seen != null) {
            md.append(String.format(Locale.ROOT, "Probe images that also occur in the training set: %d (the upright shapes allow only "
                    + "8^4 = 4,096 images, as in the paper's dataset).%n", seen));
        }
        md.append('\n').append(PaperClaims.markdown(claims));
        md.append(body);
        md.append("## Wall time per step\n\n| step | seconds |\n| --- | ---: |\n");
        for (Map.Entry<String, Double> e : timings.entrySet()) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", e.getKey(), e.getValue()));
        }
        md.append("\nThe feature atlas: [atlas.html](atlas.html).\n");
        StudyReportFile report = new StudyReportFile(settings, timings, claims, archs, datasets, true);
        AtomicFiles.writeString(layout.reportJson(), Json.pretty(report));
        AtomicFiles.writeString(layout.reportMd(), md.toString());
        return report;
    }

    private StudyReportFile.Model archSection(String arch, StringBuilder md, Map<String, PaperClaims.ModelOutputs> claimInputs)
            throws IOException {
        String name = arch.toUpperCase(Locale.ROOT);
        md.append("## ").append(name).append(" autoencoder\n\n");
        List<String> loss = Files.readAllLines(layout.model(arch).resolve("loss.csv"));
        double finalLoss = Double.parseDouble(loss.get(loss.size() - 1).split(",")[1]);
        md.append(String.format(Locale.ROOT, "Base model: final training loss %.6g after %d epochs.%n%n", finalLoss, loss.size() - 1));

        Map<String, TransformFitReport> r2BySolver = new LinkedHashMap<>();
        Map<String, Double> fittedR2 = new LinkedHashMap<>();
        md.append("### M: R² of `M^p ψ(x)` against `ψ(g^p x)` (training activations)\n\n"
                + "| fit | mean | std | per p | ‖M^n − I‖_F/√d | budget |\n| --- | ---: | ---: | --- | ---: | --- |\n");
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
            md.append(String.format(Locale.ROOT, "| fitted, %s | %.4f | %.4f | %s | %.4g | %s |%n", solver, f.mean(), f.std(),
                    perP(f.perP()), r2.cycleError(), budget));
            identity = identity == null ? r2.identity() : identity;
            lstsq = lstsq == null ? r2.lstsq() : lstsq;
        }
        for (Map.Entry<String, TransformScore> e : List.of(Map.entry("identity", identity), Map.entry("least squares (p = 1, powered)", lstsq))) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %s | | |%n", e.getKey(), e.getValue().mean(), e.getValue().std(),
                    perP(e.getValue().perP())));
        }
        TransformChoice chosen = TransformChoice.of(layout, arch, fittedR2);
        md.append(String.format(Locale.ROOT, "%nThe equivariant SAEs use the %s fit (the higher training R², %.4f).%n%n", chosen.solver(),
                chosen.r2()));
        r2Chart(arch, r2BySolver, identity, lstsq, layout.figures().resolve("r2-" + arch + ".png"));
        md.append("![R² per p](figures/r2-").append(arch).append(".png)\n\n");

        List<StudyReportFile.Sae> saes = new ArrayList<>();
        md.append("### SAEs\n\n| kind | K | MSE | FVU | L0 | L1 | dead |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int k : ks) {
            for (SaeKind kind : SaeKind.values()) {
                SaeScores m = Json.read(layout.sae(arch, kind, k).resolve(SaeFiles.METRICS), SaeScores.class, "an SAE's metrics");
                saes.add(new StudyReportFile.Sae(kind.id(), k, m));
                md.append(String.format(Locale.ROOT, "| %s | %d | %.4g | %.4f | %.2f | %.3f | %.1f%% |%n", kind.id(), k, m.mse(), m.fvu(),
                        m.l0(), m.l1(), 100 * m.deadFraction()));
            }
        }

        List<ProbeResult> results = ProbeFiles.readResults(layout.probeOut(arch).resolve(ProbeFiles.RESULTS));
        List<ProbeSummary.Row> rows = ProbeSummary.of(results);
        List<StudyReportFile.Probing> probing = rows.stream().map(StudyReportFile.Probing::of).toList();
        String probe = results.stream().anyMatch(r -> r.probe().equals("xgboost")) ? "xgboost" : ProbeSummary.BEST;
        int length = lengths.get(lengths.size() - 1);
        md.append("\n### Probing: mean test F1 per task group (").append(probe).append(", L = ").append(length).append(")\n\n");
        md.append("| SAE | input | S | SO | SP | SPO | all |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (ProbeSummary.Row r : rows) {
            if (r.probe().equals(probe) && (r.length() == length || r.input() == ProbeInput.BASE)) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                        r.input() == ProbeInput.BASE ? "base ψ" : r.kind() + " K=" + r.k(), r.input().id(), r.group(ProbeTask.Group.S),
                        r.group(ProbeTask.Group.SO), r.group(ProbeTask.Group.SP), r.group(ProbeTask.Group.SPO), r.all()));
            }
        }
        md.append("\nEvery probe, length and K: `probe-").append(arch).append("/summary.md`.\n\n");
        for (ProbeInput input : List.of(ProbeInput.LATENTS, ProbeInput.RECONSTRUCTION)) {
            String file = "probe-" + arch + "-" + input.id() + ".png";
            probeChart(rows, probe, length, input, name, layout.figures().resolve(file));
            md.append("![probing, ").append(input.id()).append("](figures/").append(file).append(")\n");
        }

        List<Frontier.Point> points = Frontier.read(layout.frontierOut(arch).resolve(Frontier.CSV));
        md.append("\n### Frontier: spliced MSE against mean L1 of z\n\n| SAE | L1 | spliced MSE | base MSE |\n| --- | ---: | ---: | ---: |\n");
        for (Frontier.Point p : points) {
            md.append(String.format(Locale.ROOT, "| %s K=%d | %s | %s | %s |%n", p.kind(), p.k(), Frontier.number(p.l1()),
                    Frontier.number(p.splicedMse()), Frontier.number(p.baseMse())));
        }
        claimInputs.put(arch, new PaperClaims.ModelOutputs(fittedR2, identity.mean(), rows, points));
        copy(layout.frontierOut(arch).resolve(Frontier.PNG), layout.figures().resolve("frontier-" + arch + ".png"));
        md.append("\n![frontier](figures/frontier-").append(arch).append(".png)\n\n");

        StudyAtlas.Section atlas = null;
        if (Files.isRegularFile(layout.atlasJson())) {
            atlas = StudyAtlas.read(layout).get(arch);
            if (atlas != null) {
                md.append(String.format(Locale.ROOT, "### Features of the equivariant SAE (K = %d)%n%n%d of the %d most frequent features are "
                        + "invariant (cos(M^p D_i, D_i) >= %.1f for every p), the rest equivariant.%n%n", atlas.k(), atlas.invariant(),
                        atlas.features(), FeatureAtlas.INVARIANT_COSINE));
            }
            md.append("![decoded features](figures/features-").append(arch).append(".png)\n\n");
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
