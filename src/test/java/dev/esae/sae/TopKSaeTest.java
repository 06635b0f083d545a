package dev.esae.sae;

import dev.esae.testutil.TestBackends;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.nn.Parameter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sparse-aware SAE against a dense naive version in double precision, the way EleutherAI's
 * sparsify tests its fused encoder: reconstruction, selected indices, latent values and every
 * gradient, on fresh random inputs.
 */
class TopKSaeTest {
    private static final Backend cpu = TestBackends.cpu();
    private final long seed = System.nanoTime();

    /** The dense naive SAE in double: parameters by name, and the loss with all its gradients. */
    static final class Dense {
        final int d;
        final int l;
        final int k;
        final int hid;
        final Map<String, double[]> p = new LinkedHashMap<>();
        int auxK;
        double auxCoef;
        boolean[] dead;
        /** The AuxK residual held fixed (as the detached residual is); null: computed from x̂. */
        double[] frozenResidual;
        double[] residual;
        int[] auxSelected;
        double[] xhat;
        int[] selected;
        double[] zSelected;

        Dense(int d, int l, int k, int hid) {
            this.d = d;
            this.l = l;
            this.k = k;
            this.hid = hid;
        }

        int h() {
            return hid == 0 ? d : hid;
        }

        /** mean((x̂ − t)²) of a batch; fills {@code grads} (by parameter name) when not null. */
        double loss(double[] a, double[] t, int b, Map<String, double[]> grads) {
            double[] bDec = p.get("b_dec");
            double[] c = new double[b * d];
            for (int i = 0; i < b * d; i++) {
                c[i] = a[i] - bDec[i % d];
            }
            double[] hvec = c;
            double[] pre1 = null;
            if (hid > 0) {
                double[] w1 = p.get("encoder.0.weight");
                double[] b1 = p.get("encoder.0.bias");
                pre1 = new double[b * hid];
                hvec = new double[b * hid];
                for (int r = 0; r < b; r++) {
                    for (int o = 0; o < hid; o++) {
                        double s = b1[o];
                        for (int j = 0; j < d; j++) {
                            s += w1[o * d + j] * c[r * d + j];
                        }
                        pre1[r * hid + o] = s;
                        hvec[r * hid + o] = Math.max(0, s);
                    }
                }
            }
            double[] wEnc = p.get("W_enc");
            double[] bEnc = p.get("b_enc");
            double[] wDec = p.get("W_dec");
            int hw = h();
            double[] pre = new double[b * l];
            for (int r = 0; r < b; r++) {
                for (int i = 0; i < l; i++) {
                    double s = bEnc[i];
                    for (int j = 0; j < hw; j++) {
                        s += wEnc[i * hw + j] * hvec[r * hw + j];
                    }
                    pre[r * l + i] = s;
                }
            }
            // TopK by sorting each whole row; negative kept values clamp to 0.
            double[] z = new double[b * l];
            selected = new int[b * k];
            zSelected = new double[b * k];
            for (int r = 0; r < b; r++) {
                final int row = r;
                Integer[] order = new Integer[l];
                for (int i = 0; i < l; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (x, y) -> Double.compare(pre[row * l + y], pre[row * l + x]));
                for (int q = 0; q < k; q++) {
                    int i = order[q];
                    selected[r * k + q] = i;
                    z[r * l + i] = Math.max(0, pre[r * l + i]);
                    zSelected[r * k + q] = z[r * l + i];
                }
            }
            xhat = new double[b * d];
            double loss = 0;
            double[] dx = new double[b * d];
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < d; j++) {
                    double s = bDec[j];
                    for (int i = 0; i < l; i++) {
                        s += z[r * l + i] * wDec[i * d + j];
                    }
                    xhat[r * d + j] = s;
                    double diff = s - t[r * d + j];
                    loss += diff * diff;
                    dx[r * d + j] = 2 * diff / (b * d);
                }
            }
            loss /= b * d;
            // AuxK: dead latents only, the k_aux largest pre-activations, decode the residual.
            double[] zAux = new double[b * l];
            double[] dxAux = new double[b * d];
            if (auxK > 0) {
                residual = new double[b * d];
                for (int i = 0; i < b * d; i++) {
                    residual[i] = frozenResidual != null ? frozenResidual[i] : t[i] - xhat[i];
                }
                auxSelected = new int[b * auxK];
                for (int r = 0; r < b; r++) {
                    final int row = r;
                    Integer[] order = new Integer[l];
                    for (int i = 0; i < l; i++) {
                        order[i] = i;
                    }
                    java.util.function.IntToDoubleFunction masked = i -> dead[i] ? pre[row * l + i] : Double.NEGATIVE_INFINITY;
                    Arrays.sort(order, (x, y) -> {
                        int cmp = Double.compare(masked.applyAsDouble(y), masked.applyAsDouble(x));
                        return cmp != 0 ? cmp : Integer.compare(x, y);
                    });
                    for (int q = 0; q < auxK; q++) {
                        int i = order[q];
                        auxSelected[r * auxK + q] = i;
                        zAux[r * l + i] = Math.max(0, masked.applyAsDouble(i));
                    }
                }
                double aux = 0;
                for (int r = 0; r < b; r++) {
                    for (int j = 0; j < d; j++) {
                        double s2 = 0;
                        for (int i = 0; i < l; i++) {
                            s2 += zAux[r * l + i] * wDec[i * d + j];
                        }
                        double diff = s2 - residual[r * d + j];
                        aux += diff * diff;
                        dxAux[r * d + j] = 2 * auxCoef * diff / (b * d);
                    }
                }
                loss += auxCoef * aux / (b * d);
            }
            if (grads == null) {
                return loss;
            }
            double[] gDec = new double[l * d];
            double[] gBDec = new double[d];
            double[] dz = new double[b * l];
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < d; j++) {
                    gBDec[j] += dx[r * d + j];
                }
                for (int i = 0; i < l; i++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        gDec[i * d + j] += z[r * l + i] * dx[r * d + j];
                        dot += dx[r * d + j] * wDec[i * d + j];
                    }
                    dz[r * l + i] = z[r * l + i] > 0 ? dot : 0;
                }
            }
            if (auxK > 0) {
                for (int r = 0; r < b; r++) {
                    for (int i = 0; i < l; i++) {
                        if (zAux[r * l + i] > 0) {
                            double dot = 0;
                            for (int j = 0; j < d; j++) {
                                gDec[i * d + j] += zAux[r * l + i] * dxAux[r * d + j];
                                dot += dxAux[r * d + j] * wDec[i * d + j];
                            }
                            dz[r * l + i] += dot;
                        }
                    }
                }
            }
            double[] gEnc = new double[l * hw];
            double[] gBEnc = new double[l];
            double[] dh = new double[b * hw];
            for (int r = 0; r < b; r++) {
                for (int i = 0; i < l; i++) {
                    double g = dz[r * l + i];
                    gBEnc[i] += g;
                    for (int j = 0; j < hw; j++) {
                        gEnc[i * hw + j] += g * hvec[r * hw + j];
                        dh[r * hw + j] += g * wEnc[i * hw + j];
                    }
                }
            }
            double[] dc = dh;
            if (hid > 0) {
                double[] w1 = p.get("encoder.0.weight");
                double[] g1 = new double[hid * d];
                double[] gb1 = new double[hid];
                dc = new double[b * d];
                for (int r = 0; r < b; r++) {
                    for (int o = 0; o < hid; o++) {
                        double g = pre1[r * hid + o] > 0 ? dh[r * hid + o] : 0;
                        gb1[o] += g;
                        for (int j = 0; j < d; j++) {
                            g1[o * d + j] += g * c[r * d + j];
                            dc[r * d + j] += g * w1[o * d + j];
                        }
                    }
                }
                grads.put("encoder.0.weight", g1);
                grads.put("encoder.0.bias", gb1);
            }
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < d; j++) {
                    gBDec[j] -= dc[r * d + j];
                }
            }
            grads.put("W_enc", gEnc);
            grads.put("b_enc", gBEnc);
            grads.put("W_dec", gDec);
            grads.put("b_dec", gBDec);
            return loss;
        }
    }

    private static double maxRel(float[] got, double[] ref) {
        double diff = 0;
        double scale = 1e-12;
        for (int i = 0; i < ref.length; i++) {
            diff = Math.max(diff, Math.abs(got[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return diff / scale;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16})
    void sparsePathsMatchADenseNaiveSaeOnValuesIndicesAndEveryGradient(int hidden) {
        compareWithDense(hidden, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16})
    void theAuxKBranchMatchesTheDenseNaiveSaeToo(int hidden) {
        compareWithDense(hidden, 6);
    }

    private void compareWithDense(int hidden, int auxK) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 12;
        int l = 40;
        int k = 5;
        int b = 9;
        try (TopKSae sae = new TopKSae(cpu, d, l, k, hidden, seed)) {
            Dense dense = new Dense(d, l, k, hidden);
            // AuxK's counters: dead already, crossing the threshold with this batch's b rows, one
            // row short of it, or fresh; the SAE counts the batch on the backend before it selects.
            int deadAfter = 1000;
            int[] counts = new int[l];
            boolean[] dead = new boolean[l];
            for (int i = 0; i < l; i++) {
                counts[i] = new int[] {deadAfter, deadAfter - b, deadAfter - b - 1, 0}[rng.nextInt(4)];
                dead[i] = counts[i] + b >= deadAfter;
            }
            if (auxK > 0) {
                sae.enableAuxK(auxK, 0.5f, deadAfter);
                sae.setRowsSinceFired(counts);
                dense.auxK = auxK;
                dense.auxCoef = 0.5;
                dense.dead = dead;
            }
            // Random parameters (biases too), copied into both implementations.
            for (Map.Entry<String, Parameter> e : sae.namedParameters().entrySet()) {
                Parameter p = e.getValue();
                float[] v = new float[(int) p.value().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rng.nextGaussian() * 0.5);
                }
                try (Tensor t = cpu.upload(v, p.shape())) {
                    cpu.copy(t, p.value());
                }
                double[] dv = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    dv[i] = v[i];
                }
                dense.p.put(e.getKey(), dv);
            }
            float[] a = new float[b * d];
            float[] t = new float[b * d];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextGaussian();
                t[i] = (float) rng.nextGaussian();
            }
            double[] ad = new double[a.length];
            double[] td = new double[t.length];
            for (int i = 0; i < a.length; i++) {
                ad[i] = a[i];
                td[i] = t[i];
            }
            if (auxK > 0) {
                // A latent this batch selects with a positive value fired, so it is not dead for AuxK.
                dense.loss(ad, td, b, null);
                for (int i = 0; i < dense.selected.length; i++) {
                    if (dense.zSelected[i] > 0) {
                        dead[dense.selected[i]] = false;
                    }
                }
            }
            Map<String, double[]> grads = new LinkedHashMap<>();
            dense.loss(ad, td, b, grads);
            dense.frozenResidual = dense.residual;

            // The dense reference's own gradients against central differences (where TopK's choice holds).
            for (String name : grads.keySet()) {
                double[] w = dense.p.get(name);
                for (int c = 0; c < 3; c++) {
                    int i = rng.nextInt(w.length);
                    double h = 1e-6;
                    double w0 = w[i];
                    w[i] = w0 + h;
                    double up = dense.loss(ad, td, b, null);
                    int[] selUp = dense.selected.clone();
                    w[i] = w0 - h;
                    double down = dense.loss(ad, td, b, null);
                    int[] selDown = dense.selected.clone();
                    w[i] = w0;
                    dense.loss(ad, td, b, null);
                    if (Arrays.equals(selUp, dense.selected) && Arrays.equals(selDown, dense.selected)) {
                        double fd = (up - down) / (2 * h);
                        double scale = Arrays.stream(grads.get(name)).map(Math::abs).max().orElse(1);
                        assertTrue(Math.abs(fd - grads.get(name)[i]) <= 1e-6 * Math.max(scale, 1e-3),
                                "dense " + name + "[" + i + "]: fd " + fd + " vs " + grads.get(name)[i] + " (seed " + seed + ")");
                    }
                }
            }
            dense.loss(ad, td, b, grads);
            dense.frozenResidual = null;
            dense.loss(ad, td, b, grads);

            try (Tensor ta = cpu.upload(a, b, d); Tensor tt = cpu.upload(t, b, d); Tensor g = cpu.zeros(DType.F32, b, d);
                 Tensor loss = cpu.zeros(DType.F32, 1)) {
                Tensor xhat = sae.forward(ta);
                assertTrue(maxRel(cpu.download(xhat), dense.xhat) < 1e-5, "reconstruction (seed " + seed + ")");
                assertArrayEquals(dense.selected, cpu.downloadInts(sae.latentIndices()), "selected latents (seed " + seed + ")");
                assertTrue(maxRel(cpu.download(sae.latentValues()), dense.zSelected) < 1e-5, "latent values (seed " + seed + ")");
                cpu.mseLoss(xhat, tt, g, loss);
                try (Tensor lossSum = cpu.zeros(DType.F32, 1)) {
                    sae.backward(g, tt, lossSum);
                    if (auxK > 0) {
                        // The reported auxiliary loss is the dense one's auxiliary part.
                        double mainLoss = cpu.download(loss)[0];
                        double total = dense.loss(ad, td, b, null);
                        assertTrue(Math.abs(cpu.download(lossSum)[0] - (total - mainLoss)) < 1e-4 * Math.max(1, total),
                                "aux loss " + cpu.download(lossSum)[0] + " vs " + (total - mainLoss));
                        assertArrayEquals(dense.auxSelected, cpu.downloadInts(sae.auxIndices()), "aux selection (seed " + seed + ")");
                    }
                }
                for (Map.Entry<String, Parameter> e : sae.namedParameters().entrySet()) {
                    double err = maxRel(cpu.download(e.getValue().grad()), grads.get(e.getKey()));
                    assertTrue(err < 1e-4, "gradient of " + e.getKey() + ": relative error " + err + " (seed " + seed + ")");
                }
            }
        }
    }
}
