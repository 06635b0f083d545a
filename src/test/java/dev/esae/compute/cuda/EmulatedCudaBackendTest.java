package dev.esae.compute.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.compute.check.OpCheck;
import dev.esae.compute.check.SelfTest;
import dev.esae.equivariance.ActivationSet;
import dev.esae.sae.SaeTrainer;
import dev.esae.sae.TopKSae;
import dev.esae.testutil.TestBackends;
import dev.esae.train.LossHistory;
import dev.esae.train.TrainingListener;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend — its Java side and the kernels' own source — run on the host emulator
 * ({@code native/emu}): every selftest check against the plain reference and against the CPU
 * backend, a whole SAE training run against the same run on the CPU, the memory pool's reuse, and
 * the emulator's own fault detection. What only a GPU can show (the driver calls, speed) is
 * checked by {@code esae selftest} and {@code esae bench} on one.
 */
class EmulatedCudaBackendTest {
    private static final Backend cpu = TestBackends.cpu();

    static CudaBackend emulated() {
        EmulatedRuntime rt = EmulatedRuntime.open();
        assumeTrue(rt != null, () -> "no emulator: " + EmulatedRuntime.unavailableReason());
        return CudaBackend.withKernelGemm(rt, "emulated", 1);
    }

    @Test
    void everySelftestCheckPassesAgainstTheReferenceAndTheCpuBackend() {
        long seed = System.nanoTime();
        try (CudaBackend backend = emulated()) {
            List<OpCheck> checks = SelfTest.run(backend, seed);
            List<OpCheck> versusCpu = SelfTest.compare(checks, SelfTest.run(cpu, seed));
            StringBuilder failed = new StringBuilder();
            for (int i = 0; i < checks.size(); i++) {
                if (!checks.get(i).passed() || !versusCpu.get(i).passed()) {
                    failed.append(checks.get(i)).append(" vs cpu ").append(versusCpu.get(i).error()).append('\n');
                }
            }
            assertEquals("", failed.toString(), "seed " + seed);
            assertTrue(checks.size() > 70);
            assertEquals(0, backend.memoryUsage().bytesInUse() - 8192, "every selftest tensor is released (the pool keeps 8 KiB of partial sums)");
        }
    }

    /** Sparse activations {@code [200, 4, 12]}: 30% of the entries non-zero. */
    private static ActivationSet sparseActivations() {
        SplittableRandom rng = new SplittableRandom(11);
        int count = 200;
        int n = 4;
        int d = 12;
        float[] data = new float[count * n * d];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextDouble() < 0.3 ? (float) rng.nextDouble() : 0f;
        }
        return new ActivationSet(data, count, n, d);
    }

    /** Trains {@code config} (3 epochs) on the CPU and on {@code backend}: the same losses, falling. */
    private static void assertSameLossesAsOnTheCpu(CudaBackend backend, ActivationSet acts, SaeTrainer.Config config) {
        LossHistory onCpu = new LossHistory(acts.count());
        LossHistory onCuda = new LossHistory(acts.count());
        try (TopKSae a = SaeTrainer.train(cpu, acts, config, TrainingListener.SILENT, onCpu);
             TopKSae b = SaeTrainer.train(backend, acts, config, TrainingListener.SILENT, onCuda)) {
            List<Double> lc = onCpu.losses();
            List<Double> lg = onCuda.losses();
            assertEquals(3, lg.size());
            for (int e = 0; e < lc.size(); e++) {
                assertEquals(lc.get(e), lg.get(e), 1e-4 * Math.abs(lc.get(e)), "epoch " + (e + 1) + " loss");
            }
            assertTrue(lg.get(2) < lg.get(0), "the loss falls on the emulated GPU too: " + lg);
        }
    }

    @Test
    void anInvariantSaeTrainsToTheSameLossesAsOnTheCpu() {
        ActivationSet acts = sparseActivations();
        int count = acts.count();
        SaeTrainer.Config config = new SaeTrainer.Config(20, 3, 16, true, 3, 32, 2e-2f, 5);
        try (CudaBackend backend = emulated()) {
            assertSameLossesAsOnTheCpu(backend, acts, config);
            long before = backend.memoryUsage().driverAllocations();
            try (TopKSae again = SaeTrainer.train(backend, acts, config, TrainingListener.SILENT, new LossHistory(count))) {
                assertEquals(before, backend.memoryUsage().driverAllocations(), "a second run is served from the pool's cache");
            }
        }
    }

    /** AuxK with its dead-latent bookkeeping on the device: latents die after the first epoch's rows. */
    @Test
    void anSaeWithAuxKTrainsToTheSameLossesAsOnTheCpu() {
        SaeTrainer.Config config = new SaeTrainer.Config(48, 2, 0, false, 3, 32, 2e-2f, 5, 8, 0.25f);
        try (CudaBackend backend = emulated()) {
            assertSameLossesAsOnTheCpu(backend, sparseActivations(), config);
        }
    }

    @Test
    void theEmulatorReportsWhatAGpuWouldNot() {
        try (CudaBackend backend = emulated()) {
            EmulatedRuntime rt = EmulatedRuntime.open();
            long block = rt.alloc(64);
            try {
                DeviceException wrongSize = assertThrows(DeviceException.class, () -> rt.launch("fill_f32", 1, 1, 1, 32, 1, 1,
                        KernelArgs.of().ptr(block).i32(16).f32(1f)));
                assertTrue(wrongSize.getMessage().contains("argument 1 is 8 bytes in the kernel, 4 in the launch"), wrongSize.getMessage());
                DeviceException outside = assertThrows(DeviceException.class, () -> rt.launch("fill_f32", 1, 1, 1, 32, 1, 1,
                        KernelArgs.of().ptr(block).i64(17).f32(1f)));
                assertTrue(outside.getMessage().contains("wrote outside an allocation of 64 bytes"), outside.getMessage());
            } finally {
                assertThrows(DeviceException.class, () -> rt.free(block), "the overwritten guard is reported again at free");
            }
            // Fresh device memory is NaN until written, so zeros() must really write its zeros.
            try (Tensor z = backend.zeros(DType.F32, 3, 5)) {
                assertArrayEquals(new float[15], backend.download(z));
            }
            // float64 tensors exist (for the same checks as on the CPU) but are not computed on.
            try (Tensor a = backend.uploadDoubles(new double[] {1.5, -2}, 1, 2); Tensor c = backend.zeros(DType.F64, 1, 1)) {
                assertArrayEquals(new double[] {1.5, -2}, backend.downloadDoubles(a));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> backend.gemm(false, true, 1, a, a, 0, c));
                assertTrue(e.getMessage().contains("computes in float32"), e.getMessage());
            }
        }
    }
}
