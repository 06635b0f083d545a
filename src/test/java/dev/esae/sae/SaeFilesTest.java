package dev.esae.sae;

import dev.esae.testutil.TestBackends;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import dev.esae.equivariance.ActivationSet;
import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import dev.esae.testutil.Python;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exported topk SAE is what SAELens computes with, and loads back to the same SAE. */
class SaeFilesTest {
    private static final Backend cpu = TestBackends.cpu();

    @TempDir
    Path dir;

    private static ActivationSet randomActs(long seed, int count, int n, int d) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[count * n * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextGaussian() + (i % d == 0 ? 3 : 0));
        }
        return new ActivationSet(a, count, n, d);
    }

    @Test
    void aSaeLensForwardOfTheExportedFolderReproducesEsaesReconstructions() throws IOException {
        Python.assumeNumpy();
        int d = 20;
        ActivationSet acts = randomActs(5, 200, 2, d);
        try (TopKSae sae = SaeTrainer.train(cpu, acts, new SaeTrainer.Config(64, 7, 0, false, 2, 32, 1e-3f, 1),
                TrainingListener.SILENT, new LossHistory(200))) {
            SaeFiles.save(dir, cpu, sae, null, SaeFiles.config(SaeKind.TOPK, d, 64, 7, 2, Map.of()));
            float[] x = java.util.Arrays.copyOf(acts.data(), 50 * d);
            Npy.write(dir.resolve("x.npy"), HostArray.ofFloats(x, 50, d));
            try (Tensor t = cpu.upload(x, 50, d)) {
                Npy.write(dir.resolve("ours.npy"), HostArray.ofFloats(cpu.download(sae.forward(t)), 50, d));
            }
        }
        // SAELens's TopK SAE forward, from the folder alone: cfg.json + sae_weights.safetensors.
        String out = Python.check(String.join("\n",
                "import json, struct, numpy as np",
                "d = '" + dir + "'",
                "cfg = json.load(open(d + '/cfg.json'))",
                "raw = open(d + '/sae_weights.safetensors', 'rb').read(); n = struct.unpack('<Q', raw[:8])[0]",
                "h = json.loads(raw[8:8 + n]); data = raw[8 + n:]",
                "w = {k: np.frombuffer(data[v['data_offsets'][0]:v['data_offsets'][1]], dtype='<f4').reshape(v['shape']).astype(np.float64)",
                "     for k, v in h.items() if k != '__metadata__'}",
                "assert cfg['architecture'] == 'topk' and cfg['apply_b_dec_to_input'] and w['W_enc'].shape == (cfg['d_in'], cfg['d_sae'])",
                "x = np.load(d + '/x.npy').astype(np.float64)",
                "pre = (x - w['b_dec']) @ w['W_enc'] + w['b_enc']",
                "k = cfg['k']; idx = np.argsort(-pre, axis=1, kind='stable')[:, :k]",
                "z = np.zeros_like(pre); np.put_along_axis(z, idx, np.maximum(np.take_along_axis(pre, idx, 1), 0), 1)",
                "rec = z @ w['W_dec'] + w['b_dec']",
                "ours = np.load(d + '/ours.npy')",
                "print(f'{np.abs(rec - ours).max() / np.abs(rec).max():.3e}')"));
        assertTrue(Double.parseDouble(out.strip()) < 1e-5, "SAELens-style forward differs by " + out.strip());
    }

    @Test
    void resumingAnSaeFromItsCheckpointGivesTheSameBytesAsOneRun() throws IOException {
        ActivationSet acts = randomActs(8, 90, 4, 10);
        Map<String, Object> cfg = SaeFiles.config(SaeKind.INVARIANT, 10, 80, 3, 4, Map.of("batch", 16, "lr", 1e-3, "seed", 3, "inputs", 90));
        SaeTrainer.Config three = new SaeTrainer.Config(80, 3, 512, true, 3, 16, 1e-3f, 3);
        SaeTrainer.Config one = new SaeTrainer.Config(80, 3, 512, true, 1, 16, 1e-3f, 3);
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        SaeTrainer.train(cpu, acts, three, whole, false, cfg, null, TrainingListener.SILENT, new LossHistory(90)).close();
        SaeTrainer.train(cpu, acts, one, parts, false, cfg, null, TrainingListener.SILENT, new LossHistory(90)).close();
        LossHistory h = new LossHistory(90);
        SaeTrainer.train(cpu, acts, three, parts, true, cfg, null, TrainingListener.SILENT, h).close();
        assertEquals(3, h.epochs());
        assertArrayEquals(java.nio.file.Files.readAllBytes(whole.resolve(SaeFiles.WEIGHTS)),
                java.nio.file.Files.readAllBytes(parts.resolve(SaeFiles.WEIGHTS)));
    }

    @Test
    void anExportedSaeLoadsBackToTheSameReconstructions() throws IOException {
        int d = 12;
        ActivationSet acts = randomActs(6, 100, 4, d);
        float[] m = new float[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + (i + 1) % d] = 1f;
        }
        try (TopKSae sae = SaeTrainer.train(cpu, acts, new SaeTrainer.Config(96, 5, 512, true, 1, 32, 1e-3f, 2),
                TrainingListener.SILENT, new LossHistory(100))) {
            SaeFiles.save(dir, cpu, sae, m, SaeFiles.config(SaeKind.EQUIVARIANT, d, 96, 5, 4, Map.of()));
            try (SaeFiles.Loaded back = SaeFiles.load(cpu, dir); Tensor t = cpu.upload(java.util.Arrays.copyOf(acts.data(), 8 * d), 8, d)) {
                assertEquals(SaeKind.EQUIVARIANT, back.kind());
                assertArrayEquals(m, back.transform());
                float[] a = cpu.download(sae.forward(t));
                float[] b = cpu.download(back.sae().forward(t));
                assertArrayEquals(a, b);
            }
        }
    }
}
