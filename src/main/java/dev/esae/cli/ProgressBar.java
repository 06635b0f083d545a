package dev.esae.cli;

import dev.esae.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * A progress bar on stderr: epoch, a bar, loss, samples per second and the time left. On a
 * terminal it redraws one line a few times a second; otherwise (a log file, CI) it prints one line
 * per epoch.
 */
final class ProgressBar implements TrainingListener {
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final String label;
    private final boolean live;
    /** Counts iterations of one full-batch run (its "batches") instead of epochs. */
    private final boolean iterations;
    private int firstEpoch;
    private int epochs;
    private int batches;
    private int samples;
    private long runStart;
    private long epochStart;
    private long lastDraw;

    ProgressBar(PrintWriter err, String label) {
        this(err, label, false);
    }

    private ProgressBar(PrintWriter err, String label, boolean iterations) {
        this.err = err;
        this.label = label;
        this.live = System.console() != null && !"plain".equals(System.getenv("ESAE_PROGRESS"));
        this.iterations = iterations;
    }

    /**
     * A bar for a full-batch solver that reports one epoch of {@code N} "batches", its iterations:
     * it shows iteration i/N, the loss and the time left; off a terminal, a line every tenth of the
     * budget.
     */
    static ProgressBar iterations(PrintWriter err, String label) {
        return new ProgressBar(err, label, true);
    }

    @Override
    public void onStart(int firstEpoch, int epochs, int batchesPerEpoch, int samplesPerEpoch) {
        this.firstEpoch = firstEpoch;
        this.epochs = epochs;
        this.batches = batchesPerEpoch;
        this.samples = samplesPerEpoch;
        this.runStart = System.nanoTime();
        this.epochStart = runStart;
        if (firstEpoch > 0) {
            err.printf(Locale.ROOT, "%s: resuming after epoch %d of %d%n", label, firstEpoch, epochs);
        }
    }

    @Override
    public void onBatch(int epoch, int batchesDone, DoubleSupplier runningLoss) {
        if (iterations) {
            onIteration(batchesDone, runningLoss.getAsDouble());
            return;
        }
        long now = System.nanoTime();
        if (!live || now - lastDraw < REDRAW_NANOS && batchesDone < batches) {
            return;
        }
        lastDraw = now;
        double frac = batchesDone / (double) batches;
        int filled = (int) Math.round(frac * WIDTH);
        double secs = (now - epochStart) / 1e9;
        double rate = samples * frac / Math.max(secs, 1e-9);
        double left = remaining(epoch, frac, now);
        double loss = runningLoss.getAsDouble();
        err.printf(Locale.ROOT, "\r%s epoch %d/%d [%s%s] %3.0f%%%s %,.0f/s ETA %s ", label, epoch + 1, epochs,
                "#".repeat(filled), ".".repeat(WIDTH - filled), frac * 100,
                Double.isNaN(loss) ? "" : String.format(Locale.ROOT, " loss %.5g", loss), rate, clock(left));
        err.flush();
    }

    private void onIteration(int done, double loss) {
        long now = System.nanoTime();
        boolean tenth = done % Math.max(1, batches / 10) == 0;
        if (live ? now - lastDraw < REDRAW_NANOS && done < batches : !tenth) {
            return;
        }
        lastDraw = now;
        double secs = (now - runStart) / 1e9;
        double left = secs / done * (batches - done);
        int filled = (int) Math.round(done / (double) batches * WIDTH);
        err.printf(Locale.ROOT, "%s%s iteration %d/%d [%s%s] loss %.6g %.1f it/s ETA %s%s", live ? "\r" : "", label, done, batches,
                "#".repeat(filled), ".".repeat(WIDTH - filled), loss, done / Math.max(secs, 1e-9), clock(left), live ? " " : "\n");
        err.flush();
    }

    @Override
    public void onEpoch(int epoch, double loss, double seconds) {
        if (iterations) {
            err.printf(Locale.ROOT, "%s%s done: loss %.6g in %.1f s%n", live ? "\r" : "", label, loss, seconds);
            err.flush();
            return;
        }
        long now = System.nanoTime();
        err.printf(Locale.ROOT, "%s%s epoch %d/%d loss %.6g  %.1f s  %,.0f samples/s  ETA %s%n", live ? "\r" : "", label,
                epoch + 1, epochs, loss, seconds, samples / Math.max(seconds, 1e-9), clock(remaining(epoch, 1.0, now)));
        err.flush();
        epochStart = now;
    }

    /** Seconds left, from the mean time per epoch of this run so far. */
    private double remaining(int epoch, double fracOfEpoch, long now) {
        double doneEpochs = epoch - firstEpoch + fracOfEpoch;
        if (doneEpochs <= 0) {
            return Double.NaN;
        }
        double perEpoch = (now - runStart) / 1e9 / doneEpochs;
        return perEpoch * (epochs - epoch - fracOfEpoch);
    }

    static String clock(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "--:--";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
