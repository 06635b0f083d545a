package dev.esae.report;

import dev.esae.InputException;
import dev.esae.base.Autoencoder;
import dev.esae.base.ModelFiles;
import dev.esae.compute.Backend;
import dev.esae.data.CyclicGroup;
import dev.esae.sae.SaeFiles;
import dev.esae.sae.SplicedLoss;
import dev.esae.io.Charts;
import dev.esae.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
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

    /** The points as frontier.csv holds them (numbers by {@link #number}). */
    public static String csv(List<Point> points) {
        StringBuilder sb = new StringBuilder("sae,kind,k,l0,l1,spliced_mse,base_mse\n");
        for (Point p : points) {
            sb.append(String.join(",", p.sae().replace(',', '_'), p.kind(), Integer.toString(p.k()), number(p.l0()), number(p.l1()),
                    number(p.splicedMse()), number(p.baseMse()))).append('\n');
        }
        return sb.toString();
    }

    /** A number as frontier.csv writes it: six significant digits (it reads back to the same text). */
    public static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** Reads frontier.csv back; an {@link InputException} naming the file and line when one is malformed. */
    public static List<Point> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Point> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            try {
                out.add(new Point(f[0], f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                        Double.parseDouble(f[5]), Double.parseDouble(f[6])));
            } catch (RuntimeException e) {
                throw new InputException(file + ": line " + (i + 1) + " is not sae,kind,k,l0,l1,spliced_mse,base_mse (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    /**
     * {@code esae frontier} as a library call: each SAE's spliced loss on {@code images} through the
     * base model in {@code modelDir} (SAE i with the group of order {@code orders[i]}), written with
     * {@link #write}; the points in the SAEs' order, each also given to {@code onPoint} as soon as it is measured.
     */
    public static List<Point> run(Backend backend, Path modelDir, List<Path> saeDirs, List<Integer> orders, float[] images, Path out,
            java.util.function.Consumer<Point> onPoint) throws IOException {
        List<Point> points = new ArrayList<>();
        // The encoder and the base decoder on the images, once per group order for all the SAEs.
        Map<Integer, SplicedLoss.Base> bases = new LinkedHashMap<>();
        try (Autoencoder ae = ModelFiles.load(backend, modelDir)) {
            for (int i = 0; i < saeDirs.size(); i++) {
                Path dir = saeDirs.get(i);
                try (SaeFiles.Loaded sae = SaeFiles.load(backend, dir)) {
                    SplicedLoss.Base base = bases.computeIfAbsent(orders.get(i),
                            order -> SplicedLoss.prepare(backend, ae, images, new CyclicGroup(order)));
                    SplicedLoss.Result m = SplicedLoss.evaluate(backend, ae, sae.sae(), sae.kind(), sae.transform(), base);
                    String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
                    Point p = new Point(name, sae.kind().id(), sae.sae().k(), m.l0(), m.l1(), m.splicedMse(), m.baseMse());
                    points.add(p);
                    onPoint.accept(p);
                }
            }
        } finally {
            bases.values().forEach(SplicedLoss.Base::close);
        }
        write(out, points);
        return points;
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
