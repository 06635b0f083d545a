package dev.esae.probe;

import dev.esae.compute.Backend;
import dev.esae.sae.SaeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code esae probe} as a library call: each SAE's features on the probe set (on the backend),
 * then the {@link ProbeSuite} over them and the base activations, written as {@code results.csv}
 * and {@code summary.md} ({@link ProbeFiles}).
 */
public final class Probing {
    private Probing() {}

    /**
     * What the run probed.
     *
     * @param saes how many SAEs were probed beside the base activations
     * @param seconds the suite's wall time (printed, never written: the same command writes the same bytes)
     */
    public record Outcome(List<ProbeResult> results, int saes, double seconds) {}

    /**
     * Probes the SAEs in {@code saeDirs} (checked by the caller) and the base activations of
     * {@code set}, and writes into {@code out}.
     *
     * @param source what the probe set's activations were read from (named in summary.md)
     * @param probeNames the probes' names as asked, for summary.md
     */
    public static Outcome run(Backend backend, ProbeSet set, List<Path> saeDirs, ProbeSuite.Config config, ProbeSuite.Progress progress,
            Path out, String source, List<String> probeNames) throws IOException {
        List<ProbeSuite.SaeEntry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path dir : saeDirs) {
            // The folder's own name, or its whole path when two folders share one.
            String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
            if (!names.add(name)) {
                name = dir.toString();
                names.add(name);
            }
            try (SaeFiles.Loaded sae = SaeFiles.load(backend, dir)) {
                entries.add(new ProbeSuite.SaeEntry(name, sae.kind().id(), sae.sae().k(), SaeFeatures.of(backend, sae, set)));
            }
        }
        long t0 = System.nanoTime();
        List<ProbeResult> r = new ProbeSuite(config).run(set, entries, progress);
        double secs = (System.nanoTime() - t0) / 1e9;
        String preamble = String.format(Locale.ROOT, "# Probing results%n%n%d images from %s, each at a random power of g (seed %d); "
                + "per task a stratified split with %.0f%% held out for testing. Mean test F1 per task group; `best` takes the best "
                + "probe of each task. Probes: %s. %d results.%n", set.size(), source, config.seed(),
                100 * config.testFraction(), String.join(", ", probeNames), r.size());
        ProbeFiles.write(out, r, preamble);
        return new Outcome(r, entries.size(), secs);
    }
}
