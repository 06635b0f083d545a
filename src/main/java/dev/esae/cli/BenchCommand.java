package dev.esae.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.esae.BuildInfo;
import dev.esae.InputException;
import dev.esae.base.Architecture;
import dev.esae.base.Autoencoder;
import dev.esae.base.BaseModelConfig;
import dev.esae.base.BaseTrainer;
import dev.esae.compute.Backend;
import dev.esae.equivariance.ActivationSet;
import dev.esae.sae.SaeKind;
import dev.esae.sae.SaeTrainer;
import dev.esae.equivariance.TransformConfig;
import dev.esae.equivariance.TransformFit;
import dev.esae.io.Json;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code esae bench}: training throughput of one stage on synthetic inputs, in the units of the
 * PyTorch peer ({@code ../shared/bench/torch_peer.py}): the median epoch time, and canonical images
 * per second.
 */
@Command(name = "bench",
        description = {"Measure the training throughput of one stage.",
            "On synthetic inputs, as the PyTorch peer makes them; prints one JSON line with the median epoch time,",
            "images_per_s, the GEMM GFLOP/s achieved, and the GEMM bound: the time the step's dense products alone",
            "take at this machine's SGEMM rate (measured first, in the same run), and the epoch's multiple of it."})
final class BenchCommand extends Subcommand {
    /** What {@code --stage} times: a base model, the fit of M, an SAE kind, or the backend's SGEMM. */
    enum Stage {
        MLP, CNN, FITM, TOPK, WIDE, TWOLAYER, INVARIANT, SGEMM;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Option(names = "--stage", paramLabel = "STAGE", required = true,
            description = {"mlp, cnn, fitm, topk, wide, twolayer or invariant;",
                "or sgemm: the backend's dense SGEMM rate on 1024x1024 matrices, the FLOP limit the stages are compared with."})
    Stage stage;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (the same as the global --threads). Default: the global setting.")
    Integer threads;

    @Option(names = "--n", paramLabel = "N", defaultValue = "10000", description = "Images per epoch. Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveInt.class)
    int n;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64", description = "Batch size. Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveInt.class)
    int batch;

    @Option(names = "--k", paramLabel = "K", defaultValue = "32", description = "SAE stages: latents kept per row. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "3", description = "Epochs timed (the median is reported). Default: ${DEFAULT-VALUE}.",
            converter = Options.PositiveInt.class)
    int epochs;

    @Override
    public Integer call() throws IOException {
        Architecture arch = Architecture.fromId(stage.id());
        SaeKind saeKind = SaeKind.fromId(stage.id());
        if (threads != null) {
            root.threads = threads;
            root.threads();
        }
        if (stage == Stage.SGEMM) {
            return benchSgemm();
        }
        if (saeKind != null) {
            return benchSae(saeKind);
        }
        if (arch == null) {
            return benchFitM();
        }
        // The peer's inputs: binary images with about 20% of the pixels on.
        SplittableRandom rng = new SplittableRandom(root.seed);
        float[] images = new float[n * Autoencoder.IMAGE];
        for (int i = 0; i < images.length; i++) {
            images[i] = rng.nextDouble() > 0.8 ? 1f : 0f;
        }
        try (Backend backend = root.openBackend().backend()) {
            double sgemm = boundRate(backend);
            BaseModelConfig config = new BaseModelConfig(arch, epochs, batch, 1e-3f, root.seed, "synthetic", n, "upright");
            LossHistory h;
            try (BaseTrainer.Trained t = new BaseTrainer(backend, config, images).train(dev.esae.train.TrainingRun.NONE, TrainingListener.SILENT)) {
                h = t.history();
            }
            long flops;
            try (Autoencoder shape = Autoencoder.create(backend, dev.esae.compute.DType.F32, arch, 0)) {
                flops = shape.trainingFlopsPerImage();
            }
            // Every product of a base model's step is dense (convolutions as im2col GEMMs).
            report(arch.id(), backend, h, flops, flops, sgemm);
        }
        return ExitCodes.OK;
    }

