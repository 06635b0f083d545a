package dev.esae.io;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import java.awt.BasicStroke;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** PNG charts drawn with JFreeChart in headless mode and written atomically. */
public final class Charts {
    /** A colour per series, readable in print and by colour-blind readers (Okabe–Ito). */
    private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(86, 180, 233), new Color(213, 94, 0)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * R² of {@code M^p ψ(x)} against {@code ψ(g^p x)} per power p = 1..n−1, one bar per series (the
     * chart of {@code fit-m} and of a study's report). The axis starts at the lowest tenth below 0
     * that a bar reaches, but no lower than −2: a powered least-squares map can diverge, and its
     * bars would squash the ones that matter.
     */
    public static void r2PerPower(Path file, String title, Map<String, List<Double>> series) throws IOException {
        double low = 0;
        int powers = 0;
        for (List<Double> l : series.values()) {
            powers = Math.max(powers, l.size());
            for (double v : l) {
                low = Math.min(low, Math.floor(v * 10) / 10);
            }
        }
        List<String> cats = new ArrayList<>();
        for (int p = 1; p <= powers; p++) {
            cats.add("p = " + p);
        }
        groupedBars(file, title, "power p", "R² (mean over dimensions)", cats, series, Math.max(low, -2), 1.05);
    }

    /**
     * Grouped bars: one group per category, one bar per series.
     *
     * @param series values by series name, each list aligned with {@code categories}
     */
    public static void groupedBars(Path file, String title, String categoryLabel, String valueLabel, List<String> categories,
            Map<String, List<Double>> series, Double lower, Double upper) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            for (int i = 0; i < categories.size(); i++) {
                data.addValue(e.getValue().get(i), e.getKey(), categories.get(i));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        style(chart);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        NumberAxis axis = (NumberAxis) plot.getRangeAxis();
        if (lower != null && upper != null) {
            axis.setRange(lower, upper);
        }
        write(file, chart, 720, 440);
    }

    /**
     * Lines through points, one line per series (points joined in the order given), with an
     * optional dashed horizontal reference line.
     *
     * @param series points {@code {x, y}} by series name
     */
    public static void lines(Path file, String title, String xLabel, String yLabel, Map<String, List<double[]>> series,
            Double reference, String referenceLabel) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (double[] p : e.getValue()) {
                s.add(p[0], p[1]);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(200, 200, 200));
        plot.setRangeGridlinePaint(new Color(200, 200, 200));
        plot.setOutlineVisible(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        double lo = reference == null ? Double.POSITIVE_INFINITY : reference;
        double hi = reference == null ? Double.NEGATIVE_INFINITY : reference;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                lo = Math.min(lo, p[1]);
                hi = Math.max(hi, p[1]);
            }
        }
        if (lo > 0 && hi / lo > 20) {
            // Values over more than a decade and a half: a log axis keeps the small ones apart.
            org.jfree.chart.axis.LogAxis log = new org.jfree.chart.axis.LogAxis(yLabel);
            log.setLabelFont(plot.getRangeAxis().getLabelFont());
            log.setRange(lo / 1.5, hi * 1.5);
            log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));  // one tick per decade
            log.setNumberFormatOverride(new java.text.DecimalFormat("0.######"));
            plot.setRangeAxis(log);
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        if (reference != null) {
            ValueMarker m = new ValueMarker(reference, Color.DARK_GRAY,
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            m.setLabel(referenceLabel);
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(m);
            if (plot.getRangeAxis() instanceof NumberAxis y) {
                // Keep the reference line in view even when every point lies far above it.
                double pad = (hi - lo) * 0.08 + 1e-12;
                y.setRange(lo - pad, hi + pad);
            }
        }
        write(file, chart, 720, 440);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        if (chart.getPlot() instanceof CategoryPlot p) {
            p.setBackgroundPaint(Color.WHITE);
            p.setRangeGridlinePaint(new Color(200, 200, 200));
            p.setOutlineVisible(false);
        }
    }

    static void write(Path file, JFreeChart chart, int width, int height) throws IOException {
        BufferedImage img = chart.createBufferedImage(width, height);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
