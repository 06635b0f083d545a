package dev.esae.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.esae.InputException;
import dev.esae.compute.cuda.CudaBackendProvider;
import dev.esae.compute.cuda.CudaKernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BackendSelectionTest {
    private static final int THREADS = Integer.getInteger("esae.test.threads", 1);

    @Test
    void providersAreFoundAndOrderedByPriority() {
        List<BackendProvider> providers = Backends.providers();
        assertEquals(List.of("cuda", "cpu"), providers.stream().map(BackendProvider::name).toList());
    }

    @Test
    void autoPicksCudaWhereItRunsElseFallsBackToTheCpuAndSaysWhy() {
        Backends.Selection s = Backends.select(DeviceChoice.AUTO, THREADS);
        try (Backend b = s.backend()) {
            Backends.Probe cuda = s.probes().get(0);
            assertEquals("cuda", cuda.provider().name());
            if (cuda.availability().available()) {
                assertEquals("cuda", b.name(), "a GPU that probes well is chosen");
                return;
            }
            assertEquals("cpu", b.name());
            assertFalse(cuda.availability().reason().isBlank());
            assertTrue(s.summary().contains("cuda skipped: " + cuda.availability().reason()), s.summary());
        }
    }

    /** A GPU that probes well but fails to start, as one without a kernel image for its architecture does. */
    private static final class FailingToStart implements BackendProvider {
        @Override
        public String name() {
            return "cuda";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public Availability probe() {
            return Availability.yes(List.of("device 0: a test GPU"));
        }

        @Override
        public Backend open(int threads) {
            throw new dev.esae.compute.cuda.DeviceException("loading kernel module topk on sm_120 failed: CUDA_ERROR_NO_BINARY_FOR_GPU");
        }
    }

    @Test
    void aGpuThatDoesNotStartFallsBackToTheCpuUnderAutoAndIsAUserErrorUnderCuda() {
        List<BackendProvider> providers = List.of(new FailingToStart(), Backends.providers().get(1));
        Backends.Selection s = Backends.select(DeviceChoice.AUTO, THREADS, providers);
        try (Backend b = s.backend()) {
            assertEquals("cpu", b.name());
            assertTrue(s.summary().contains("cuda skipped: it did not start: loading kernel module topk on sm_120 failed"),
                    s.summary());
            assertEquals(List.of("device 0: a test GPU"), s.probes().get(0).availability().details());
        }
        InputException e = assertThrows(InputException.class, () -> Backends.select(DeviceChoice.CUDA, THREADS, providers));
        assertTrue(e.getMessage().startsWith("--device cuda: the cuda backend cannot run here: it did not start: "), e.getMessage());
    }

    @Test
    void withoutADriverTheReasonNamesLibcuda() {
        boolean driverPresent = java.nio.file.Files.exists(java.nio.file.Path.of("/dev/nvidiactl"));
        assumeTrue(!driverPresent, "an NVIDIA driver is present on this machine");
        Availability a = new CudaBackendProvider().probe();
        assertTrue(a.reason().startsWith("no NVIDIA driver (libcuda.so.1"), a.reason());
    }

    @Test
    void insistingOnCudaWithoutOneIsAUserError() {
        InputException e = assertThrows(InputException.class, () -> Backends.select(DeviceChoice.CUDA, THREADS));
        assertTrue(e.getMessage().startsWith("--device cuda: the cuda backend cannot run here: "), e.getMessage());
    }

    @Test
    void insistingOnTheCpuProbesNothingElse() {
        Backends.Selection s = Backends.select(DeviceChoice.CPU, THREADS);
        try (Backend b = s.backend()) {
            assertEquals("cpu", b.name());
            assertEquals(1, s.probes().size());
        }
    }

    @Test
    void everyKernelIsBuiltForEveryArchitectureIntoTheJarWhenNvccIsPresent() throws Exception {
        boolean nvcc = new ProcessBuilder("sh", "-c", "command -v ${NVCC:-nvcc}").start().waitFor() == 0;
        assumeTrue(nvcc, "nvcc is not on the PATH: the build skipped the kernels");
        CudaKernels.Manifest m = CudaKernels.manifest();
        assertTrue(m.archs().contains("sm_80") && m.archs().contains("sm_90") && m.archs().contains("compute_90"), m.archs());
        List<Path> sources;
        try (var files = Files.list(Path.of("kernels"))) {
            sources = files.filter(f -> f.toString().endsWith(".cu")).sorted().toList();
        }
        assertEquals(sources.stream().map(f -> f.getFileName().toString().replace(".cu", "")).toList(), m.modules(),
                "one module per kernels/*.cu");
        Pattern kernel = Pattern.compile("^KERNEL (\\w+)\\(", Pattern.MULTILINE);
        int kernels = 0;
        for (Path source : sources) {
            String module = source.getFileName().toString().replace(".cu", "");
            // The classpath resource is what the shade plugin packs; .ci/run also lists the jar.
            byte[] fatbin = CudaKernels.fatbin(module);
            // A fatbin starts with the magic 0xBA55ED50 (little-endian).
            assertEquals(0xBA55ED50, java.nio.ByteBuffer.wrap(fatbin).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt());
            String bytes = new String(fatbin, java.nio.charset.StandardCharsets.ISO_8859_1);
            for (String arch : List.of("sm_80", "sm_86", "sm_89", "sm_90")) {
                assertTrue(bytes.contains("-arch " + arch + " "), module + " has no SASS for " + arch);
            }
            Matcher k = kernel.matcher(Files.readString(source));
            while (k.find()) {
                assertTrue(bytes.contains(k.group(1)), module + ".fatbin lacks kernel " + k.group(1));
                kernels++;
            }
        }
        assertTrue(kernels >= 20, "kernels found: " + kernels);
    }
}
