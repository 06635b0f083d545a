package dev.esae.nn;

import dev.esae.testutil.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every layer: forward against a direct (naive) double-precision formula, analytic gradients against
 * central finite differences in double precision, and the float32 fast path against float64.
 */
class LayerGradientTest {
    private static final Backend cpu = TestBackends.cpu();
    private final long seed = System.nanoTime();

    /** Builds the layer under test in a precision, with weights from a fixed seed. */
    interface Factory {
        Layer build(DType dtype, SplittableRandom rng);
    }

    /** A naive forward in double: (x, weight, bias) to y, all per-batch flat arrays. */
    interface Naive {
        double[] forward(double[] x, int batch, double[] w, double[] b);
    }

    private static double[] random(SplittableRandom rng, int n, double awayFromZero) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble() * 2 - 1;
            v[i] = u + Math.copySign(awayFromZero, u);
        }
        return v;
    }

    private static double maxRel(double[] got, double[] ref) {
        double d = 0;
        double s = 0;
        for (int i = 0; i < ref.length; i++) {
            d = Math.max(d, Math.abs(got[i] - ref[i]));
            s = Math.max(s, Math.abs(ref[i]));
        }
        return d / s;
    }

    private void checkLayer(String what, Factory factory, Naive naive, int batch) {
        SplittableRandom rng = new SplittableRandom(seed);
        long weightSeed = rng.nextLong();
        try (Layer layer = factory.build(DType.F64, new SplittableRandom(weightSeed))) {
            double[] x = random(rng, batch * layer.inputSize(), what.startsWith("ReLU") ? 1e-3 : 0);
            double[] r = random(rng, batch * layer.outputSize(), 0);
            try (Tensor tx = cpu.uploadDoubles(x, batch, layer.inputSize()); Tensor tr = cpu.uploadDoubles(r, batch, layer.outputSize())) {
                // Forward against the direct formula.
                double[] y = cpu.downloadDoubles(layer.forward(tx));
                List<Parameter> ps = layer.parameters();
                double[] w = ps.isEmpty() ? null : cpu.downloadDoubles(ps.get(0).value());
                double[] b = ps.isEmpty() ? null : cpu.downloadDoubles(ps.get(1).value());
                double fwdErr = maxRel(y, naive.forward(x, batch, w, b));
                assertTrue(fwdErr < 1e-12, what + " forward vs direct formula: " + fwdErr + " (seed " + seed + ")");

                // Loss = sum(r * y): its gradient with respect to y is r.
                Tensor dx = layer.backward(tr);
                List<GradCheck.Target> targets = new ArrayList<>();
                targets.add(new GradCheck.Target("input", tx, cpu.downloadDoubles(dx)));
                for (Parameter p : ps) {
                    targets.add(new GradCheck.Target(p.name(), p.value(), cpu.downloadDoubles(p.grad())));
                }
                GradCheck.Result res = GradCheck.check(cpu, targets, () -> dot(cpu.downloadDoubles(layer.forward(tx)), r),
                        java.util.BitSet::new, 30, 1e-4, rng);
                assertTrue(res.error() < 1e-6, what + " gradients vs finite differences: " + res + " (seed " + seed + ")");
                assertEquals(0, res.skipped());

                // The float32 fast path against float64 on the same weights and inputs.
                try (Layer f = factory.build(DType.F32, new SplittableRandom(weightSeed));
                     Tensor fx = cpu.upload(toFloat(x), batch, layer.inputSize());
                     Tensor fr = cpu.upload(toFloat(r), batch, layer.outputSize())) {
                    double[] y64 = cpu.downloadDoubles(layer.forward(tx));
                    layer.backward(tr);
                    double fy = maxRel(toDouble(cpu.download(f.forward(fx))), y64);
                    Tensor fdx = f.backward(fr);
                    assertTrue(fy < 1e-5, what + " float32 forward vs float64: " + fy);
                    double gx = maxRel(toDouble(cpu.download(fdx)), cpu.downloadDoubles(dx));
                    assertTrue(gx < 1e-5, what + " float32 input gradient vs float64: " + gx);
                    for (int i = 0; i < ps.size(); i++) {
                        double gp = maxRel(toDouble(cpu.download(f.parameters().get(i).grad())), cpu.downloadDoubles(ps.get(i).grad()));
                        assertTrue(gp < 1e-5, what + " float32 " + ps.get(i).name() + " gradient vs float64: " + gp);
                    }
                }
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** y[b, o] = bias[o] + sum_i W[o, i] x[b, i]. */
    private static Naive linear(int in, int out) {
        return (x, batch, w, b) -> {
            double[] y = new double[batch * out];
            for (int n = 0; n < batch; n++) {
                for (int o = 0; o < out; o++) {
                    double s = b[o];
                    for (int i = 0; i < in; i++) {
                        s += w[o * in + i] * x[n * in + i];
                    }
                    y[n * out + o] = s;
                }
            }
            return y;
        };
    }

    /** Direct convolution over NHWC input with PyTorch weights [co, ci, k, k]. */
    private static Naive conv(int h, int wd, int ci, int co, int k, int s, int p) {
        int ho = (h + 2 * p - k) / s + 1;
        int wo = (wd + 2 * p - k) / s + 1;
        return (x, batch, w, b) -> {
            double[] y = new double[batch * ho * wo * co];
            for (int n = 0; n < batch; n++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        for (int c = 0; c < co; c++) {
                            double acc = b[c];
                            for (int c2 = 0; c2 < ci; c2++) {
                                for (int ky = 0; ky < k; ky++) {
                                    for (int kx = 0; kx < k; kx++) {
                                        int iy = oy * s - p + ky;
                                        int ix = ox * s - p + kx;
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                            acc += w[((c * ci + c2) * k + ky) * k + kx] * x[((n * h + iy) * wd + ix) * ci + c2];
                                        }
                                    }
                                }
                            }
                            y[((n * ho + oy) * wo + ox) * co + c] = acc;
                        }
                    }
                }
            }
            return y;
        };
    }

    /** Direct transposed convolution: every input pixel scatters W[ci, co, ky, kx] into the output. */
    private static Naive convTranspose(int h, int wd, int ci, int co, int k, int s, int p, int op) {
        int ho = (h - 1) * s - 2 * p + k + op;
        int wo = (wd - 1) * s - 2 * p + k + op;
        return (x, batch, w, b) -> {
            double[] y = new double[batch * ho * wo * co];
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < ho * wo; i++) {
                    for (int c = 0; c < co; c++) {
                        y[(n * ho * wo + i) * co + c] = b[c];
                    }
                }
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < wd; ix++) {
                        for (int c2 = 0; c2 < ci; c2++) {
                            double v = x[((n * h + iy) * wd + ix) * ci + c2];
                            for (int c = 0; c < co; c++) {
                                for (int ky = 0; ky < k; ky++) {
                                    for (int kx = 0; kx < k; kx++) {
                                        int oy = iy * s - p + ky;
                                        int ox = ix * s - p + kx;
                                        if (oy >= 0 && oy < ho && ox >= 0 && ox < wo) {
                                            y[((n * ho + oy) * wo + ox) * co + c] += v * w[((c2 * co + c) * k + ky) * k + kx];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return y;
        };
    }

    @Test
    void linear() {
        checkLayer("Linear(7,5)", (t, rng) -> new Linear(cpu, t, 7, 5, true, rng), linear(7, 5), 3);
        checkLayer("Linear(1,1)", (t, rng) -> new Linear(cpu, t, 1, 1, true, rng), linear(1, 1), 1);
    }

    @Test
    void relu() {
        Function<double[], double[]> f = x -> {
            double[] y = x.clone();
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.max(0, y[i]);
            }
            return y;
        };
        checkLayer("ReLU(37)", (t, rng) -> new ReLU(cpu, t, 37), (x, batch, w, b) -> f.apply(x), 4);
    }

    @Test
    void conv2d() {
        checkLayer("Conv2d(3,4,k3,s2,p1) on 9x7", (t, rng) -> new Conv2d(cpu, t, 9, 7, 3, 4, 3, 2, 1, true, rng), conv(9, 7, 3, 4, 3, 2, 1), 2);
        checkLayer("Conv2d(2,3,k5) on 5x5 (full)", (t, rng) -> new Conv2d(cpu, t, 5, 5, 2, 3, 5, 1, 0, true, rng), conv(5, 5, 2, 3, 5, 1, 0), 3);
        checkLayer("Conv2d(1,2,k3,s1,p2) on 4x4", (t, rng) -> new Conv2d(cpu, t, 4, 4, 1, 2, 3, 1, 2, true, rng), conv(4, 4, 1, 2, 3, 1, 2), 2);
    }

    @Test
    void convTranspose2d() {
        checkLayer("ConvTranspose2d(3,2,k3,s2,p1,op1) from 4x3", (t, rng) -> new ConvTranspose2d(cpu, t, 4, 3, 3, 2, 3, 2, 1, 1, true, rng),
                convTranspose(4, 3, 3, 2, 3, 2, 1, 1), 2);
        checkLayer("ConvTranspose2d(4,2,k5) from 1x1", (t, rng) -> new ConvTranspose2d(cpu, t, 1, 1, 4, 2, 5, 1, 0, 0, true, rng),
                convTranspose(1, 1, 4, 2, 5, 1, 0, 0), 3);
        checkLayer("ConvTranspose2d(2,3,k3,s1,p1) from 5x5", (t, rng) -> new ConvTranspose2d(cpu, t, 5, 5, 2, 3, 3, 1, 1, 0, true, rng),
                convTranspose(5, 5, 2, 3, 3, 1, 1, 0), 2);
    }

    @Test
    void pytorchInitBounds() {
        // Linear(4096, 256): every weight and bias within 1/sqrt(4096); ConvTranspose2d's fan-in is out*k*k.
        try (Linear l = new Linear(cpu, DType.F32, 4096, 256, true, new SplittableRandom(1));
             ConvTranspose2d ct = new ConvTranspose2d(cpu, DType.F32, 16, 16, 32, 16, 3, 2, 1, 1, true, new SplittableRandom(2))) {
            assertBound(cpu.download(l.parameters().get(0).value()), 1 / 64.0);
            assertBound(cpu.download(l.parameters().get(1).value()), 1 / 64.0);
            assertBound(cpu.download(ct.parameters().get(0).value()), 1 / Math.sqrt(16 * 9));
        }
    }

    private static void assertBound(float[] v, double bound) {
        double max = 0;
        for (float f : v) {
            max = Math.max(max, Math.abs(f));
        }
        assertTrue(max <= bound && max > 0.9 * bound, "max |w| " + max + " vs bound " + bound);
    }
}
