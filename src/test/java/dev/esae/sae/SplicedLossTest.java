package dev.esae.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.base.Architecture;
import dev.esae.base.Autoencoder;
import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.data.CyclicGroup;
import dev.esae.data.ShapeCatalog;
import dev.esae.data.ShapesDataset;
import dev.esae.equivariance.ActivationSet;
import dev.esae.testutil.TestBackends;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import org.junit.jupiter.api.Test;

/** The spliced loss against the same composition done by hand, one image and one rotation at a time. */
class SplicedLossTest {
    private static final Backend cpu = TestBackends.cpu();

    @Test
    void splicedLossIsTheDecoderOnTheSaeReconstructionScoredAgainstEachRotatedImage() {
        ShapesDataset data = ShapesDataset.generate(5, 3, ShapeCatalog.draw());
        float[] images = data.imagesAsFloats();
        CyclicGroup g = CyclicGroup.C4;
        int d = Autoencoder.LATENT;
        float[] m = new float[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + (i + 1) % d] = 1f;
        }
        try (Autoencoder model = Autoencoder.create(cpu, DType.F32, Architecture.MLP, 1)) {
            float[] acts = dev.esae.base.Activations.extract(cpu, model, images, g, TrainingListener.SILENT);
            ActivationSet set = new ActivationSet(acts, 5, 4, d);
            try (TopKSae sae = SaeTrainer.train(cpu, set, new SaeTrainer.Config(64, 4, 0, false, 1, 8, 1e-3f, 1),
                    TrainingListener.SILENT, new LossHistory(5))) {
                for (SaeKind kind : new SaeKind[] {SaeKind.TOPK, SaeKind.EQUIVARIANT}) {
                    SplicedLoss.Result r = SplicedLoss.evaluate(cpu, model, sae, kind, m, images, g);
                    double spliced = 0;
                    double base = 0;
                    double l1 = 0;
                    for (int i = 0; i < 5; i++) {
                        for (int p = 0; p < 4; p++) {
                            byte[] rot = g.actOnImage(data.image(i), 64, p);
                            float[] x = new float[4096];
                            for (int j = 0; j < 4096; j++) {
                                x[j] = (rot[j] & 0xff) / 255f;
                            }
                            try (Tensor tx = cpu.upload(x, 1, 4096); Tensor psi = cpu.zeros(DType.F32, 1, d)) {
                                cpu.copy(model.encode(tx), psi);
                                base += mse(cpu.download(model.decode(psi)), x);
                                float[] rec = cpu.download(sae.forward(psi));
                                for (float z : cpu.download(sae.latentValues())) {
                                    l1 += z;
                                }
                                if (kind == SaeKind.EQUIVARIANT) {
                                    for (int q = 0; q < p; q++) {
                                        float[] next = new float[d];
                                        for (int a = 0; a < d; a++) {
                                            for (int b = 0; b < d; b++) {
                                                next[a] += m[a * d + b] * rec[b];
                                            }
                                        }
                                        rec = next;
                                    }
                                }
                                try (Tensor tr = cpu.upload(rec, 1, d)) {
                                    spliced += mse(cpu.download(model.decode(tr)), x);
                                }
                            }
                        }
                    }
                    assertEquals(base / 20, r.baseMse(), 1e-6, kind + " base");
                    assertEquals(spliced / 20, r.splicedMse(), 1e-6, kind + " spliced");
                    assertTrue(r.splicedMse() > 0);
                    assertEquals(l1 / 20, r.l1(), 1e-6 * (1 + l1), kind + " l1");
                }
            }
        }
    }

    private static double mse(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s / a.length;
    }
}
