package dev.esae.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the probing study of SPEC §5: for every task, its stratified split; the probes on the
 * base activations; and for every SAE and truncation length L, the L latents chosen by mean
 * difference on the training split, then the probes on those latents and on the truncated
 * reconstruction. Units of work (one task of one SAE at one L) run in parallel on
 * {@code threads} workers; results come back in a fixed order whatever the scheduling, and every
 * probe is deterministic, so a run's results do not depend on the thread count.
 *
 * <p>An SAE whose codes on the probe set are the very same numbers as an earlier SAE's (the
 * invariant and equivariant kinds share their encoder: same training, M only in the decoder) gets
 * the same latents selected and the same latent inputs, so every latent result would repeat; those
 * are computed once and copied under the later SAE's name. The check is on the codes themselves,
 * value by value, never on kind names; reconstructions differ and are always probed.
 */
public final class ProbeSuite {
    /** Receives the number of finished units out of the total, from any worker thread. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    /** An SAE to probe: its name in results, its kind's id, K, and its inputs on the probe set. */
    public record SaeEntry(String name, String kind, int k, SaeFeatures features) {}

    /**
     * @param lengths truncation lengths L
     * @param testFraction share of each task's images in its test split
     */
    public record Config(int[] lengths, List<Probe> probes, double testFraction, long seed, int threads) {
        public Config {
            if (lengths.length == 0 || probes.isEmpty() || threads < 1) {
                throw new IllegalArgumentException("need at least one length, one probe and one thread");
            }
        }
    }

    private final Config config;

    public ProbeSuite(Config config) {
        this.config = config;
    }

    /** Every result: first the base activations task by task, then each SAE, length and task in order. */
    public List<ProbeResult> run(ProbeSet set, List<SaeEntry> saes, Progress progress) {
        List<ProbingTask> tasks = set.tasks();
        StratifiedSplit[] splits = new StratifiedSplit[tasks.size()];
        for (int t = 0; t < tasks.size(); t++) {
            splits[t] = set.split(t, config.testFraction(), config.seed());
        }
        List<java.util.concurrent.Callable<List<ProbeResult>>> units = new ArrayList<>();
        // source[u]: the earlier unit whose latent rows unit u repeats (-1: u probes its own latents).
        List<Integer> source = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            int task = t;
            units.add(() -> base(set, task, splits[task]));
            source.add(-1);
        }
        int[] firstUnit = new int[saes.size()];
        for (int i = 0; i < saes.size(); i++) {
            SaeEntry sae = saes.get(i);
            int same = sameCodesAs(saes, i);
            firstUnit[i] = units.size();
            int unit = 0;
            for (int length : config.lengths()) {
                for (int t = 0; t < tasks.size(); t++) {
                    int task = t;
                    units.add(() -> sae(set, sae, length, task, splits[task], same < 0));
                    source.add(same < 0 ? -1 : firstUnit[same] + unit);
                    unit++;
                }
            }
        }
        AtomicInteger done = new AtomicInteger();
        int total = units.size();
        progress.update(0, total);
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread th = new Thread(r, "esae-probe");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<List<ProbeResult>>> futures = new ArrayList<>();
            for (java.util.concurrent.Callable<List<ProbeResult>> u : units) {
                futures.add(pool.submit(() -> {
                    List<ProbeResult> r = u.call();
                    progress.update(done.incrementAndGet(), total);
                    return r;
                }));
            }
            List<ProbeResult> all = new ArrayList<>();
            for (int u = 0; u < futures.size(); u++) {
                List<ProbeResult> own = futures.get(u).get();
                if (source.get(u) >= 0) {
                    ProbeResult like = own.get(0);
                    for (ProbeResult r : futures.get(source.get(u)).get()) {
                        if (r.input() == ProbeInput.LATENTS) {
                            all.add(new ProbeResult(like.sae(), like.kind(), like.k(), r.length(), r.input(), r.probe(), r.task(), r.f1(),
                                    r.trainPositives(), r.testPositives()));
                        }
                    }
                }
                all.addAll(own);
            }
            return all;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("probing was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private List<ProbeResult> base(ProbeSet set, int t, StratifiedSplit split) {
        List<ProbeResult> out = new ArrayList<>();
        score(set, t, split, set.psi(), "base", "base", 0, 0, ProbeInput.BASE, out);
        return out;
    }

    /**
     * The index of the first SAE before {@code i} whose codes equal SAE {@code i}'s in every row
     * (same K and latent count, the same indices and the same float bits), or -1. Equal codes give
     * equal truncations ({@link SparseCodes#topByMeanDifference} reads only the codes) and equal
     * latent inputs, hence equal latent results.
     */
    static int sameCodesAs(List<SaeEntry> saes, int i) {
        SparseCodes c = saes.get(i).features().codes();
        for (int j = 0; j < i; j++) {
            SparseCodes o = saes.get(j).features().codes();
            if (o.rows() == c.rows() && o.k() == c.k() && o.latents() == c.latents() && saes.get(j).k() == saes.get(i).k()
                    && java.util.Arrays.equals(o.indices(), c.indices()) && sameBits(o.values(), c.values())) {
                return j;
            }
        }
        return -1;
    }

    private static boolean sameBits(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** One SAE's unit; its latent inputs are probed only when {@code latents} (else another SAE's equal rows stand in). */
    private List<ProbeResult> sae(ProbeSet set, SaeEntry sae, int length, int t, StratifiedSplit split, boolean latents) {
        List<ProbeResult> out = new ArrayList<>();
        int[] selected = sae.features().codes().topByMeanDifference(set.labels(t), split.train(), length);
        if (latents) {
            score(set, t, split, sae.features().latents(selected), sae.name(), sae.kind(), sae.k(), length, ProbeInput.LATENTS, out);
        }
        score(set, t, split, sae.features().reconstruction(selected), sae.name(), sae.kind(), sae.k(), length,
                ProbeInput.RECONSTRUCTION, out);
        return out;
    }

    private void score(ProbeSet set, int t, StratifiedSplit split, Features x, String sae, String kind, int k, int length,
            ProbeInput input, List<ProbeResult> out) {
        boolean[] y = set.labels(t);
        Features train = x.select(split.train());
        Features test = x.select(split.test());
        boolean[] yTrain = Features.select(y, split.train());
        boolean[] yTest = Features.select(y, split.test());
        int trainPos = count(yTrain);
        int testPos = count(yTest);
        for (Probe probe : config.probes()) {
            ProbeModel model = trainPos == 0 || trainPos == yTrain.length ? ProbeModel.constant(trainPos > 0) : probe.fit(train, yTrain);
            try {
                double f1 = F1.score(yTest, model.predict(test));
                out.add(new ProbeResult(sae, kind, k, length, input, probe.name(), set.tasks().get(t), f1, trainPos, testPos));
            } finally {
                if (model instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    private static int count(boolean[] y) {
        int c = 0;
        for (boolean b : y) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
