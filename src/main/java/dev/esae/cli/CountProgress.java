package dev.esae.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on stderr for work counted in units (probing tasks): a bar, the count, units per
 * second and the time left. On a terminal it redraws one line a few times a second; otherwise it
 * prints a line at every tenth of the work. Safe to call from several threads.
 */
final class CountProgress implements dev.esae.probe.ProbeSuite.Progress {
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final String label;
    private final boolean live;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastTenth = -1;

    CountProgress(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
        this.live = System.console() != null && !"plain".equals(System.getenv("ESAE_PROGRESS"));
    }

    @Override
    public synchronized void update(int done, int total) {
        long now = System.nanoTime();
        int tenth = total == 0 ? 10 : done * 10 / total;
        boolean last = done == total;
        if (live ? now - lastDraw < REDRAW_NANOS && !last : tenth == lastTenth) {
            return;
        }
        lastDraw = now;
        lastTenth = tenth;
        double frac = total == 0 ? 1 : done / (double) total;
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        double left = done == 0 ? Double.NaN : secs / done * (total - done);
        int filled = (int) Math.round(frac * WIDTH);
        err.printf(Locale.ROOT, "%s%s [%s%s] %d/%d %.1f/s ETA %s%s", live ? "\r" : "", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, rate, ProgressBar.clock(left), live && !last ? " " : "\n");
        err.flush();
    }
}
