package dev.esae.report;

import dev.esae.sae.SaeKind;
import java.nio.file.Path;
import java.util.List;

/** Where each output of {@code esae reproduce} lives under its folder. */
public record StudyLayout(Path out) {
    /** Base architectures, in the order they are trained. */
    public static final List<String> ARCHS = List.of("mlp", "cnn");

    public Path data() {
        return out.resolve("data");
    }

    public Path probeData() {
        return out.resolve("probe");
    }

    public Path model(String arch) {
        return out.resolve(arch);
    }

    public Path acts(String arch) {
        return model(arch).resolve("acts.npy");
    }

    public Path probeActs(String arch) {
        return probeData().resolve("acts-" + arch + ".npy");
    }

    /** M fitted by Adam (the paper's procedure). */
    public Path transform(String arch) {
        return out.resolve(arch + "-m");
    }

    /** M fitted by {@code solver} ({@code adam} or {@code lbfgs}). */
    public Path transform(String arch, String solver) {
        return solver.equals("adam") ? transform(arch) : out.resolve(arch + "-m-" + solver);
    }

    public Path sae(String arch, SaeKind kind, int k) {
        return out.resolve("sae").resolve(arch + "-" + kind.id() + "-k" + k);
    }

    public Path probeOut(String arch) {
        return out.resolve("probe-" + arch);
    }

    public Path frontierOut(String arch) {
        return out.resolve("frontier-" + arch);
    }

    public Path figures() {
        return out.resolve("figures");
    }

    public Path atlas() {
        return out.resolve("atlas.html");
    }

    /** The atlas's numbers (class and cosines of each feature), for the report. */
    public Path atlasJson() {
        return out.resolve("atlas.json");
    }

    public Path timings() {
        return out.resolve("timings.json");
    }

    /** Each step's peak resident memory in MiB (where the OS tells it), beside its time. */
    public Path peakMemory() {
        return out.resolve("peak_rss_mib.json");
    }

    public Path reportJson() {
        return out.resolve("report.json");
    }

    public Path reportMd() {
        return out.resolve("report.md");
    }

    /** report.md's tables and figures as one self-contained page. */
    public Path reportHtml() {
        return out.resolve("report.html");
    }
}
