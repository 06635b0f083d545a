package dev.esae.compute.cpu;

/**
 * Whether the SIMD loops of {@link VectorOps} can run: the JVM must have been started with
 * {@code --add-modules jdk.incubator.vector} (the {@code esae} launcher does this). Without it the
 * CPU backend uses plain scalar loops, which give the same results more slowly.
 */
public final class VectorSupport {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("esae.scalar");

    private VectorSupport() {}

    /** True when SIMD loops are used. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** One line for {@code esae doctor}. */
    public static String describe() {
        if (!AVAILABLE) {
            return Boolean.getBoolean("esae.scalar") ? "scalar loops (-Desae.scalar=true)"
                    : "scalar loops (start java with --add-modules jdk.incubator.vector for SIMD; ./esae does)";
        }
        int lanes = VectorOps.lanes();
        return "jdk.incubator.vector, " + lanes * 32 + "-bit (" + lanes + " floats per operation)";
    }
}
