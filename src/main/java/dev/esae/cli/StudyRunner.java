package dev.esae.cli;

import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import dev.esae.report.StudyLayout;
import dev.esae.train.TrainingStopped;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a study's steps in order, skipping those whose outputs check out, and records each one's
 * time ({@code timings.json}) and peak memory ({@code peak_rss_mib.json}).
 *
 * <p>Runs of consecutive independent steps ({@link StudyPlan#independent}: the SAEs, which read
 * only what earlier stages wrote) go side by side, {@code besides} at a time, each on one thread:
 * an SAE step at two threads ran no faster than at one (its products are too small to split
 * well), so two SAEs at once on two cores finish in about half the time. Their results are the
 * same bits as one after the other (every CPU operation gives the same bits at any thread count);
 * each step's output is printed whole when it ends, and its time is its own wall time (side by
 * side, the times add up to more than the run took).
 */
final class StudyRunner {
    /** The streams a step run side by side writes to, on its worker thread; null on the study's own thread. */
    private static final ThreadLocal<PrintWriter[]> BESIDE = new ThreadLocal<>();

    private final PrintWriter out;
    private final PrintWriter err;
    private final StudyLayout layout;
    private final int besides;

    /** @param besides how many independent steps run at once (1: every step in turn, with the study's threads) */
    StudyRunner(PrintWriter out, PrintWriter err, StudyLayout layout, int besides) {
        this.out = out;
        this.err = err;
        this.layout = layout;
        this.besides = besides;
    }

    /**
     * Runs one esae command line for a step: with {@code global} options and the study's streams,
     * or, for a step side by side with others, on one thread with the step's own streams.
     */
    static int esae(List<String> global, int threads, PrintWriter out, PrintWriter err, List<String> args) {
        PrintWriter[] beside = BESIDE.get();
        String[] all = commandLine(global, threads, args).toArray(String[]::new);
        return beside == null ? Main.execute(out, err, all) : Main.executeNested(beside[0], beside[1], all);
    }

    /** The command line {@link #esae} runs on this thread: {@code --threads 1} for a step beside others. */
    static List<String> commandLine(List<String> global, int threads, List<String> args) {
        List<String> all = new ArrayList<>(global);
        all.addAll(List.of("--threads", Integer.toString(BESIDE.get() == null ? threads : 1)));
        all.addAll(args);
        return all;
    }

    /** Runs every step not yet done; returns the exit code (0 when all are done). */
    int run(List<StudyPlan.Step> steps, String presetName) throws IOException {
        Map<String, Double> timings = Files.isRegularFile(layout.timings())
                ? new LinkedHashMap<>(Json.readMap(layout.timings(), Double.class, "the study's step times")) : new LinkedHashMap<>();
        Map<String, Long> peakMiB = Files.isRegularFile(layout.peakMemory())
                ? new LinkedHashMap<>(Json.readMap(layout.peakMemory(), Long.class, "the study's peak memory per step")) : new LinkedHashMap<>();
        long start = System.nanoTime();
        int ran = 0;
        int i = 0;
        while (i < steps.size()) {
            SignalHandlers.awaitExitIfStopping();
            StudyPlan.Step s = steps.get(i);
            if (done(s)) {
                out.println(tag(i, steps, s) + ": skipped (outputs complete)");
                i++;
                continue;
            }
            List<Integer> batch = new ArrayList<>(List.of(i));
            int next = i + 1;
            if (besides > 1 && StudyPlan.independent(s)) {
                while (next < steps.size() && StudyPlan.independent(steps.get(next))) {
                    if (done(steps.get(next))) {
                        out.println(tag(next, steps, steps.get(next)) + ": skipped (outputs complete)");
                    } else {
                        batch.add(next);
                    }
                    next++;
                }
            }
            invalidateSummaries(layout, s);
            boolean measured = PeakMemory.reset();
            List<Outcome> outcomes = batch.size() == 1 ? List.of(runHere(i, steps)) : runBeside(batch, steps, measured);
            for (Outcome o : outcomes) {
                StudyPlan.Step step = steps.get(o.index);
                if (o.stop != null) {
                    throw o.stop; // reported as the study's own stop: running reproduce again continues the step
                }
                if (o.code != ExitCodes.OK) {
                    err.println("esae: reproduce stopped at '" + step.name() + "' (exit " + o.code
                            + "); fix the cause and run the same command again to continue");
                    return o.code;
                }
            }
            // A signal that came after the steps' last training batch exits the process now: nothing more is reported or started.
            SignalHandlers.awaitExitIfStopping();
            java.util.OptionalLong whole = PeakMemory.peakBytes();
            for (Outcome o : outcomes) {
                java.util.OptionalLong peak = outcomes.size() > 1 ? o.peak : whole;
                StudyPlan.Step step = steps.get(o.index);
                if (!done(step)) {
                    throw new IllegalStateException("step '" + step.name() + "' finished but its outputs do not check out");
                }
                timings.put(step.name(), Math.round(o.seconds * 10) / 10.0);
                if (measured && peak.isPresent()) {
                    peakMiB.put(step.name(), mib(peak));
                }
                ran++;
                if (outcomes.size() == 1) {
                    out.println(doneLine(o.index, steps, o.seconds, measured ? peak : java.util.OptionalLong.empty(), false));
                }
            }
            AtomicFiles.writeString(layout.timings(), Json.pretty(timings));
            if (!peakMiB.isEmpty()) {
                AtomicFiles.writeString(layout.peakMemory(), Json.pretty(peakMiB));
            }
            i = next;
        }
        out.printf(Locale.ROOT, "reproduce %s: %d step(s) run, %d skipped, %.1f s; report: %s, %s%n", presetName, ran,
                steps.size() - ran, (System.nanoTime() - start) / 1e9, layout.reportMd() + ", " + layout.reportHtml(), layout.atlas());
        return ExitCodes.OK;
    }

