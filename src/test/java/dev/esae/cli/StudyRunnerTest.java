package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.io.Json;
import dev.esae.report.StudyLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a study's steps are run: in order, the independent ones side by side, each on one thread. */
class StudyRunnerTest {
    @TempDir
    Path dir;

    /** A step of {@code stage} that is done once it ran; {@code body} runs as it. */
    private static StudyPlan.Step step(String stage, String name, Set<String> ran, StudyPlan.Action body) {
        return new StudyPlan.Step(stage, name, () -> ran.contains(name), () -> {
            int code = body.run();
            ran.add(name);
            return code;
        });
    }

    @Test
    void independentStepsRunSideBySideOnOneThreadEachAndTheRestInTurn() throws IOException {
        StudyLayout layout = new StudyLayout(dir);
        Set<String> ran = ConcurrentHashMap.newKeySet();
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        // Two SAE steps that can only finish if both are running at once.
        CyclicBarrier both = new CyclicBarrier(2);
        List<List<String>> commandLines = java.util.Collections.synchronizedList(new ArrayList<>());
        StudyPlan.Action meet = () -> {
            try {
                both.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the two SAE steps did not run side by side", e);
            }
            // What a step's command line gets: one thread beside the others.
            commandLines.add(StudyRunner.commandLine(List.of("--device", "cpu"), 2, List.of("train-sae")));
            return ExitCodes.OK;
        };
        List<StudyPlan.Step> steps = List.of(
                step("dataset", "first", ran, () -> {
                    order.add("first");
                    commandLines.add(StudyRunner.commandLine(List.of("--device", "cpu"), 2, List.of("dataset")));
                    return ExitCodes.OK;
                }),
                step("sae", "sae a", ran, meet),
                step("sae", "sae b", ran, meet),
                step("report", "last", ran, () -> {
                    order.add("last " + ran.containsAll(List.of("sae a", "sae b")));
                    return ExitCodes.OK;
                }));
        StringWriter text = new StringWriter();
        int code = new StudyRunner(new PrintWriter(text, true), new PrintWriter(new StringWriter(), true), layout, 2).run(steps, "test");
        assertEquals(0, code, text.toString());
        assertEquals(List.of("first", "last true"), order, "the others in turn, after the side-by-side ones");
        assertEquals(List.of("--device", "cpu", "--threads", "2", "dataset"), commandLines.get(0), "in turn: the study's threads");
        assertEquals(List.of(List.of("--device", "cpu", "--threads", "1", "train-sae"), List.of("--device", "cpu", "--threads", "1", "train-sae")),
                commandLines.subList(1, 3), "side by side: one thread each");
        Map<String, Double> timings = Json.readMap(layout.timings(), Double.class, "timings");
        assertEquals(List.of("first", "sae a", "sae b", "last"), List.copyOf(timings.keySet()));
        String said = text.toString();
        assertTrue(said.contains("[2-3/4] 2 sae steps, 2 at a time on one thread each ...") && said.contains("[2/4] sae a: done in ")
                && said.contains("[3/4] sae b: done in "), said);
    }

    @Test
    void aFailedStepSideBySideStopsTheStudyWithItsCodeAndWhatItSaid() throws IOException {
        StudyLayout layout = new StudyLayout(dir);
        Set<String> ran = ConcurrentHashMap.newKeySet();
        List<StudyPlan.Step> steps = List.of(
                step("sae", "good", ran, () -> ExitCodes.OK),
                new StudyPlan.Step("sae", "bad", () -> false, () -> StudyRunner.esae(List.of(), 2, null, null, List.of("train-sae", "--bogus"))),
                step("report", "never", ran, () -> ExitCodes.OK));
        StringWriter err = new StringWriter();
        int code = new StudyRunner(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), layout, 2).run(steps, "test");
        assertEquals(ExitCodes.USAGE, code);
        assertTrue(err.toString().contains("esae: Unknown option: '--bogus'") && err.toString().contains("reproduce stopped at 'bad' (exit 2)"),
                err.toString());
        assertFalse(ran.contains("never"));
        assertTrue(Files.notExists(layout.timings()) || !Json.readMap(layout.timings(), Double.class, "timings").containsKey("bad"));
    }
}
