package dev.esae.sae;

import dev.esae.train.CheckpointPolicy;
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
            SaeFiles.save(dir, cpu, sae.namedParameters(), d, null, SaeConfig.of(SaeKind.TOPK, d, 64, 7, 2, training(200), "test"));
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

    /**
     * cfg.json's sizes were trusted before the weights were looked at: "d_in": 200000000 beside the
     * weights of a 2-dimensional SAE built a 200-million-row SAE (out of memory) before its W_enc was
     * found to differ. Now every tensor is checked first.
     */
    @Test
    void sizesInCfgJsonBeyondTheWeightsAreRefusedBeforeTheSaeIsBuilt() throws IOException {
        try (TopKSae sae = new TopKSae(cpu, 2, 4, 1, 0, 3)) {
            SaeFiles.save(dir, cpu, sae.namedParameters(), 2, null, SaeConfig.of(SaeKind.TOPK, 2, 4, 1, 4, training(10), "test"));
        }
        Path cfg = dir.resolve(SaeFiles.CONFIG);
        java.nio.file.Files.writeString(cfg, java.nio.file.Files.readString(cfg).replace("\"d_in\": 2,", "\"d_in\": 200000000,"));
        dev.esae.InputException e = org.junit.jupiter.api.Assertions.assertThrows(dev.esae.InputException.class,
                () -> SaeFiles.load(cpu, dir));
        assertEquals(dir.resolve(SaeFiles.WEIGHTS) + ": tensor 'W_enc' is float32[2, 4], expected float32[200000000, 4]", e.getMessage());
    }

    private static SaeConfig.Training training(int inputs) {
        return new SaeConfig.Training(1, 32, 1e-3f, 1, inputs, 0, 0f, "acts.npy", "upright", null);
    }

    /** An invariant SAE with 80 latents, K = 3, trained for {@code epochs} in batches of 16. */
    private static SaeTraining.Request invariant(ActivationSet acts, int epochs) {
        SaeConfig.Training t = new SaeConfig.Training(epochs, 16, 1e-3f, 3, acts.count(), 0, 0f, "acts.npy", "upright", null);
        SaeTraining.Request r = SaeTraining.Request.of(SaeKind.INVARIANT, 3, acts, t, null, false, java.util.List.of());
        assertEquals(80, r.schedule().latents());
        return r;
    }

    @Test
    void resumingAnSaeFromItsCheckpointGivesTheSameBytesAsOneRun() throws IOException {
        ActivationSet acts = randomActs(8, 90, 4, 10);
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        SaeTraining.run(cpu, invariant(acts, 3), whole, false, CheckpointPolicy.EVERY_EPOCH, TrainingListener.SILENT);
        SaeTraining.run(cpu, invariant(acts, 1), parts, false, CheckpointPolicy.EVERY_EPOCH, TrainingListener.SILENT);
        LossHistory h = SaeTraining.run(cpu, invariant(acts, 3), parts, true, CheckpointPolicy.EVERY_EPOCH, TrainingListener.SILENT).history();
        assertEquals(3, h.epochs());
        for (String f : new String[] {SaeFiles.WEIGHTS, SaeFiles.CONFIG, SaeFiles.METRICS, "loss.csv"}) {
            assertArrayEquals(java.nio.file.Files.readAllBytes(whole.resolve(f)), java.nio.file.Files.readAllBytes(parts.resolve(f)), f);
        }
        // Saving every second epoch: after 3 epochs the checkpoint holds the last (it is always saved).
        Path sparse = dir.resolve("every-2");
        SaeTraining.run(cpu, invariant(acts, 3), sparse, false, new CheckpointPolicy(2, 0), TrainingListener.SILENT);
        assertArrayEquals(java.nio.file.Files.readAllBytes(whole.resolve(SaeFiles.WEIGHTS)),
                java.nio.file.Files.readAllBytes(sparse.resolve(SaeFiles.WEIGHTS)));
        assertEquals(3, (long) (Long) dev.esae.train.Checkpoint.readConfig(sparse).get("epochs_done"));
        // Waiting an hour between saves: only the last epoch is saved, with the same bytes.
        Path timed = dir.resolve("timed");
        SaeTraining.run(cpu, invariant(acts, 3), timed, false, new CheckpointPolicy(1, 3600), TrainingListener.SILENT);
        for (String f : new String[] {SaeFiles.WEIGHTS, SaeFiles.CONFIG, SaeFiles.METRICS, "loss.csv"}) {
            assertArrayEquals(java.nio.file.Files.readAllBytes(whole.resolve(f)), java.nio.file.Files.readAllBytes(timed.resolve(f)), f);
        }
        assertEquals(3, (long) (Long) dev.esae.train.Checkpoint.readConfig(timed).get("epochs_done"));
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
            SaeFiles.save(dir, cpu, sae.namedParameters(), d, m, SaeConfig.of(SaeKind.EQUIVARIANT, d, 96, 5, 4, training(100), "test"));
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
