package dev.esae.train;

import dev.esae.io.AtomicFiles;
import dev.esae.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Per-epoch loss and wall time of a run; written as {@code loss.csv} and kept in checkpoints. */
public final class LossHistory {
    private final List<Double> losses = new ArrayList<>();
    private final List<Double> seconds = new ArrayList<>();
    private final int samplesPerEpoch;

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

    /** Writes {@code epoch,loss,seconds,samples_per_s}, one row per epoch, atomically. */
    public void writeCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("epoch,loss,seconds,samples_per_s\n");
        for (int i = 0; i < losses.size(); i++) {
            double s = seconds.get(i);
            sb.append(String.format(Locale.ROOT, "%d,%.8g,%.3f,%.1f%n", i + 1, losses.get(i), s, s > 0 ? samplesPerEpoch / s : 0));
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** The history as JSON (for checkpoint metadata). */
    public String toJson() {
        return Json.write(java.util.Map.of("loss", losses, "seconds", seconds));
    }

    /** Reads what {@link #toJson()} wrote. */
    public static LossHistory fromJson(String json, int samplesPerEpoch) {
        java.util.Map<String, Object> m = Json.parseObject(json);
        LossHistory h = new LossHistory(samplesPerEpoch);
        List<?> l = (List<?>) m.get("loss");
        List<?> s = (List<?>) m.get("seconds");
        for (int i = 0; i < l.size(); i++) {
            h.add(((Number) l.get(i)).doubleValue(), ((Number) s.get(i)).doubleValue());
        }
        return h;
    }
}
