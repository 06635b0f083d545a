package dev.esae.compute.cuda;

import dev.esae.compute.Availability;
import dev.esae.compute.Backend;
import dev.esae.compute.BackendProvider;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

/**
 * Probes for a usable NVIDIA GPU through JCuda's driver API: the driver library, a device, the
 * kernels packed into the jar, and cuBLAS. Each step records what it found, so that
 * {@code esae doctor} can say exactly why CUDA was skipped.
 *
 * <p>When all are there, {@link #open} starts {@link CudaBackend} on device 0 (or the ordinal in
 * {@code ESAE_CUDA_DEVICE}) with cuBLAS where it loads, else esae's own GEMM kernel
 * ({@code ESAE_GEMM=kernel} forces the kernel).
 */
public final class CudaBackendProvider implements BackendProvider {
    private static final String JCUDA_VERSION = dev.esae.BuildInfo.get("jcuda");
    /** How esae's emulated driver (native/emu/emu_driver.cpp) names its device. */
    static final String EMULATOR_NAME = "esae host emulator";
    /** Set to 1, lets {@code --device auto} choose the emulated driver's device. */
    static final String EMULATOR_ENV = "ESAE_CUDA_EMULATOR";

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 100;
    }

    /** The probe's result; loading the driver can only be tried once per JVM (JCuda's class init). */
    private static Availability probed;

    @Override
    public Availability probe() {
        synchronized (CudaBackendProvider.class) {
            if (probed == null) {
                probed = probeOnce();
            }
            return probed;
        }
    }

    private static Availability probeOnce() {
        List<String> details = new ArrayList<>();
        CudaKernels.Manifest kernels = CudaKernels.manifest();
        details.add(kernels.modules().isEmpty()
                ? "kernels: built without CUDA kernels (nvcc was not found when this jar was built)"
                : "kernels: " + kernels.modules().size() + " modules " + kernels.modules() + " built by nvcc "
                        + kernels.nvcc() + " for " + kernels.archs());
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
        } catch (LinkageError e) {
            // JCuda's native library links against libcuda.so.1, which only an NVIDIA driver installs.
            String cause = linkCause(e);
            details.add("driver: JCuda's driver binding (JCudaDriver " + JCUDA_VERSION + ") did not load: " + cause);
            return Availability.no(cause.startsWith("libcuda.so")
                    ? "no NVIDIA driver (" + cause + ")"
                    : "JCuda's driver binding did not load (" + cause + ")", details);
        } catch (RuntimeException e) {
            details.add("driver: cuInit failed: " + firstLine(e));
            return Availability.no("the NVIDIA driver did not initialise (cuInit: " + firstLine(e) + ")", details);
        }
        String version;
        int[] count = {0};
        try {
            version = driverVersion();
            JCudaDriver.cuDeviceGetCount(count);
        } catch (RuntimeException e) {
            return Availability.no("the NVIDIA driver did not answer: " + firstLine(e), details);
        }
        details.add("driver: CUDA " + version + " driver API, " + count[0] + " device(s)");
        if (count[0] == 0) {
            return Availability.no("the NVIDIA driver reports no CUDA device", details);
        }
        for (int i = 0; i < count[0]; i++) {
            details.add("device " + i + ": " + describeDevice(i));
        }
        details.add("gemm: " + cublasStatus());
        if (kernels.modules().isEmpty()) {
            return Availability.no("built without CUDA kernels (nvcc was not found when this jar was built)", details);
        }
        if (describeDevice(0).startsWith(EMULATOR_NAME) && !"1".equals(System.getenv(EMULATOR_ENV))) {
            // esae's emulated driver (native/emu) runs the real JCuda path for tests, far slower than the CPU backend.
            return Availability.whenNamed("the CUDA driver is esae's host emulator, not a GPU (--device cuda uses it; "
                    + EMULATOR_ENV + "=1 lets --device auto pick it)", details);
        }
        return Availability.yes(details);
    }

    private static String describeDevice(int ordinal) {
        try {
            CUdevice dev = new CUdevice();
            JCudaDriver.cuDeviceGet(dev, ordinal);
            return describeDevice(dev);
        } catch (RuntimeException e) {
            return "could not be queried: " + firstLine(e);
        }
    }

    /** "NAME, sm_XY, N MiB": what doctor lists per device and the backend line names. */
    static String describeDevice(CUdevice dev) {
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, dev);
        int[] major = {0};
        int[] minor = {0};
        JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
        JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
        long[] bytes = {0};
        JCudaDriver.cuDeviceTotalMem(bytes, dev);
        String n = new String(name, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "").trim();
        return n + ", sm_" + major[0] + minor[0] + ", " + bytes[0] / (1L << 20) + " MiB";
    }

    /** The driver's CUDA version, e.g. "13.0". */
    static String driverVersion() {
        int[] version = {0};
        JCudaDriver.cuDriverGetVersion(version);
        return version[0] / 1000 + "." + (version[0] % 1000) / 10;
    }

    /** Whether cuBLAS 12 loads; CUDA 13 machines lack it, and esae's own GEMM kernel is meant for them. */
    private static String cublasStatus() {
        if (forcedKernelGemm()) {
            return "esae's tiled SGEMM kernel (ESAE_GEMM=kernel)";
        }
        try {
            JCublas2.setExceptionsEnabled(true);
            cublasHandle h = new cublasHandle();
            JCublas2.cublasCreate(h);
            JCublas2.cublasDestroy(h);
            return "cuBLAS (libcublas.so.12 loads)";
        } catch (LinkageError e) {
            return "esae's tiled SGEMM kernel (libcublas.so.12 not found: " + linkCause(e) + ")";
        } catch (RuntimeException e) {
            return "esae's tiled SGEMM kernel (cublasCreate failed: " + firstLine(e) + ")";
        }
    }

    /**
     * The line of JCuda's long loader report that names the library the dynamic linker could not
     * find, e.g. {@code libcuda.so.1: cannot open shared object file: No such file or directory}.
     */
    static String linkCause(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        for (String line : m.split("\n")) {
            int at = line.indexOf(": cannot open shared object file");
            if (at >= 0) {
                int start = line.lastIndexOf(": ", at - 1);
                return line.substring(start < 0 ? 0 : start + 2).strip();
            }
        }
        return firstLine(e);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static boolean forcedKernelGemm() {
        return "kernel".equals(System.getenv("ESAE_GEMM"));
    }

    @Override
    public Backend open(int threads) {
        String ordinal = System.getenv().getOrDefault("ESAE_CUDA_DEVICE", "0");
        int device;
        try {
            device = Integer.parseInt(ordinal.trim());
        } catch (NumberFormatException e) {
            throw new DeviceException("ESAE_CUDA_DEVICE=" + ordinal + " is not a device number");
        }
        JCudaRuntime runtime = JCudaRuntime.open(device);
        try {
            if (forcedKernelGemm()) {
                return new CudaBackend(runtime, new KernelGemm(runtime, "ESAE_GEMM=kernel"), threads);
            }
            String[] why = {""};
            GemmEngine cublas = CublasGemm.tryOpen(runtime, why);
            return new CudaBackend(runtime, cublas != null ? cublas : new KernelGemm(runtime, why[0]), threads);
        } catch (RuntimeException | LinkageError e) {
            runtime.close();
            throw e;
        }
    }
}