    /** How a step ended: its exit code, a stop inside it, its wall time, and (side by side) what it printed. */
    private record Outcome(int index, int code, TrainingStopped stop, double seconds, java.util.OptionalLong peak) {}

    private static String tag(int i, List<StudyPlan.Step> steps, StudyPlan.Step s) {
        return String.format(Locale.ROOT, "[%d/%d] %s", i + 1, steps.size(), s.name());
    }

    private static long mib(java.util.OptionalLong bytes) {
        return Math.round(bytes.getAsLong() / (1024.0 * 1024.0));
    }

    /** A step's "done" line: its time, and its peak memory where measured (shared, side by side). */
    private static String doneLine(int i, List<StudyPlan.Step> steps, double seconds, java.util.OptionalLong peak, boolean beside) {
        String memory = peak.isPresent()
                ? String.format(Locale.ROOT, ", peak RSS %,d MiB%s", mib(peak), beside ? " (side by side)" : "") : "";
        return String.format(Locale.ROOT, "%s: done in %.1f s%s", tag(i, steps, steps.get(i)), seconds, memory);
    }

    private Outcome runHere(int i, List<StudyPlan.Step> steps) throws IOException {
        StudyPlan.Step s = steps.get(i);
        out.println(tag(i, steps, s) + " ...");
        out.flush();
        long t0 = System.nanoTime();
        int code = s.run().run();
        return new Outcome(i, code, Main.takeNestedStop(), (System.nanoTime() - t0) / 1e9, java.util.OptionalLong.empty());
    }

    /** Runs the steps side by side, {@link #besides} at a time; the outcomes in the steps' order. */
    private List<Outcome> runBeside(List<Integer> batch, List<StudyPlan.Step> steps, boolean measured) throws IOException {
        out.printf(Locale.ROOT, "[%d-%d/%d] %d %s steps, %d at a time on one thread each ...%n", batch.get(0) + 1,
                batch.get(batch.size() - 1) + 1, steps.size(), batch.size(), steps.get(batch.get(0)).stage(), besides);
        out.flush();
        ExecutorService pool = Executors.newFixedThreadPool(besides, r -> {
            Thread t = new Thread(r, "esae-study-step");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i : batch) {
                futures.add(pool.submit(() -> {
                    StudyPlan.Step s = steps.get(i);
                    StringWriter text = new StringWriter();
                    PrintWriter stepOut = new PrintWriter(text, true);
                    StringWriter errors = new StringWriter();
                    PrintWriter stepErr = new PrintWriter(errors, true);
                    BESIDE.set(new PrintWriter[] {stepOut, stepErr});
                    long t0 = System.nanoTime();
                    try {
                        int code = s.run().run();
                        double secs = (System.nanoTime() - t0) / 1e9;
                        // The process's peak so far: side by side, the steps share it.
                        java.util.OptionalLong peak = PeakMemory.peakBytes();
                        TrainingStopped stop = Main.takeNestedStop();
                        if (code == ExitCodes.OK && stop == null) {
                            String said = lastLine(text.toString());
                            synchronized (out) {
                                out.println(doneLine(i, steps, secs, measured ? peak : java.util.OptionalLong.empty(), true));
                                if (!said.isEmpty()) {
                                    out.println("    " + said);
                                }
                                out.flush();
                            }
                        } else if (code != ExitCodes.OK && stop == null) {
                            // What went wrong, as the step said it (its progress bars left out).
                            synchronized (err) {
                                err.print(errorLines(errors.toString()));
                                err.flush();
                            }
                        }
                        return new Outcome(i, code, stop, secs, peak);
                    } finally {
                        BESIDE.remove();
                    }
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the study was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    /** The lines of a step's stderr that are not progress bars (those redraw with carriage returns). */
    private static String errorLines(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\\R")) {
            String last = line.substring(line.lastIndexOf('\r') + 1);
            if (last.startsWith("esae:")) {
                b.append(last).append(System.lineSeparator());
            }
        }
        return b.toString();
    }

    /**
     * The atlas and the report summarise every step: one that runs again makes them stale, so their
     * records go first and they are made again at the end, even if this run stops before then.
     */
    private static void invalidateSummaries(StudyLayout layout, StudyPlan.Step s) throws IOException {
        if (!s.stage().equals("report")) {
            Files.deleteIfExists(layout.reportJson());
            if (!s.stage().equals("atlas")) {
                Files.deleteIfExists(layout.atlasJson());
            }
        }
    }

    private static boolean done(StudyPlan.Step s) {
        try {
            return s.done().done();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
