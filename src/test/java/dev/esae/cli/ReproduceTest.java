package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.data.DatasetFiles;
import dev.esae.data.DatasetSource;
import dev.esae.data.Orientations;
import dev.esae.io.HostArray;
import dev.esae.io.Json;
import dev.esae.io.Npy;
import dev.esae.report.StudyLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny study end to end: every report file exists and parses, numbers are in range, and a rerun skips every step. */
class ReproduceTest {
    @TempDir
    Path dir;

    @Test
    void tinyRunsEndToEndAndARerunSkipsEveryStep() throws IOException {
        Path out = dir.resolve("study");
        CliTest.Run r = CliTest.esae("reproduce", "--preset", "tiny", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("reproduce tiny: 48 step(s) run, 0 skipped"), r.out());
        if (Files.isWritable(Path.of("/proc/self/clear_refs"))) {
            // Linux: each step's own peak resident memory, beside its time, and in its "done" line.
            Map<String, Long> peak = Json.readMap(out.resolve("peak_rss_mib.json"), Long.class, "peak memory");
            assertEquals(Json.readMap(out.resolve("timings.json"), Double.class, "timings").keySet(), peak.keySet());
            assertTrue(peak.values().stream().allMatch(v -> v > 10 && v < 64 * 1024), peak.toString());
            assertTrue(r.out().contains("[1/48] dataset: done in ") && r.out().contains(" MiB\n"), r.out());
        }

        Map<String, Object> report = Json.parseObject(Files.readString(out.resolve("report.json")));
        assertEquals(true, report.get("complete"));
        Map<?, ?> models = (Map<?, ?>) report.get("models");
        for (String arch : List.of("mlp", "cnn")) {
            Map<?, ?> m = (Map<?, ?>) models.get(arch);
            double loss = ((Number) m.get("base_final_loss")).doubleValue();
            assertTrue(loss > 0 && loss < 1, arch + " loss " + loss);
            // Both solvers fitted M; the equivariant SAEs were given the one with the higher training R².
            Map<?, ?> bySolver = (Map<?, ?>) m.get("r2");
            assertEquals(List.of("adam", "lbfgs"), List.copyOf(bySolver.keySet()));
            double adam = ((Number) ((Map<?, ?>) ((Map<?, ?>) bySolver.get("adam")).get("fitted")).get("mean")).doubleValue();
            double lbfgs = ((Number) ((Map<?, ?>) ((Map<?, ?>) bySolver.get("lbfgs")).get("fitted")).get("mean")).doubleValue();
            assertTrue(Double.isFinite(adam) && Double.isFinite(lbfgs), bySolver.toString());
            String chosen = (String) ((Map<?, ?>) m.get("m_for_equivariant_sae")).get("solver");
            assertEquals(lbfgs > adam ? "lbfgs" : "adam", chosen);
            Map<String, Object> cfg = Json.parseObject(Files.readString(out.resolve("sae").resolve(arch + "-equivariant-k8").resolve("cfg.json")));
            assertEquals(out.resolve(arch + (chosen.equals("adam") ? "-m" : "-m-lbfgs")) + " (M)", cfg.get("transform"));
            List<?> saes = (List<?>) m.get("saes");
            assertEquals(15, saes.size());
            for (Object o : saes) {
                Map<?, ?> s = (Map<?, ?>) o;
                double fvu = ((Number) s.get("fvu")).doubleValue();
                double dead = ((Number) s.get("dead_fraction")).doubleValue();
                assertTrue(fvu >= 0 && Double.isFinite(fvu) && dead >= 0 && dead <= 1, s.toString());
            }
            List<?> probing = (List<?>) m.get("probing");
            // Base (3 probes: knn, logreg, best) + 5 SAEs x 2 lengths x 2 inputs, each 3 rows.
            assertEquals(3 + 5 * 2 * 2 * 3, probing.size());
            for (Object o : probing) {
                for (String g : List.of("S", "SO", "SP", "SPO", "all")) {
                    double f1 = ((Number) ((Map<?, ?>) o).get(g)).doubleValue();
                    assertTrue(f1 >= 0 && f1 <= 1, g + " " + o);
                }
            }
            List<?> frontier = (List<?>) m.get("frontier");
            assertEquals(15, frontier.size());
            for (Object o : frontier) {
                Map<?, ?> p = (Map<?, ?>) o;
                assertTrue(((Number) p.get("spliced_mse")).doubleValue() > 0 && ((Number) p.get("l1")).doubleValue() >= 0, p.toString());
            }
            Map<?, ?> atlas = (Map<?, ?>) m.get("atlas");
            assertTrue(((Number) atlas.get("features")).intValue() > 0, "the atlas shows features");
        }
        for (String f : List.of("r2-mlp", "r2-cnn", "probe-mlp-latents", "probe-cnn-reconstruction", "frontier-mlp", "frontier-cnn",
                "features-mlp", "features-cnn")) {
            assertTrue(ImageIO.read(out.resolve("figures").resolve(f + ".png").toFile()).getWidth() > 100, f);
        }
        // The paper's claims, each with a verdict computed from this run (a tiny run need not uphold them).
        Map<?, ?> claims = (Map<?, ?>) report.get("claims");
        assertEquals(List.of("R1", "R2a", "R2b", "R3a", "R3b"), List.copyOf(claims.keySet()));
        for (Object c : claims.values()) {
            Map<?, ?> claim = (Map<?, ?>) c;
            assertTrue(List.of("holds", "does not hold").contains(claim.get("verdict")), claim.toString());
            assertEquals(java.util.Set.of("mlp", "cnn"), ((Map<?, ?>) claim.get("models")).keySet());
        }
        assertEquals("upright", ((Map<?, ?>) report.get("settings")).get("orientations"));
        assertEquals("upright", ((Map<?, ?>) ((Map<?, ?>) report.get("datasets")).get("train")).get("orientations"));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## The paper's claims, checked on this run") && md.contains("| R2b: "), md);
        assertTrue(md.contains("## CNN autoencoder") && md.contains("![frontier](figures/frontier-cnn.png)"), md);
        // report.html: the same tables as one self-contained page (figures inline, no URL), verdicts styled, linking the atlas.
        org.w3c.dom.Document page = dev.esae.report.ReportHtmlCheck.assertSelfContained(Files.readString(out.resolve("report.html")));
        List<List<String>> claimRows = dev.esae.report.ReportHtmlCheck.claimRows(page);
        assertEquals(List.of("R1", "R2a", "R2b", "R3a", "R3b"), claimRows.stream().map(row -> row.get(0).split(":")[0]).toList());
        claimRows.forEach(row -> assertEquals(row.get(1).equals("holds") ? "holds" : "fails", row.get(5), row.toString()));
        assertEquals(10, page.getElementsByTagName("img").getLength(), "every figure inline");
        String html = Files.readString(out.resolve("atlas.html"));
        assertTrue(html.strip().endsWith("</html>") && html.contains("data:image/png;base64,") && html.contains("sortAll('cls')"));
        assertFalse(html.contains("src=\"figures/"), "images are inline");

        CliTest.Run again = CliTest.esae("reproduce", "--preset", "tiny", "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("reproduce tiny: 0 step(s) run, 48 skipped"), again.out());

        // A damaged output is found by reading it back, and only that step runs again.
        Files.writeString(out.resolve("sae").resolve("cnn-topk-k16").resolve("metrics.json"), "{not json");
        CliTest.Run repaired = CliTest.esae("reproduce", "--preset", "tiny", "--out", out.toString());
        assertEquals(0, repaired.code(), repaired.err());
        assertTrue(repaired.out().contains("train-sae cnn topk k=16: done"), repaired.out());
        // Trained again to the same weights: the steps that read it find their inputs unchanged; the atlas and report are made again.
        assertTrue(repaired.out().contains("3 step(s) run, 45 skipped") && repaired.out().contains("probe cnn: skipped"), repaired.out());

        CliTest.Run other = CliTest.esae("reproduce", "--preset", "quick", "--out", out.toString());
        assertEquals(2, other.code());
        assertTrue(other.err().contains("holds a study with other settings"), other.err());
        CliTest.Run ablation = CliTest.esae("reproduce", "--preset", "tiny", "--orientations", "random", "--out", out.toString());
        assertEquals(2, ablation.code());
        assertTrue(ablation.err().contains("holds a study with other settings") && ablation.err().contains("\"orientations\":\"upright\""),
                ablation.err());

        // The study's files name their inputs by path, so the crashed run goes to the same path.
        Path reference = dir.resolve("reference");
        Files.move(out, reference);
        stoppedMidStudyResumesToTheSameBytes(reference, out);

        // An edited input under a finished study: the steps that read it run again (their recorded SHA-256 differs), no other.
        Path labels = out.resolve("probe").resolve("labels.npy");
        HostArray l = Npy.read(labels);
        int[] v = l.toInts();
        int j = 8;
        while (java.util.Arrays.equals(v, 0, 8, v, j, j + 8)) {
            j += 8;
        }
        for (int i = 0; i < 8; i++) {
            int t = v[i];
            v[i] = v[j + i];
            v[j + i] = t;
        }
        Npy.write(labels, HostArray.ofInts(v, l.shape()));
        CliTest.Run edited = CliTest.esae("reproduce", "--preset", "tiny", "--out", out.toString());
        assertEquals(0, edited.code(), edited.err());
        assertTrue(edited.out().contains("probe mlp: done") && edited.out().contains("probe cnn: done")
                && edited.out().contains("frontier mlp: skipped") && edited.out().contains("4 step(s) run, 44 skipped"), edited.out());
    }

    @Test
    void theRandomOrientationAblationDrawsBothSetsWithRandomOrientationsAndAnUprightFolderIsRedrawn() throws IOException {
        StudyLayout layout = new StudyLayout(dir.resolve("ablation"));
        StudyPlan.Esae esae = args -> CliTest.esae(args.toArray(String[]::new)).code();
        List<StudyPlan.Step> steps = new StudyPlan(Preset.TINY, DatasetSource.SHAPES, null, Orientations.RANDOM, layout, esae).steps();
        for (StudyPlan.Step s : steps.subList(0, 2)) {
            assertFalse(s.done().done());
            assertEquals(0, s.run().run());
            assertTrue(s.done().done(), s.name());
        }
        assertEquals(Orientations.RANDOM, DatasetFiles.orientations(layout.data()));
        assertEquals(Orientations.RANDOM, DatasetFiles.orientations(layout.probeData()));
        assertTrue(java.util.Arrays.stream(Npy.read(layout.data().resolve("labels.npy")).toInts()).anyMatch(v -> v != 0));
        // The upright study's plan does not take the ablation's dataset for its own.
        List<StudyPlan.Step> upright = new StudyPlan(Preset.TINY, DatasetSource.SHAPES, null, Orientations.UPRIGHT, layout, esae).steps();
        assertFalse(upright.get(0).done().done());
    }

    /**
     * The same study in a child JVM, its SAEs two at a time ({@code --side-by-side 2}), killed with
     * SIGTERM while it trains them and resumed with {@code --resume}, ends with the same bytes as the
     * uninterrupted {@code reference} (SAEs one at a time): every file
     * but the wall times (timing.csv, timings.json, and the report's table of them) and the peak memory per step (peak_rss_mib.json).
     */
    private void stoppedMidStudyResumesToTheSameBytes(Path reference, Path killed) throws IOException {
        // Side by side (two SAE steps at a time, one thread each) against the reference's one at a time.
        Process child = CrashResumeTest.childEsae(new String[] {"reproduce", "--preset", "tiny", "--side-by-side", "2", "--out",
            killed.toString()}, dir.resolve("child.log"));
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(180);
            Path sae = killed.resolve("sae");
            // The third SAE has written its first checkpoint: the stop lands inside the SAE stage.
            while (!Files.isRegularFile(sae.resolve("mlp-wide-k8").resolve("train-state.safetensors"))) {
                assertTrue(child.isAlive() && System.nanoTime() < deadline, "the child reached the SAE stage");
                Thread.sleep(5);
            }
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            child.destroy(); // SIGTERM: a training step stops at its next batch, any other step at once
        }
        try {
            assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "stopped");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        String said = Files.readString(dir.resolve("child.log"));
        assertEquals(143, child.exitValue(), said);
        // In an SAE's epochs: "stopped by SIGTERM in epoch E of N (training the SAE), ...; run the same ..."; between steps the short line.
        String last = said.strip().substring(said.strip().lastIndexOf('\n') + 1);
        assertTrue(last.startsWith("esae: stopped by SIGTERM") && last.endsWith("; run the same command again to continue"), said);
        assertFalse(said.contains("Exception") || said.contains("reproduce stopped at"), said);
        assertFalse(Files.exists(killed.resolve("report.json")), "stopped before the end");
        CliTest.Run resumed = CliTest.esae("reproduce", "--preset", "tiny", "--side-by-side", "2", "--out", killed.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("skipped (outputs complete)"), "finished steps are skipped: " + resumed.out());

        Map<String, Object> a = Json.parseObject(Files.readString(reference.resolve("report.json")));
        Map<String, Object> b = Json.parseObject(Files.readString(killed.resolve("report.json")));
        a.remove("timings_s");
        b.remove("timings_s");
        assertEquals(a, b, "report.json but its wall times");
        String mdA = Files.readString(reference.resolve("report.md"));
        String mdB = Files.readString(killed.resolve("report.md"));
        assertEquals(mdA.substring(0, mdA.indexOf("## Wall time per step")), mdB.substring(0, mdB.indexOf("## Wall time per step")));
        String htmlA = Files.readString(reference.resolve("report.html"));
        String htmlB = Files.readString(killed.resolve("report.html"));
        assertEquals(htmlA.substring(0, htmlA.indexOf("Wall time per step")), htmlB.substring(0, htmlB.indexOf("Wall time per step")));
        CrashResumeTest.assertSameFiles(reference, killed, "timings.json", "peak_rss_mib.json", "report.json", "report.md", "report.html");
    }
}
