package dev.esae.base;

import dev.esae.testutil.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.io.HostArray;
import dev.esae.io.Npy;
import dev.esae.nn.GradCheck;
import dev.esae.nn.Parameter;
import dev.esae.testutil.Python;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both base models: gradients against finite differences, float32 against float64, and against PyTorch. */
class AutoencoderTest {
    private static final Backend cpu = TestBackends.cpu();
    private final long seed = System.nanoTime();

    @TempDir
    Path dir;

    private static double[] images(SplittableRandom rng, int n) {
        double[] x = new double[n * Autoencoder.IMAGE];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.2 ? rng.nextDouble() : 0;
        }
        return x;
    }

    private static double mse(Backend b, Autoencoder m, Tensor x, Tensor grad, Tensor loss) {
        b.mseLoss(m.forward(x), x, grad, loss);
        return b.downloadDoubles(loss)[0];
    }

    /**
     * Norm-wise over the whole model: the largest |analytic - finite difference| over sampled
     * coordinates of every parameter, divided by the model's largest gradient. (Per-tensor errors
     * are checked layer by layer in LayerGradientTest; here some tensors' gradients are ~1e-7,
     * where the loss's own roundoff is what a per-tensor ratio would measure.)
     */
    @ParameterizedTest
    @EnumSource(Architecture.class)
    void gradientsMatchFiniteDifferencesInDoublePrecision(Architecture arch) {
        SplittableRandom rng = new SplittableRandom(seed);
        int batch = 2;
        double[] x = images(rng, batch);
        try (Autoencoder m = Autoencoder.create(cpu, DType.F64, arch, seed);
             Tensor tx = cpu.uploadDoubles(x, batch, Autoencoder.IMAGE);
             Tensor grad = cpu.zeros(DType.F64, batch, Autoencoder.IMAGE); Tensor loss = cpu.zeros(DType.F64, 1)) {
            mse(cpu, m, tx, grad, loss);
            m.backward(grad);
            List<GradCheck.Target> targets = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
                targets.add(new GradCheck.Target(e.getKey(), e.getValue().value(), cpu.downloadDoubles(e.getValue().grad())));
            }
            GradCheck.Result r = GradCheck.check(cpu, targets, () -> mse(cpu, m, tx, grad, loss),
                    () -> GradCheck.reluPattern(cpu, m.encoder(), m.decoder()), 6, 1e-5, 1.0, rng);
            System.out.println("gradient check " + arch + ": " + r);
            assertTrue(r.error() < 1e-6, arch + ": " + r + " (seed " + seed + ")");
            assertTrue(r.checked() >= targets.size() * 4, arch + ": too many kinks crossed: " + r);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void float32MatchesFloat64(Architecture arch) {
        SplittableRandom rng = new SplittableRandom(seed);
        int batch = 3;
        double[] x = images(rng, batch);
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
        }
        try (Autoencoder m64 = Autoencoder.create(cpu, DType.F64, arch, seed); Autoencoder m32 = Autoencoder.create(cpu, DType.F32, arch, seed);
             Tensor x64 = cpu.uploadDoubles(x, batch, Autoencoder.IMAGE); Tensor x32 = cpu.upload(xf, batch, Autoencoder.IMAGE);
             Tensor g64 = cpu.zeros(DType.F64, batch, Autoencoder.IMAGE); Tensor g32 = cpu.zeros(DType.F32, batch, Autoencoder.IMAGE);
             Tensor l64 = cpu.zeros(DType.F64, 1); Tensor l32 = cpu.zeros(DType.F32, 1)) {
            double loss64 = mse(cpu, m64, x64, g64, l64);
            cpu.mseLoss(m32.forward(x32), x32, g32, l32);
            assertEquals(loss64, cpu.download(l32)[0], loss64 * 1e-5);
            m64.backward(g64);
            m32.backward(g32);
            for (String name : m64.namedParameters().keySet()) {
                double[] a = cpu.downloadDoubles(m64.namedParameters().get(name).grad());
                float[] b = cpu.download(m32.namedParameters().get(name).grad());
                double diff = 0;
                double scale = 0;
                for (int i = 0; i < a.length; i++) {
                    diff = Math.max(diff, Math.abs(a[i] - b[i]));
                    scale = Math.max(scale, Math.abs(a[i]));
                }
                assertTrue(diff / scale < 1e-4, arch + " " + name + ": float32 gradient off by " + diff / scale);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void pytorchRunsOurWeightsToTheSameOutputs(Architecture arch) throws IOException {
        Python.assumeTorch();
        SplittableRandom rng = new SplittableRandom(seed);
        int batch = 2;
        double[] x = images(rng, batch);
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
        }
        try (Autoencoder m = Autoencoder.create(cpu, DType.F32, arch, seed); Tensor tx = cpu.upload(xf, batch, Autoencoder.IMAGE)) {
            ModelFiles.save(dir, cpu, m.namedParameters(), arch,
                    new BaseModelConfig(arch, 1, 64, 1e-3f, seed, "test", batch, "upright").toInfo(0, null, null));
            Npy.write(dir.resolve("x.npy"), HostArray.ofFloats(xf, batch, 64, 64));
            Npy.write(dir.resolve("psi.npy"), HostArray.ofFloats(cpu.download(m.encode(tx)), batch, 256));
            Npy.write(dir.resolve("recon.npy"), HostArray.ofFloats(cpu.download(m.forward(tx)), batch, 64, 64));
        }
        // The modules of ../shared/bench/torch_peer.py, loaded with esae's state_dict.
        String out = Python.checkWith(Python.TORCH_PYTHON, String.join("\n",
                "import json, struct, numpy as np, torch, torch.nn as nn",
                "d = '" + dir + "'",
                "raw = open(d + '/model.safetensors', 'rb').read(); n = struct.unpack('<Q', raw[:8])[0]",
                "h = json.loads(raw[8:8 + n]); data = raw[8 + n:]",
                "sd = {k: torch.from_numpy(np.frombuffer(data[v['data_offsets'][0]:v['data_offsets'][1]], dtype='<f4').reshape(v['shape']).copy())",
                "      for k, v in h.items() if k != '__metadata__'}",
                arch == Architecture.MLP
                        ? "enc = nn.Sequential(nn.Linear(4096, 256), nn.ReLU(), nn.Linear(256, 256)); dec = nn.Sequential(nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 4096))"
                        : "enc = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 256, 16)); "
                          + "dec = nn.Sequential(nn.ReLU(), nn.ConvTranspose2d(256, 32, 16), nn.ReLU(), nn.ConvTranspose2d(32, 16, 3, 2, 1, 1), nn.ReLU(), nn.ConvTranspose2d(16, 1, 3, 2, 1, 1))",
                "model = nn.ModuleDict({'encoder': enc, 'decoder': dec}); model.load_state_dict(sd, strict=True)",
                "x = torch.from_numpy(np.load(d + '/x.npy'))",
                "inp = x.reshape(-1, 4096) if " + (arch == Architecture.MLP ? "True" : "False") + " else x.reshape(-1, 1, 64, 64)",
                "with torch.no_grad():",
                "    psi = enc(inp).reshape(-1, 256).numpy(); rec = dec(enc(inp)).reshape(-1, 64, 64).numpy()",
                "e_psi = np.abs(psi - np.load(d + '/psi.npy')).max() / np.abs(psi).max()",
                "e_rec = np.abs(rec - np.load(d + '/recon.npy')).max() / np.abs(rec).max()",
                "print(f'{e_psi:.3e} {e_rec:.3e}')"));
        String[] errs = out.strip().split(" ");
        assertTrue(Double.parseDouble(errs[0]) < 1e-5, arch + " psi differs from PyTorch's by " + errs[0]);
        assertTrue(Double.parseDouble(errs[1]) < 1e-5, arch + " reconstruction differs from PyTorch's by " + errs[1]);
    }
}
