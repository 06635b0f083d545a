package dev.esae.compute.check;

import dev.esae.compute.Backend;
import dev.esae.compute.ConvGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs every backend operation on fresh random inputs of awkward sizes (odd, non-square, K at its
 * limits, ties) and compares with {@link ReferenceOps}. {@code esae selftest} prints the result.
 *
 * <p>This class holds the list of cases and the error measures; the checks themselves are written
 * by family in {@link DenseChecks}, {@link RowChecks} and {@link ImageChecks}, all drawing from one
 * {@link CheckRecorder}.
 */
public final class SelfTest {
    /** Norm-wise relative error allowed for float32 arithmetic against a double reference. */
    public static final double FLOAT_TOLERANCE = 1e-5;

    private SelfTest() {}

    /** All checks on {@code backend}, with inputs drawn from {@code seed}. */
    public static List<OpCheck> run(Backend backend, long seed) {
        CheckRecorder rec = new CheckRecorder(backend, seed);
        DenseChecks dense = new DenseChecks(rec);
        RowChecks rows = new RowChecks(rec);
        ImageChecks images = new ImageChecks(rec);
        // The order fixes which random inputs each check draws: keep it, and add new cases last.
        dense.memory();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                dense.gemm(ta, tb, 67, 131, 45, 0.7f, 0.3f);
            }
        }
        dense.gemm(false, true, 1, 257, 1, 1f, 0f);
        dense.gemm(true, false, 64, 33, 513, -1.5f, 1f);
        dense.gemmBetaZeroIgnoresNaN();
        dense.gemmBatched(5, 1, 37, 29, 37, true);   // all powers M^p applied to one batch: A shared
        dense.gemmBatched(3, 3, 19, 33, 65, false);
        dense.addRowVector(77, 53);
        // Narrow rows, as a convolution's channels (the CPU tiles the bias across a vector for these).
        dense.addRowVector(77, 1);
        dense.addRowVector(45, 16);
        dense.axpy(10_007, -0.75f);
        dense.relu(3, 333);
        rows.sumRows(129, 67, 0f);
        rows.sumRows(1000, 3, 0.5f);
        rows.sumSquares(100_003);
        rows.topk(37, 1000, 1, false);
        rows.topk(37, 1000, 32, true);
        rows.topk(9, 2048, 128, false);
        rows.topk(33, 2048, 32, false);  // wide enough for the SIMD group bound
        rows.topk(6, 8192, 16, true);
        rows.topk(5, 65_536, 128, true);
        rows.topk(4, 7, 7, true);
        for (int turns = -1; turns <= 4; turns++) {
            images.rot90(3, 17, turns);
        }
        images.rot90(2, 64, 1);
        // The CNN autoencoder's geometries, then awkward ones (odd sizes, rectangular kernel).
        images.conv(3, new ConvGeometry(1, 64, 64, 3, 3, 2, 1));
        images.conv(2, new ConvGeometry(16, 32, 32, 3, 3, 2, 1));
        images.conv(2, new ConvGeometry(32, 16, 16, 16, 16, 1, 0));
        images.conv(3, new ConvGeometry(3, 7, 9, 3, 2, 2, 1));
        images.conv(1, new ConvGeometry(5, 5, 5, 5, 5, 3, 2));
        dense.mse(7, 4096);
        dense.adam(1003, 1);
        dense.adam(257, 1000);
        rows.gatherRows(50, 37, 19);
        // Sparse decoder paths: an SAE's shapes, then awkward ones (K = L, K near the limits, odd D).
        rows.sparse(64 * 4, 2048, 256, 32, false);
        rows.sparse(7, 301, 19, 128, true);
        rows.sparse(5, 9, 3, 9, false);
        rows.sparse(1, 65_536, 8, 1, false);
        rows.rowNorms(2048, 256);
        rows.rowNorms(13, 7);
        rows.deadLatents();
        return rec.checks();
    }

    /** {@code n} floats drawn uniformly from [-1, 1). */
    public static float[] uniform(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    /**
     * Runs the checks on {@code device} and on {@code reference} with the same inputs and returns,
     * per check, {@code device}'s output against {@code reference}'s (the same error measure and
     * tolerance as against the plain reference). {@code esae selftest} on a GPU compares with the CPU
     * backend this way.
     */
    public static List<OpCheck> compare(List<OpCheck> device, List<OpCheck> reference) {
        if (device.size() != reference.size()) {
            throw new IllegalArgumentException(device.size() + " checks against " + reference.size());
        }
        List<OpCheck> out = new ArrayList<>();
        for (int i = 0; i < device.size(); i++) {
            OpCheck d = device.get(i);
            OpCheck r = reference.get(i);
            if (!d.op().equals(r.op()) || !d.case_().equals(r.case_())) {
                throw new IllegalArgumentException("check " + i + " differs: " + d.op() + " vs " + r.op());
            }
            double error;
            if (d.tolerance() == 0) {
                error = mismatch(toFloat(d.output()), toFloat(r.output()));
            } else {
                error = relativeError(toFloat(d.output()), r.output());
            }
            out.add(new OpCheck(d.op(), d.case_(), error, d.tolerance(), d.output()));
        }
        return out;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * The largest absolute difference divided by the largest reference magnitude (a NaN counts as
     * an infinite difference).
     */
    public static double relativeError(float[] got, double[] ref) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs(got[i] - ref[i]);
            maxDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxDiff, d);
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    /** 0 if equal element for element, else the fraction of elements that differ (at least 1e-300). */
    static double mismatch(float[] got, float[] ref) {
        int bad = 0;
        for (int i = 0; i < ref.length; i++) {
            if (Float.floatToIntBits(got[i]) != Float.floatToIntBits(ref[i])) {
                bad++;
            }
        }
        return bad == 0 ? 0 : Math.max(1e-300, bad / (double) ref.length);
    }

    static double mismatch(int[] got, int[] ref) {
        int bad = 0;
        for (int i = 0; i < ref.length; i++) {
            if (got[i] != ref[i]) {
                bad++;
            }
        }
        return bad == 0 ? 0 : Math.max(1e-300, bad / (double) ref.length);
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
