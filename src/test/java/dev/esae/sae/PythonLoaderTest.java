package dev.esae.sae;

import dev.esae.train.CheckpointPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import dev.esae.equivariance.ActivationSet;
import dev.esae.io.HostArray;
import dev.esae.io.Json;
import dev.esae.io.Npy;
import dev.esae.testutil.Python;
import dev.esae.testutil.Synthetic;
import dev.esae.testutil.TestBackends;
import dev.esae.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * python/esae_sae.py, the PyTorch loader of docs/SAE_FORMAT.md, against esae itself: for every
 * kind, an SAE esae trains here, loaded from its folder alone, gives esae's reconstructions and
 * the numbers of its metrics.json.
 */
class PythonLoaderTest {
    private static final Backend cpu = TestBackends.cpu();
    private static final int D = 12;
    private static final int N = 4;
    private static final int INPUTS = 60;

    @TempDir
    Path dir;

    /** Inputs in 4 orientations related by a cyclic M (so the equivariant kind has something to do), plus noise. */
    private static ActivationSet acts(float[] m) {
        SplittableRandom rng = new SplittableRandom(11);
        float[] a = new float[INPUTS * N * D];
        for (int i = 0; i < INPUTS; i++) {
            double[] v = new double[D];
            for (int j = 0; j < D; j++) {
                v[j] = rng.nextGaussian() + (j == 0 ? 2 : 0);
            }
            for (int p = 0; p < N; p++) {
                for (int j = 0; j < D; j++) {
                    a[(i * N + p) * D + j] = (float) (v[j] + 0.05 * rng.nextGaussian());
                }
                double[] next = new double[D];
                for (int r = 0; r < D; r++) {
                    for (int c = 0; c < D; c++) {
                        next[r] += m[r * D + c] * v[c];
                    }
                }
                v = next;
            }
        }
        return new ActivationSet(a, INPUTS, N, D);
    }

    @ParameterizedTest
    @EnumSource(SaeKind.class)
    void theTorchLoaderReproducesEsaesReconstructionsAndMetrics(SaeKind kind) throws IOException {
        Python.assumeTorch();
        double[] md = Synthetic.cyclicOrthogonal(new SplittableRandom(4), D, N, 0);
        float[] m = new float[md.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) md[i];
        }
        ActivationSet set = acts(m);
        Path sae = dir.resolve(kind.id());
        Files.createDirectories(sae);
        SaeConfig.Training t = new SaeConfig.Training(3, 16, 3e-3f, 5, INPUTS, 0, 0f, "acts.npy", "upright",
                kind.needsTransform() ? "m (M)" : null);
        SaeTraining.run(cpu, SaeTraining.Request.of(kind, 3, set, t, kind.needsTransform() ? m : null, kind.needsTransform(), List.of()),
                sae, false, CheckpointPolicy.EVERY_EPOCH, TrainingListener.SILENT);
        Npy.write(dir.resolve("acts.npy"), HostArray.ofFloats(set.data(), INPUTS, N, D));
        // esae's own output for every row, as the loaded folder computes it (M^p applied for the equivariant kind).
        int rows = INPUTS * N;
        float[] ours;
        try (SaeFiles.Loaded l = SaeFiles.load(cpu, sae); Tensor x = cpu.upload(set.data(), rows, D)) {
            ours = cpu.download(l.sae().forward(x));
            if (kind.needsTransform()) {
                ours = applyPowers(ours, m);
            }
        }
        Npy.write(dir.resolve("ours.npy"), HostArray.ofFloats(ours, rows, D));
        String out = Python.checkWith(Python.TORCH_PYTHON, String.join("\n",
                "import json, sys, numpy as np, torch",
                "sys.path.insert(0, '" + Path.of("python").toAbsolutePath() + "')",
                "from esae_sae import EsaeSae, metrics",
                "sae = EsaeSae.load('" + sae + "')",
                "acts = torch.from_numpy(np.load('" + dir.resolve("acts.npy") + "'))",
                "x = acts.reshape(-1, acts.shape[-1]); p = torch.arange(acts.shape[1]).repeat(acts.shape[0])",
                "rec = sae(x, p)",
                "ours = torch.from_numpy(np.load('" + dir.resolve("ours.npy") + "')).double()",
                "m = metrics(sae, acts, unknown_p=True)",
                "m['forward_rel_diff'] = ((rec - ours).abs().max() / rec.abs().max()).item()",
                "print(json.dumps(m))"));
        Map<String, Object> py = Json.parseObject(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        Map<String, Object> esae = Json.parseObject(Files.readString(sae.resolve(SaeFiles.METRICS)));
        double fwd = ((Number) py.get("forward_rel_diff")).doubleValue();
        assertTrue(fwd < 1e-5, kind + ": the torch forward differs from esae's by " + fwd);
        for (String key : List.of("mse", "fvu", "l0", "l1", "dead_fraction", "dead_latents", "rows")) {
            assertClose(kind + " " + key, esae.get(key), py.get(key));
        }
        assertEquals(kind.needsTransform(), esae.containsKey("unknown_p"), kind + ": unknown_p in metrics.json");
        if (kind.needsTransform()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) esae.get("unknown_p");
            @SuppressWarnings("unchecked")
            Map<String, Object> q = (Map<String, Object>) py.get("unknown_p");
            for (String key : List.of("accuracy", "mse", "fvu")) {
                assertClose(kind + " unknown_p." + key, e.get(key), q.get(key));
            }
        }
    }

    /** Row r (orientation p = r mod n) times (M^T)^p: M^p applied to each reconstruction as a column vector. */
    private static float[] applyPowers(float[] rec, float[] m) {
        float[] out = rec.clone();
        for (int r = 0; r < rec.length / D; r++) {
            for (int q = 0; q < r % N; q++) {
                float[] next = new float[D];
                for (int i = 0; i < D; i++) {
                    double s = 0;
                    for (int j = 0; j < D; j++) {
                        s += m[i * D + j] * out[r * D + j];
                    }
                    next[i] = (float) s;
                }
                System.arraycopy(next, 0, out, r * D, D);
            }
        }
        return out;
    }

    /** Relative 1e-5 (esae sums float32 outputs in double, the loader computes in float64; they agree to ~1e-8). */
    private static void assertClose(String what, Object expected, Object actual) {
        double e = ((Number) expected).doubleValue();
        double a = ((Number) actual).doubleValue();
        assertTrue(Math.abs(a - e) <= 1e-5 * Math.max(Math.abs(e), 1e-12), what + ": esae " + e + ", torch " + a);
    }
}
