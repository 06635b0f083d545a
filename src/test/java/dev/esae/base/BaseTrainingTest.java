package dev.esae.base;

import dev.esae.train.CheckpointPolicy;
import dev.esae.testutil.TestBackends;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import dev.esae.data.CyclicGroup;
import dev.esae.data.ShapeCatalog;
import dev.esae.data.ShapesDataset;
import dev.esae.io.SafeTensors;
import dev.esae.train.Checkpoint;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training lowers the loss, checkpoints resume exactly, and activations are ψ of the rotated images. */
class BaseTrainingTest {
    private static final Backend cpu = TestBackends.cpu();
    private static ShapeCatalog catalog;

    @TempDir
    Path dir;

    @BeforeAll
    static void draw() {
        catalog = ShapeCatalog.draw();
    }

    /** Trains into {@code out} as 'esae train-base' does (checkpoint every epoch). */
    private LossHistory train(BaseModelConfig c, float[] x, Path out, boolean resume) throws IOException {
        return BaseTraining.run(cpu, c, x, List.of(), out, resume, CheckpointPolicy.EVERY_EPOCH, TrainingListener.SILENT);
    }

    private static float[] images(int n, long seed) {
        return ShapesDataset.generate(n, seed, catalog).imagesAsFloats();
    }

    @Test
    void theMlpLearnsOnTwoThousandImages() throws IOException {
        // Upright images (the default) repeat and vary less than random ones; their first epoch ends lower,
        // so halving it takes an epoch more than it did on randomly oriented images.
        BaseModelConfig c = new BaseModelConfig(Architecture.MLP, 5, 64, 1e-3f, 3, "test", 2000, "upright");
        float[] x = images(2000, 1);
        LossHistory h = train(c, x, dir, false);
        List<Double> l = h.losses();
        for (int e = 1; e < l.size(); e++) {
            assertTrue(l.get(e) < l.get(e - 1), "the loss falls every epoch: " + l);
        }
        assertTrue(l.get(4) < 0.5 * l.get(0), "five epochs at least halve the first epoch's loss: " + l);
        // The loss of predicting black images: the model must do far better.
        double black = 0;
        for (float v : x) {
            black += (double) v * v;
        }
        black /= x.length;
        assertTrue(l.get(4) < 0.5 * black, "final loss " + l.get(4) + " vs " + black + " for all-black predictions");
        for (String f : new String[] {"model.safetensors", "config.json", "loss.csv", "reconstructions.png", Checkpoint.FILE}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertEquals(6, Files.readAllLines(dir.resolve("loss.csv")).size());
        assertEquals(Architecture.MLP, ModelFiles.readConfig(dir).architecture());
    }

    @Test
    void theCnnLearnsOnFewerImages() throws IOException {
        BaseModelConfig c = new BaseModelConfig(Architecture.CNN, 3, 32, 1e-3f, 4, "test", 320, "upright");
        List<Double> l = train(c, images(320, 2), dir, false).losses();
        assertTrue(l.get(1) < l.get(0) && l.get(2) < l.get(1), "the loss falls every epoch: " + l);
        assertTrue(l.get(2) < 0.75 * l.get(0), "CNN losses " + l);
    }

    @Test
    void resumingFromACheckpointGivesTheSameBytesAsOneRun() throws IOException {
        float[] x = images(150, 5);
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        train(new BaseModelConfig(Architecture.MLP, 3, 32, 1e-3f, 9, "t", 150, "upright"), x, whole, false);
        train(new BaseModelConfig(Architecture.MLP, 1, 32, 1e-3f, 9, "t", 150, "upright"), x, parts, false);
        LossHistory h = train(new BaseModelConfig(Architecture.MLP, 3, 32, 1e-3f, 9, "t", 150, "upright"), x, parts, true);
        assertEquals(3, h.epochs());
        SafeTensors.Contents a = SafeTensors.read(whole.resolve(ModelFiles.WEIGHTS));
        SafeTensors.Contents b = SafeTensors.read(parts.resolve(ModelFiles.WEIGHTS));
        for (String name : a.tensors().keySet()) {
            assertArrayEquals(a.tensors().get(name).toFloats(), b.tensors().get(name).toFloats(), name);
        }
        InputException e = assertThrows(InputException.class, () -> train(
                new BaseModelConfig(Architecture.MLP, 4, 16, 1e-3f, 9, "t", 150, "upright"), x, parts, true));
        assertTrue(e.getMessage().contains("batch = 32"), e.getMessage());
    }

    @Test
    void aNonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint() throws IOException {
        float[] x = images(64, 6);
        train(new BaseModelConfig(Architecture.MLP, 1, 32, 1e-3f, 1, "t", 64, "upright"), x, dir, false);
        byte[] state = Files.readAllBytes(dir.resolve(Checkpoint.FILE));
        byte[] weights = Files.readAllBytes(dir.resolve(ModelFiles.WEIGHTS));
        float[] poisoned = x.clone();
        poisoned[123] = Float.NaN;
        InputException e = assertThrows(InputException.class, () -> train(
                new BaseModelConfig(Architecture.MLP, 2, 32, 1e-3f, 1, "t", 64, "upright"), poisoned, dir, true));
        assertTrue(e.getMessage().startsWith("training diverged: the loss of epoch 2 is NaN"), e.getMessage());
        assertArrayEquals(state, Files.readAllBytes(dir.resolve(Checkpoint.FILE)), "the checkpoint of epoch 1 is kept");
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve(ModelFiles.WEIGHTS)));
    }

    @Test
    void activationsAreTheEncoderOnEachRotatedImage() {
        ShapesDataset d = ShapesDataset.generate(3, 11, catalog);
        CyclicGroup g = CyclicGroup.C4;
        // A second dataset whose images are g^1 of the first: its p = 0 row must equal the first's p = 1 row.
        float[] x = d.imagesAsFloats();
        float[] turned = new float[x.length];
        for (int i = 0; i < d.size(); i++) {
            byte[] r = g.actOnImage(d.image(i), ShapesDataset.SIZE, 1);
            for (int j = 0; j < r.length; j++) {
                turned[i * r.length + j] = (r[j] & 0xff) / 255f;
            }
        }
        try (Autoencoder m = Autoencoder.create(cpu, dev.esae.compute.DType.F32, Architecture.CNN, 1)) {
            float[] a = Activations.extract(cpu, m, x, g, TrainingListener.SILENT);
            float[] b = Activations.extract(cpu, m, turned, g, TrainingListener.SILENT);
            int d0 = Autoencoder.LATENT;
            for (int i = 0; i < 3; i++) {
                for (int p = 0; p < 4; p++) {
                    float[] fromA = Arrays.copyOfRange(a, ((i * 4) + (p + 1) % 4) * d0, ((i * 4) + (p + 1) % 4 + 1) * d0);
                    float[] fromB = Arrays.copyOfRange(b, (i * 4 + p) * d0, (i * 4 + p + 1) * d0);
                    assertArrayEquals(fromA, fromB, "image " + i + ": psi(g^(p+1) x) vs psi(g^p (g x)), p = " + p);
                }
                try (Tensor one = cpu.upload(Arrays.copyOfRange(x, i * 4096, (i + 1) * 4096), 1, 4096)) {
                    assertArrayEquals(cpu.download(m.encode(one)), Arrays.copyOfRange(a, i * 4 * d0, (i * 4 + 1) * d0), 1e-6f);
                }
            }
        }
    }
}
