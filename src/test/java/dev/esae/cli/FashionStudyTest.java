package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.esae.data.DatasetFiles;
import dev.esae.data.DatasetInfo;
import dev.esae.data.FashionMnist;
import dev.esae.io.Json;
import dev.esae.probe.CustomTask;
import dev.esae.probe.ProbeFiles;
import dev.esae.probe.ProbeResult;
import dev.esae.report.StudyAtlas;
import dev.esae.report.StudyLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code esae reproduce --source fashion-mnist --preset tiny} end to end: Fashion-MNIST's train split
 * trains, its test split probes on the dataset's 50 class tasks, the atlas shows real inputs, the
 * report checks the claims on the class tasks, a rerun skips every step, and the folder is not
 * continued as a shapes study. Skipped where Debian's dataset-fashion-mnist is not installed.
 */
class FashionStudyTest {
    @TempDir
    Path dir;

    @Test
    void tinyFashionStudyRunsEndToEndOnTheClassTasks() throws IOException {
        assumeTrue(Files.isRegularFile(FashionMnist.PACKAGE_DIR.resolve(FashionMnist.Split.TEST.imagesName())),
                FashionMnist.PACKAGE_DIR + " is missing (apt-get install dataset-fashion-mnist): skipping the Fashion-MNIST study");
        Path out = dir.resolve("fashion");
        CliTest.Run r = CliTest.esae("reproduce", "--source", "fashion-mnist", "--preset", "tiny", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("reproduce tiny: 48 step(s) run, 0 skipped"), r.out());
        StudyLayout layout = new StudyLayout(out);

        // Training images from the train split, probe images from the test split, no shape labels.
        DatasetInfo train = DatasetFiles.info(layout.data());
        DatasetInfo probe = DatasetFiles.info(layout.probeData());
        assertEquals(List.of("fashion-mnist", "train", 96), List.of(train.source(), train.split(), train.images()));
        assertEquals(List.of("fashion-mnist", "test", 160),
                List.of(probe.source(), probe.split(), probe.images()));
        assertFalse(Files.exists(layout.probeData().resolve(DatasetFiles.LABELS)));

        // Probing ran on the tasks CSV: 50 tasks, 10 invariant (class c) and 40 by orientation (class c at rotation p).
        for (String arch : StudyLayout.ARCHS) {
            List<ProbeResult> results = ProbeFiles.readResults(layout.probeOut(arch).resolve(ProbeFiles.RESULTS));
            // base + 5 SAEs × 2 lengths × (latents, reconstruction), each of 50 tasks × 2 probes
            assertEquals(50 * 2 * (1 + 5 * 2 * 2), results.size(), arch);
            Map<String, Set<String>> byGroup = results.stream().collect(Collectors.groupingBy(x -> x.task().groupName(),
                    Collectors.mapping(x -> x.task().name(), Collectors.toSet())));
            assertEquals(10, byGroup.get(CustomTask.INVARIANT).size(), byGroup.toString());
            assertEquals(40, byGroup.get(CustomTask.ORIENTATION).size(), byGroup.toString());
            assertTrue(byGroup.get(CustomTask.INVARIANT).stream().allMatch(t -> t.startsWith("class ") && !t.contains(" at rotation ")));
        }

        // The atlas: a section per model, each feature shown with real probe images.
        Map<String, StudyAtlas.Section> atlas = StudyAtlas.read(layout);
        assertEquals(StudyLayout.ARCHS, List.copyOf(atlas.keySet()));
        for (StudyAtlas.Section s : atlas.values()) {
            assertTrue(s.features() > 0 && s.invariant() >= 0 && s.invariant() <= s.features(), s.toString());
        }
        assertTrue(Files.readString(layout.atlas()).contains("data:image/png;base64,"));

        // The report: the source named, the task groups of the CSV, R2a on the class tasks; report.json has the groups.
        String md = Files.readString(layout.reportMd());
        assertTrue(md.contains("Canonical images: **Fashion-MNIST**"), md);
        assertTrue(md.contains("| SAE | input | invariant | orientation | all |"), md);
        assertTrue(md.contains("R2a: on latents (best probe, L = max), the invariant/equivariant SAE is best on the invariant (class) tasks"), md);
        assertFalse(md.contains("8^4 = 4,096"), "no shapes wording in a Fashion-MNIST report");
        Map<String, Object> report = Json.parseObject(Files.readString(layout.reportJson()));
        assertEquals("fashion-mnist", ((Map<?, ?>) report.get("settings")).get("source"));
        Map<?, ?> claims = (Map<?, ?>) report.get("claims");
        assertEquals(List.of("R1", "R2a", "R2b", "R3a", "R3b"), List.copyOf(claims.keySet()));
        Map<?, ?> r2a = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) claims.get("R2a")).get("models")).get("mlp");
        assertEquals("invariant", r2a.get("group"));
        Map<?, ?> firstProbing = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) report.get("models")).get("cnn")).get("probing")).get(0);
        assertTrue(firstProbing.containsKey("invariant") && firstProbing.containsKey("orientation") && !firstProbing.containsKey("S"),
                firstProbing.toString());

        // A rerun skips everything; the folder is not continued as a shapes study, nor with random orientations.
        CliTest.Run again = CliTest.esae("reproduce", "--source", "fashion-mnist", "--preset", "tiny", "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("reproduce tiny: 0 step(s) run, 48 skipped"), again.out());
        CliTest.Run shapes = CliTest.esae("reproduce", "--preset", "tiny", "--out", out.toString());
        assertEquals(2, shapes.code());
        assertTrue(shapes.err().contains("holds a study with other settings"), shapes.err());
    }

    @Test
    void aShapesDatasetIsNotTakenForFashionMnistsAndTheReverse() throws IOException {
        assumeTrue(Files.isRegularFile(FashionMnist.PACKAGE_DIR.resolve(FashionMnist.Split.TRAIN.imagesName())),
                FashionMnist.PACKAGE_DIR + " is missing (apt-get install dataset-fashion-mnist): skipping");
        Path data = dir.resolve("data");
        assertEquals(0, CliTest.esae("dataset", "--n", "96", "--out", data.toString()).code());
        assertTrue(StudyPlan.fromSource(data, dev.esae.data.DatasetSource.SHAPES, null));
        assertFalse(StudyPlan.fromSource(data, dev.esae.data.DatasetSource.FASHION_MNIST, FashionMnist.Split.TRAIN));
        assertEquals(0, CliTest.esae("dataset", "--source", "fashion-mnist", "--split", "test", "--n", "96", "--out", data.toString(),
                "--overwrite").code());
        assertTrue(StudyPlan.fromSource(data, dev.esae.data.DatasetSource.FASHION_MNIST, FashionMnist.Split.TEST));
        assertFalse(StudyPlan.fromSource(data, dev.esae.data.DatasetSource.FASHION_MNIST, FashionMnist.Split.TRAIN));
        assertFalse(StudyPlan.fromSource(data, dev.esae.data.DatasetSource.SHAPES, null));
    }
}
