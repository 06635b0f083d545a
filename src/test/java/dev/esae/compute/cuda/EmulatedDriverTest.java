package dev.esae.compute.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.esae.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real JCuda path on esae's emulated CUDA driver ({@code native/emu/emu_driver.cpp} built as
 * {@code libcuda.so.1}): child JVMs with that library first on LD_LIBRARY_PATH load it through
 * JCuda's own native binding, so {@link JCudaRuntime}, the provider's probe, the fatbin loading,
 * kernel-parameter packing and the memory pool run as they would on a GPU (not their speed, nor
 * races between real warps, nor cuBLAS).
 */
class EmulatedDriverTest {
    @TempDir
    Path dir;

    /** What a child JVM printed and how it ended. */
    record Run(int code, String output) {}

    @BeforeAll
    static void buildTheDriver() throws Exception {
        assumeTrue(EmulatedRuntime.jcudaNatives() != null, "JCuda's natives jar is not on the class path");
        try {
            EmulatedRuntime.build();
        } catch (IOException e) {
            assumeTrue(false, "the emulator did not build here (needs g++ and nm): " + e.getMessage());
        }
        assumeTrue(!CudaKernels.manifest().modules().isEmpty(), "this build has no CUDA kernels (nvcc was not found)");
    }

    private Run child(Map<String, String> env, String mainClass, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "--add-modules", "jdk.incubator.vector", "-cp", cp, mainClass));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "child", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        String old = System.getenv("LD_LIBRARY_PATH");
        pb.environment().put("LD_LIBRARY_PATH", EmulatedRuntime.driverDir() + (old == null ? "" : ":" + old));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the child JVM did not finish: " + Files.readString(log));
        return new Run(p.exitValue(), Files.readString(log));
    }

    private Run esae(Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--threads=1"));
        all.addAll(List.of(args));
        return child(env, Main.class.getName(), all.toArray(String[]::new));
    }

    @Test
    void doctorSeesTheEmulatedDeviceAndAutoSelectionPassesItOverUnlessAsked() throws Exception {
        Run named = esae(Map.of(), "--device", "cuda", "doctor");
        assertEquals(0, named.code(), named.output());
        assertTrue(named.output().contains("device 0: esae host emulator (not a GPU), sm_90, 512 MiB"), named.output());
        assertTrue(named.output().contains("driver: CUDA 13.0 driver API, 1 device(s)"), named.output());
        assertTrue(named.output().contains("gemm: esae's tiled SGEMM kernel"), named.output());
        assertTrue(named.output().contains("chosen: cuda: esae host emulator (not a GPU)"), named.output());

        Run auto = esae(Map.of(), "doctor");
        assertEquals(0, auto.code(), auto.output());
        assertTrue(auto.output().contains("cuda  available when named; --device auto skips it: the CUDA driver is esae's host emulator"),
                auto.output());
        assertTrue(auto.output().contains("chosen: cpu"), auto.output());
        assertTrue(auto.output().contains("why not cuda: the CUDA driver is esae's host emulator, not a GPU"), auto.output());

        Run allowed = esae(Map.of(CudaBackendProvider.EMULATOR_ENV, "1"), "doctor");
        assertEquals(0, allowed.code(), allowed.output());
        assertTrue(allowed.output().contains("chosen: cuda: esae host emulator"), allowed.output());
    }

    @Test
    void selftestPassesEveryCheckThroughJCudaAgainstTheCpuBackend() throws Exception {
        Run r = esae(Map.of(), "--device", "cuda", "selftest");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("backend: cuda: esae host emulator (not a GPU)"), r.output());
        assertTrue(r.output().matches("(?s).*\\n\\d+ passed, 0 failed \\(backend cuda, also against the cpu backend, seed 0\\).*"), r.output());
    }

    /**
     * Every training command of the study once, at a size the emulator runs in CI, on the emulated
     * driver and on the CPU backend: the same losses within 1e-3 relative. (The tiny study itself
     * is too slow for CI on the emulator: each emulated CUDA thread is a fiber, and its 48 steps
     * took 710 s on an idle 2-core machine.) Eight images, one batch per epoch, two epochs: the
     * second epoch's loss shows the first update, so forward, backward and Adam all take part.
     */
    @Test
    void everyTrainingCommandOfTheStudyMatchesTheCpuBackendThroughJCuda() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, esae(Map.of(), "dataset", "--n", "8", "--out", data.toString()).code());
        List<String> runs = new ArrayList<>();
        for (String device : List.of("cpu", "cuda")) {
            Path d = dir.resolve(device);
            List<String> cmds = new ArrayList<>();
            for (String arch : List.of("mlp", "cnn")) {
                cmds.addAll(List.of("--device", device, "--threads=1", "train-base", "--arch", arch, "--data", data.toString(), "--epochs", "2",
                        "--batch", "8", "--out", d.resolve(arch).toString(), ";"));
            }
            Path acts = d.resolve("mlp").resolve("acts.npy");
            cmds.addAll(List.of("--device", device, "activations", "--model", d.resolve("mlp").toString(), "--data", data.toString(), "--out",
                    acts.toString(), ";"));
            cmds.addAll(List.of("--device", device, "fit-m", "--solver", "adam", "--epochs", "2", "--batch", "8", "--acts", acts.toString(),
                    "--out", d.resolve("m-adam").toString(), ";"));
            cmds.addAll(List.of("--device", device, "fit-m", "--solver", "lbfgs", "--iterations", "2", "--acts", acts.toString(), "--out",
                    d.resolve("m-lbfgs").toString(), ";"));
            for (String kind : List.of("topk", "wide", "twolayer", "invariant", "equivariant")) {
                cmds.addAll(List.of("--device", device, "train-sae", "--kind", kind, "--k", "4", "--acts", acts.toString(), "--epochs", "2",
                        "--batch", "8", "--out", d.resolve("sae-" + kind).toString()));
                if (kind.equals("equivariant")) {
                    cmds.addAll(List.of("--transform", d.resolve("m-lbfgs").toString()));
                }
                cmds.add(";");
            }
            Run r = child(Map.of(), CommandSequence.class.getName(), cmds.toArray(String[]::new));
            assertEquals(0, r.code(), r.output());
            assertTrue(r.output().contains(device.equals("cuda") ? "backend: cuda: esae host emulator" : "backend: cpu"), r.output());
        }
        // Each file names the backend that made it: cfg.json's device (SAELens's field) and the provenance.
        for (String device : List.of("cpu", "cuda")) {
            Map<String, Object> cfg = dev.esae.io.Json.parseObject(Files.readString(dir.resolve(device).resolve("sae-topk").resolve("cfg.json")));
            assertEquals(device, cfg.get("device"));
            for (Path f : List.of(dir.resolve(device).resolve("sae-topk").resolve("cfg.json"), dir.resolve(device).resolve("sae-topk")
                    .resolve("metrics.json"), dir.resolve(device).resolve("mlp").resolve("config.json"), dir.resolve(device).resolve("m-adam")
                    .resolve("r2.json"))) {
                Map<?, ?> prov = (Map<?, ?>) dev.esae.io.Json.parseObject(Files.readString(f)).get("provenance");
                assertTrue(String.valueOf(prov.get("backend")).startsWith(device.equals("cuda") ? "cuda: esae host emulator" : "cpu ("), f + ": " + prov);
                assertTrue(!device.equals("cuda") || String.valueOf(prov.get("device")).contains("esae host emulator"), f + ": " + prov);
            }
        }
        runs.addAll(List.of("mlp", "cnn", "m-adam", "m-lbfgs", "sae-topk", "sae-wide", "sae-twolayer", "sae-invariant", "sae-equivariant"));
        for (String run : runs) {
            List<String> cpu = Files.readAllLines(dir.resolve("cpu").resolve(run).resolve("loss.csv"));
            List<String> cuda = Files.readAllLines(dir.resolve("cuda").resolve(run).resolve("loss.csv"));
            assertEquals(3, cpu.size(), run + ": a header and two rows");
            assertEquals(cpu.size(), cuda.size(), run);
            for (int i = 1; i < cpu.size(); i++) {
                double a = Double.parseDouble(cpu.get(i).split(",")[1]);
                double b = Double.parseDouble(cuda.get(i).split(",")[1]);
                assertTrue(Double.isFinite(b) && Math.abs(a - b) <= 1e-3 * Math.abs(a), run + " row " + i + ": cpu " + a + ", cuda " + b);
            }
        }
    }

    @Test
    void everyFaultTheEmulatorChecksIsReportedThroughTheJCudaPath() throws Exception {
        Run r = child(Map.of(), EmulatedDriverFaults.class.getName());
        String out = r.output();
        assertEquals(0, r.code(), out);
        assertTrue(out.contains("runtime: dev.esae.compute.cuda.JCudaRuntime on esae host emulator (not a GPU)"), out);
        assertTrue(out.contains("esae emulator: kernel fill_f32 wrote outside an allocation of 64 bytes"), out);
        assertTrue(out.contains("write outside: DeviceException: launching fill_f32 failed: CUDA_ERROR_ILLEGAL_ADDRESS"), out);
        assertTrue(out.contains("esae emulator: cuMemFree: an allocation's guard bytes were overwritten"), out);
        assertTrue(out.contains("guard at free: DeviceException: cuMemFree failed: CUDA_ERROR_ILLEGAL_ADDRESS"), out);
        assertTrue(out.contains("esae emulator: fill_f32: argument 0 is a pointer in the kernel, but its value is not a device address"), out);
        assertTrue(out.contains("int for a pointer: DeviceException: launching fill_f32 failed: CUDA_ERROR_INVALID_VALUE"), out);
        assertTrue(out.contains("unknown kernel: DeviceException: kernel no_such_kernel is in none of the modules"), out);
        assertTrue(out.contains("fault module: CUDA_SUCCESS, CUDA_SUCCESS"), out);
        assertTrue(out.contains("esae emulator: emu_fault_early_return: __syncthreads() not reached by every thread of the block"), out);
        assertTrue(out.contains("unreached barrier: CUDA_ERROR_LAUNCH_FAILED"), out);
        assertTrue(out.contains("a clean launch after the faults: ok"), out);
    }
}
