package dev.esae.report;

import dev.esae.io.Charts;
import dev.esae.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sparsity/reconstruction frontier (SPEC §6, the paper's Figure 4): per SAE, the mean L1 of
 * its latents against the spliced MSE of the base autoencoder, beside the unspliced base MSE.
 */
public final class Frontier {
    public static final String CSV = "frontier.csv";
    public static final String PNG = "frontier.png";

    /** One SAE's point. */
    public record Point(String sae, String kind, int k, double l0, double l1, double splicedMse, double baseMse) {}

    private Frontier() {}

    public static String csv(List<Point> points) {
        StringBuilder sb = new StringBuilder("sae,kind,k,l0,l1,spliced_mse,base_mse\n");
        for (Point p : points) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%.6g,%.6g,%.6g,%.6g%n", p.sae().replace(',', '_'), p.kind(), p.k(), p.l0(),
                    p.l1(), p.splicedMse(), p.baseMse()));
        }
        return sb.toString();
    }

    /** Writes {@code frontier.csv} and {@code frontier.png} (one line per kind, points in order of L1). */
    public static void write(Path dir, List<Point> points) throws IOException {
        AtomicFiles.writeString(dir.resolve(CSV), csv(points));
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::l1));
        for (Point p : sorted) {
            series.computeIfAbsent(p.kind(), k -> new ArrayList<>()).add(new double[] {p.l1(), p.splicedMse()});
        }
        double base = points.stream().mapToDouble(Point::baseMse).average().orElse(Double.NaN);
        Charts.lines(dir.resolve(PNG), "Sparsity / reconstruction frontier", "mean L1 of z", "spliced MSE (base decoder)", series,
                Double.isFinite(base) ? base : null, String.format(Locale.ROOT, "base model %.4g", base));
    }
}
