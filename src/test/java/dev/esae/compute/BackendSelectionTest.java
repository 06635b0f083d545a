package dev.esae.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.esae.InputException;
import dev.esae.compute.cuda.CudaBackendProvider;
import dev.esae.compute.cuda.CudaKernels;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendSelectionTest {
    private static final int THREADS = Integer.getInteger("esae.test.threads", 1);

    @Test
    void providersAreFoundAndOrderedByPriority() {
        List<BackendProvider> providers = Backends.providers();
        assertEquals(List.of("cuda", "cpu"), providers.stream().map(BackendProvider::name).toList());
    }

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() {
        Backends.Selection s = Backends.select(DeviceChoice.AUTO, THREADS);
        try (Backend b = s.backend()) {
            // This version has no CUDA operations, so even a machine with a GPU runs on the CPU.
            assertEquals("cpu", b.name());
            Backends.Probe cuda = s.probes().get(0);
            assertEquals("cuda", cuda.provider().name());
            assertFalse(cuda.availability().available());
            assertFalse(cuda.availability().reason().isBlank());
            assertTrue(s.summary().contains("cuda skipped: " + cuda.availability().reason()), s.summary());
        }
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
    void kernelsAreBuiltIntoTheJarWhenNvccIsPresent() throws Exception {
        boolean nvcc = new ProcessBuilder("sh", "-c", "command -v ${NVCC:-nvcc}").start().waitFor() == 0;
        assumeTrue(nvcc, "nvcc is not on the PATH: the build skipped the kernels");
        CudaKernels.Manifest m = CudaKernels.manifest();
        assertTrue(m.modules().contains("images"), "modules: " + m.modules());
        assertTrue(m.archs().contains("sm_90") && m.archs().contains("compute_90"), m.archs());
        for (String module : m.modules()) {
            byte[] fatbin = CudaKernels.fatbin(module);
            // A fatbin starts with the magic 0xBA55ED50 (little-endian).
            assertEquals(0x50, fatbin[0] & 0xff);
            assertEquals(0xED, fatbin[1] & 0xff);
            assertEquals(0x55, fatbin[2] & 0xff);
            assertEquals(0xBA, fatbin[3] & 0xff);
        }
    }
}
