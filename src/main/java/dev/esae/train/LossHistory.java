package dev.esae.train;

import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-epoch loss and wall time of a run. The losses go to {@code loss.csv} and into checkpoints;
 * the times, which differ from run to run, only to {@code timing.csv}, so that the same command
 * with the same seed writes the same bytes everywhere else.
 */
public final class LossHistory {
    private final List<Double> losses = new ArrayList<>();
    private final List<Double> seconds = new ArrayList<>();
    private final int samplesPerEpoch;

    /** Samples one epoch visits (for the rate in timing.csv). */
    public int samplesPerEpoch() {
        return samplesPerEpoch;
    }

    public LossHistory(int samplesPerEpoch) {
        this.samplesPerEpoch = samplesPerEpoch;
    }

    public void add(double loss, double secs) {
        losses.add(loss);
        seconds.add(secs);
    }

    /** Takes over another history's epochs (after resuming from a checkpoint). */
    public void replaceWith(LossHistory other) {
        losses.clear();
        seconds.clear();
        losses.addAll(other.losses);
        seconds.addAll(other.seconds);
    }

    public int epochs() {
        return losses.size();
    }

    public List<Double> losses() {
        return List.copyOf(losses);
    }

    public List<Double> seconds() {
        return List.copyOf(seconds);
    }

    /** The last epoch's loss, or {@code null} before the first. */
    public Double last() {
        return losses.isEmpty() ? null : losses.get(losses.size() - 1);
    }

    /** Writes {@code UNIT,loss}, one row per epoch or iteration ({@code unit}), atomically. */
    public void writeCsv(Path file, String unit) throws IOException {
        StringBuilder sb = new StringBuilder(unit + ",loss\n");
        for (int i = 0; i < losses.size(); i++) {
            sb.append(String.format(Locale.ROOT, "%d,%.8g%n", i + 1, losses.get(i)));
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * Writes {@code epoch,seconds,samples_per_s} for the epochs this process trained (a resumed
     * run's earlier epochs keep the rows an earlier {@code timing.csv} had), atomically.
     */
    public void writeTimingCsv(Path file) throws IOException {
        java.util.Map<Integer, String> rows = new java.util.TreeMap<>();
        if (java.nio.file.Files.isRegularFile(file)) {
            for (String line : java.nio.file.Files.readAllLines(file)) {
                String[] f = line.split(",", 2);
                if (f.length == 2 && f[0].matches("\\d+") && Integer.parseInt(f[0]) <= losses.size()) {
                    rows.put(Integer.parseInt(f[0]), line);
                }
            }
        }
        for (int i = 0; i < seconds.size(); i++) {
            double s = seconds.get(i);
            if (!Double.isNaN(s)) {
                rows.put(i + 1, String.format(Locale.ROOT, "%d,%.3f,%.1f", i + 1, s, s > 0 ? samplesPerEpoch / s : 0));
            }
        }
        StringBuilder sb = new StringBuilder("epoch,seconds,samples_per_s\n");
        rows.values().forEach(r -> sb.append(r).append('\n'));
        AtomicFiles.writeString(file, sb.toString());
    }

    /** What a checkpoint keeps of a history: the loss of each epoch. */
    record Saved(List<Double> loss) {}

    /** The losses as JSON (for checkpoint metadata; times are left out, see the class comment). */
    public String toJson() {
        return Json.write(new Saved(losses));
    }

    /** Reads what {@link #toJson()} wrote. */
    public static LossHistory fromJson(String json, int samplesPerEpoch) {
        LossHistory h = new LossHistory(samplesPerEpoch);
        for (double v : Json.bind(json, Saved.class).loss()) {
            h.add(v, Double.NaN);
        }
        return h;
    }
}
