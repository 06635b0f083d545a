package dev.esae.compute.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DeviceRuntime} that runs esae's CUDA kernels on the host, through the emulator that
 * {@code native/emu/build-emulator.sh} builds from the same {@code kernels/*.cu} sources. It
 * checks what a GPU would not report: writes outside an allocation, argument sizes that do not
 * match a kernel's signature, {@code __syncthreads()} not reached by a whole block; and new memory
 * holds NaN bytes, so reading unwritten memory shows.
 */
final class EmulatedRuntime implements DeviceRuntime {
    private static String loadError;
    private static boolean loaded;

    private EmulatedRuntime() {}

    /**
     * Builds (once per build folder, when the kernels changed) and loads the emulator; null with
     * {@link #unavailableReason()} set when g++ or the JDK headers are missing.
     */
    static synchronized EmulatedRuntime open() {
        if (!loaded && loadError == null) {
            try {
                Path lib = build();
                System.load(lib.toAbsolutePath().toString());
                loaded = true;
            } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
                loadError = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                loadError = "interrupted";
            }
        }
        return loaded ? new EmulatedRuntime() : null;
    }

    static synchronized String unavailableReason() {
        return loadError;
    }

    /** Where the emulated CUDA driver ({@code libcuda.so.1}) is built beside the JNI library. */
    static Path driverDir() {
        return Path.of(System.getProperty("user.dir")).resolve("target/emulator/driver");
    }

    /**
     * Builds the JNI library and the emulated driver (when JCuda's natives jar is on the class path)
     * once per build folder, again when the kernels or the emulator changed; returns the JNI library.
     */
    static synchronized Path build() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("user.dir"));
        Path lib = root.resolve("target/emulator/libesae_emu.so");
        Path script = root.resolve("native/emu/build-emulator.sh");
        String natives = jcudaNatives();
        Path driver = driverDir().resolve("libcuda.so.1");
        boolean driverWanted = natives != null;
        if (Files.exists(lib) && (!driverWanted || Files.exists(driver)) && !newerThan(root.resolve("kernels"), lib)
                && !newerThan(root.resolve("native/emu"), lib)) {
            return lib;
        }
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", script.toString(), root.resolve("kernels").toString(), lib.toString()));
        if (driverWanted) {
            cmd.addAll(List.of(natives, driverDir().toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("the emulator did not build: " + output);
        }
        return lib;
    }

    /** JCuda's natives jar for this platform on the test class path, or null. */
    static String jcudaNatives() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            if (entry.contains("jcuda-natives") && entry.endsWith("linux-x86_64.jar")) {
                return entry;
            }
        }
        return null;
    }

    private static boolean newerThan(Path dir, Path lib) throws IOException {
        long built = Files.getLastModifiedTime(lib).toMillis();
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() > built;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    private static native long alloc0(long bytes);

    private static native String free0(long address);

    private static native String copyIn0(long dst, Object array, long bytes);

    private static native String copyOut0(long src, Object array, long bytes);

    private static native String copyDevice0(long dst, long src, long bytes);

    private static native String launch0(String name, int gx, int gy, int gz, int bx, int by, int bz, long[] bits, int[] sizes);

    private static void check(String error) {
        if (error != null) {
            throw new DeviceException("emulator: " + error);
        }
    }

    /** Arrays larger than the host copies handle are a caller bug, as on a GPU. */
    private static void fits(Object array, long bytes) {
        long capacity = array instanceof float[] f ? f.length * 4L : array instanceof int[] i ? i.length * 4L
                : array instanceof double[] d ? d.length * 8L : -1;
        if (capacity < bytes) {
            throw new IllegalArgumentException("host array of " + capacity + " bytes for a copy of " + bytes);
        }
    }

    @Override
    public String description() {
        return "host emulator of esae's CUDA kernels";
    }

    @Override
    public synchronized long alloc(long bytes) {
        long address = alloc0(bytes);
        if (address == 0) {
            throw new DeviceException("emulator: out of memory for " + bytes + " bytes", true, null);
        }
        return address;
    }

    @Override
    public synchronized void free(long address) {
        check(free0(address));
    }

    @Override
    public synchronized void copyIn(long dst, Object hostArray, long bytes) {
        fits(hostArray, bytes);
        check(copyIn0(dst, hostArray, bytes));
    }

    @Override
    public synchronized void copyOut(long src, Object hostArray, long bytes) {
        fits(hostArray, bytes);
        check(copyOut0(src, hostArray, bytes));
    }

    @Override
    public synchronized void copyDevice(long dst, long src, long bytes) {
        check(copyDevice0(dst, src, bytes));
    }

    @Override
    public synchronized void launch(String name, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                                    KernelArgs args) {
        check(launch0(name, gridX, gridY, gridZ, blockX, blockY, blockZ, args.allBits(), args.allSizes()));
    }

    @Override
    public void synchronize() {
        // Launches finish before they return.
    }


    @Override
    public void close() {
        // Memory is freed by the pool.
    }
}
