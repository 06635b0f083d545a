package dev.esae.compute.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The CUDA kernels packed into the jar by {@code native/build-kernels.sh}: one fatbin per
 * {@code kernels/*.cu} file, listed with the nvcc that built them in {@code kernels.properties}.
 */
public final class CudaKernels {
    static final String RESOURCE_DIR = "/dev/esae/compute/cuda/";

    /** What the build recorded; {@code modules} is empty when nvcc was missing at build time. */
    public record Manifest(List<String> modules, String nvcc, String archs) {}

    private CudaKernels() {}

    /** The manifest, or one with no modules if the jar was built without CUDA kernels. */
    public static Manifest manifest() {
        try (InputStream in = CudaKernels.class.getResourceAsStream(RESOURCE_DIR + "kernels.properties")) {
            if (in == null) {
                return new Manifest(List.of(), "", "");
            }
            Properties p = new Properties();
            p.load(in);
            List<String> modules = new ArrayList<>();
            for (String m : p.getProperty("modules", "").split(",")) {
                if (!m.isBlank()) {
                    modules.add(m.trim());
                }
            }
            return new Manifest(modules, p.getProperty("nvcc", ""), p.getProperty("archs", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fatbin bytes of one module, e.g. {@code rot90}. */
    public static byte[] fatbin(String module) {
        try (InputStream in = CudaKernels.class.getResourceAsStream(RESOURCE_DIR + module + ".fatbin")) {
            if (in == null) {
                throw new IllegalStateException("kernel module " + module + " is listed but not in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