    /** The peer's synthetic activations: Gaussian [n, 4, 256] with a random scale per dimension. */
    private ActivationSet syntheticActivations(int order, int d) {
        SplittableRandom rng = new SplittableRandom(root.seed);
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            scale[j] = rng.nextDouble();
        }
        float[] acts = new float[n * order * d];
        for (int i = 0; i < acts.length; i++) {
            acts[i] = (float) (rng.nextGaussian() * scale[i % d]);
        }
        return new ActivationSet(acts, n, order, d);
    }

    /**
     * Training one SAE kind on the peer's activations. GEMM FLOPs per row as the sparse step does
     * them: the dense encoder (and, two-layer, its first layer's backward), then K-sized work
     * for the decode, the decoder gradient, the latent gradient and the encoder's last layer.
     */
    private int benchSae(SaeKind kind) {
        int order = 4;
        int d = 256;
        int latents = kind.latents(d, order);
        if (k < 1 || k > latents) {
            throw new InputException("--k " + k + ": expected 1 to " + latents);
        }
        int h = kind.hidden() == 0 ? d : kind.hidden();
        // Dense: the encoder's last layer forward and, two-layer, the first layer's forward, weight
        // and input gradients (the input gradient carries b_dec's); the rest is K-sized.
        long densePerRow = 2L * h * latents + (kind.hidden() == 0 ? 0 : 6L * d * h);
        long perRow = densePerRow + 6L * k * d + 4L * k * h;
        ActivationSet acts = syntheticActivations(order, d);
        try (Backend backend = root.openBackend().backend()) {
            double sgemm = boundRate(backend);
            LossHistory hist = new LossHistory(n);
            SaeTrainer.train(backend, acts, new SaeTrainer.Config(latents, k, kind.hidden(), kind.invariantTargets(), epochs, batch,
                    1e-3f, root.seed), TrainingListener.SILENT, hist).close();
            report(kind.id(), backend, hist, perRow * order, densePerRow * order, sgemm);
        }
        return ExitCodes.OK;
    }

    /** Fitting M on the peer's synthetic activations. */
    private int benchFitM() {
        int order = 4;
        int d = 256;
        ActivationSet acts = syntheticActivations(order, d);
        try (Backend backend = root.openBackend().backend()) {
            double sgemm = boundRate(backend);
            TransformFit.Result r = TransformFit.fit(backend, acts,
                    new TransformConfig(epochs, batch, 1e-3f, root.seed, 0f), TrainingListener.SILENT);
            // Per input: n-1 forward products, n-1 weight-gradient products, n-2 input-gradient products, each 2 d^2.
            long flops = 2L * d * d * (3L * (order - 1) - 1);
            report("fitm", backend, r.history(), flops, flops, sgemm);
        }
        return ExitCodes.OK;
    }

    /**
     * The dense SGEMM rate, C = A B^T on 1024x1024 float32 matrices (2 * 1024^3 FLOPs a call): the
     * median of {@code --epochs} timed rounds of about half a second each, after one warm-up round.
     * It is the ceiling a stage made of GEMMs could reach on this machine and thread count.
     */
    private int benchSgemm() {
        try (Backend backend = root.openBackend().backend()) {
            double[] rate = sgemmRate(backend, epochs, 500_000_000L);
            out().println(Json.write(new SgemmLine("sgemm", backend.threads(), SGEMM_SIZE, epochs, backend.name(),
                    Math.round(rate[0] * 10) / 10.0, Math.round(rate[1] * 10) / 10.0, BuildInfo.version())));
        }
        return ExitCodes.OK;
    }

    private static final int SGEMM_SIZE = 1024;

    /** The SGEMM rate a training stage's GEMM bound uses: the median of 3 rounds of 0.3 s, before the stage runs. */
    private double boundRate(Backend backend) {
        return sgemmRate(backend, 3, 300_000_000L)[0];
    }

