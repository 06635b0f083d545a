// Times each CPU-backend operation of one topk SAE training step alone (256 rows, L = 2048, d = 256,
// K = 32, 1 thread): best of 5 rounds of 100 calls after 50 warm-up calls. The step's own mix is
// what a JFR profile of `esae --threads 1 bench --stage topk` shows; this says what each op costs.
//   java --add-modules jdk.incubator.vector -cp target/esae.jar scripts/SaeStepProfile.java
import dev.esae.compute.Backend;
import dev.esae.compute.Backends;
import dev.esae.compute.DType;
import dev.esae.compute.DeviceChoice;
import dev.esae.compute.Tensor;

public class SaeStepProfile {
    interface Op {
        void run();
    }

    static void time(String name, Op op) {
        for (int i = 0; i < 50; i++) {
            op.run();
        }
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                op.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e6 / 100);
        }
        System.out.printf("%-48s %.3f ms%n", name, best);
    }

    public static void main(String[] args) {
        Backend b = Backends.select(DeviceChoice.CPU, 1).backend();
        int rows = 256, d = 256, latents = 2048, k = 32;
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        float[] x = new float[rows * d];
        float[] w = new float[latents * d];
        float[] p = new float[rows * latents];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.06f;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
        }
        try (Tensor tx = b.upload(x, rows, d); Tensor tw = b.upload(w, latents, d); Tensor tw2 = b.upload(w, latents, d);
             Tensor tp = b.upload(p, rows, latents); Tensor bias = b.zeros(DType.F32, latents);
             Tensor g = b.zeros(DType.F32, latents, d); Tensor ge = b.zeros(DType.F32, latents, d);
             Tensor m = b.zeros(DType.F32, latents, d); Tensor v = b.zeros(DType.F32, latents, d);
             Tensor vals = b.zeros(DType.F32, rows, k); Tensor idx = b.zeros(DType.I32, rows, k);
             Tensor dv = b.zeros(DType.F32, rows, k); Tensor out = b.zeros(DType.F32, rows, d);
             Tensor pre = b.zeros(DType.F32, rows, latents)) {
            b.topk(tp, k, vals, idx);
            time("encoder gemm 256x256 . (2048x256)^T", () -> b.gemm(false, true, 1f, tx, tw, 0f, pre));
            time("addRowVector 256x2048", () -> b.addRowVector(pre, bias));
            time("topk 256x2048, k 32", () -> b.topk(tp, k, vals, idx));
            time("sparseDecode", () -> b.sparseDecode(vals, idx, tw, out));
            time("sparseBackward", () -> b.sparseBackward(vals, idx, tx, tw, tx, false, g, ge, dv));
            time("the four calls sparseBackward stands for", () -> {
                b.fill(g, 0f);
                b.fill(ge, 0f);
                b.sparseOuterAccumulate(vals, idx, tx, g);
                b.sparseDots(tx, idx, tw, dv);
                b.reluBackward(dv, vals, dv);
                b.sparseOuterAccumulate(dv, idx, tx, ge);
            });
            time("adamStep 2048x256", () -> b.adamStep(tw2, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 5));
            time("projectOutRows 2048x256", () -> b.projectOutRows(g, tw));
            time("normalizeRows 2048x256", () -> b.normalizeRows(tw2));
        }
    }
}
