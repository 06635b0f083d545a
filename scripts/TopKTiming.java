// Times the CPU backend's TopK on 256 Gaussian rows of 2048 (k = 32), the shape of one topk SAE step, on 1 thread.
//   java --add-modules jdk.incubator.vector -cp target/esae.jar scripts/TopKTiming.java
import dev.esae.compute.Backend;
import dev.esae.compute.Backends;
import dev.esae.compute.DType;
import dev.esae.compute.DeviceChoice;
import dev.esae.compute.Tensor;

public class TopKTiming {
    public static void main(String[] args) {
        Backend b = Backends.select(DeviceChoice.CPU, 1).backend();
        int rows = 256, cols = 2048, k = 32;
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        try (Tensor t = b.upload(x, rows, cols); Tensor v = b.zeros(DType.F32, rows, k); Tensor ix = b.zeros(DType.I32, rows, k)) {
            for (int rep = 0; rep < 5; rep++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    b.topk(t, k, v, ix);
                }
                System.out.printf("topk 256x2048 k=32: %.3f ms per call%n", (System.nanoTime() - t0) / 1e6 / 200);
            }
        }
    }
}