    /**
     * {@code {median, max}} GFLOP/s of {@code rounds} timed rounds of {@code roundNanos} each of the
     * 1024x1024 SGEMM, after one warm-up round. The training stages measure it too (shorter), so
     * that their GEMM bound comes from the same process, thread count and machine state.
     */
    private double[] sgemmRate(Backend backend, int rounds, long roundNanos) {
        int size = SGEMM_SIZE;
        SplittableRandom rng = new SplittableRandom(root.seed);
        float[] a = new float[size * size];
        float[] b = new float[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
            b[i] = (float) rng.nextGaussian();
        }
        double flops = 2.0 * size * size * size;
        try (dev.esae.compute.Tensor ta = backend.upload(a, size, size);
             dev.esae.compute.Tensor tb = backend.upload(b, size, size);
             dev.esae.compute.Tensor tc = backend.zeros(dev.esae.compute.DType.F32, size, size)) {
            List<Double> rates = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                int calls = 0;
                long t0 = System.nanoTime();
                long elapsed;
                do {
                    backend.gemm(false, true, 1f, ta, tb, 0f, tc);
                    backend.synchronize();
                    calls++;
                    elapsed = System.nanoTime() - t0;
                } while (elapsed < roundNanos);
                if (round > 0) {
                    rates.add(calls * flops / (elapsed / 1e9) / 1e9);
                }
            }
            Collections.sort(rates);
            return new double[] {rates.get(rates.size() / 2), rates.get(rates.size() - 1)};
        }
    }

    /** The JSON line of a training stage (K only for the SAE stages). */
    record StageLine(String stage, int threads, int n, int batch, int epochs, @JsonInclude(JsonInclude.Include.NON_NULL) Integer k,
            String device, double epochS, double imagesPerS, double gflopPerImage, double gflops, double denseGflopPerImage,
            double sgemmGflops, double gemmBoundEpochS, double overBound, String esae) {}

    /** The JSON line of the SGEMM stage. */
    record SgemmLine(String stage, int threads, @JsonProperty("m_n_k") int mNK, int rounds, String device, double gflops, double gflopsMax, String esae) {}

    /**
     * Prints the JSON line: the median epoch, canonical inputs per second, the GEMM GFLOP/s
     * achieved, and the GEMM bound: the epoch time of the step's dense products alone at the
     * measured SGEMM rate, and how many times that bound the epoch took.
     */
    private void report(String name, Backend backend, LossHistory h, long flopsPerInput, long denseFlopsPerInput, double sgemmGflops) {
        List<Double> secs = new ArrayList<>(h.seconds());
        Collections.sort(secs);
        double median = secs.get(secs.size() / 2);
        double bound = denseFlopsPerInput * (double) n / (sgemmGflops * 1e9);
        out().println(Json.write(new StageLine(name, backend.threads(), n, batch, epochs, SaeKind.fromId(name) != null ? k : null,
                backend.name(), Math.round(median * 1e4) / 1e4, Math.round(n / median * 10) / 10.0, Math.round(flopsPerInput / 1e5) / 1e4,
                Math.round(flopsPerInput * (n / median) / 1e8) / 10.0, Math.round(denseFlopsPerInput / 1e5) / 1e4,
                Math.round(sgemmGflops * 10) / 10.0, significant(bound, 4), Math.round(median / bound * 100) / 100.0,
                BuildInfo.version())));
    }

    /**
     * {@code v} to {@code digits} significant digits. The GEMM bound of a small run is a few
     * milliseconds: to four decimals it kept two digits, too few for {@code over_bound} to be
     * recomputed from the printed numbers.
     */
    static double significant(double v, int digits) {
        return v == 0 || !Double.isFinite(v) ? v : new java.math.BigDecimal(v).round(new java.math.MathContext(digits)).doubleValue();
    }
}
