package dev.esae.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * The command's stdout and stderr: once a signal has begun to exit the process
 * ({@link SignalHandlers}), nothing more gets through, so the handler's line saying what is kept is
 * the last one printed, even while a step that was starting goes on printing until the JVM halts.
 * A write either completes before the exit began or is dropped (both hold {@link #LOCK}; the
 * handler waits for it only briefly, in case a write is blocked on a pipe nobody reads).
 */
final class QuietOnExitWriter extends FilterWriter {
    /** Held by every write and by the handler as it marks the process exiting. */
    static final java.util.concurrent.locks.ReentrantLock LOCK = new java.util.concurrent.locks.ReentrantLock();

    QuietOnExitWriter(Writer out) {
        super(out);
    }

    /** One write to the underlying writer. */
    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    /** Runs {@code w} unless the process is exiting, holding {@link #LOCK}. */
    private static void unlessExiting(Write w) throws IOException {
        LOCK.lock();
        try {
            if (!SignalHandlers.isExiting()) {
                w.run();
            }
        } finally {
            LOCK.unlock();
        }
    }

    @Override
    public void write(int c) throws IOException {
        unlessExiting(() -> out.write(c));
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        unlessExiting(() -> out.write(buf, off, len));
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        unlessExiting(() -> out.write(s, off, len));
    }

    @Override
    public void flush() throws IOException {
        unlessExiting(out::flush);
    }
}
