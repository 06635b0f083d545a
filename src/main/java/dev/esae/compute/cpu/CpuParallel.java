package dev.esae.compute.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a loop over {@code [0, n)} into contiguous chunks run on a fixed pool. Each index is handled
 * by exactly one chunk, so per-row results do not depend on the thread count.
 */
final class CpuParallel implements AutoCloseable {
    /** Elements per chunk below which elementwise work stays on one thread. */
    static final int ELEMENTWISE_GRAIN = 1 << 15;

    /** The body of a loop over {@code [from, to)}. */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    CpuParallel(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "esae-cpu");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** The threads a loop may be split across (the caller's thread included). */
    int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)}; in parallel only when every chunk gets at least
     * {@code minPerChunk} indices, since small loops are faster on one thread.
     */
    void forRange(int n, int minPerChunk, RangeBody body) {
        int chunks = pool == null ? 1 : Math.min(threads, Math.max(1, n / Math.max(1, minPerChunk)));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            futures.add(pool.submit(() -> body.run(from, to)));
        }
        body.run(0, (int) ((long) n / chunks));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
