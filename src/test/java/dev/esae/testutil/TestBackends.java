package dev.esae.testutil;

import dev.esae.compute.Backend;
import dev.esae.compute.cpu.CpuBackend;

/**
 * The CPU backend the tests share: one per test JVM, with the single thread the tests run native
 * libraries on (system property {@code esae.test.threads}); it lives until the JVM exits.
 */
public final class TestBackends {
    private static Backend cpu;

    private TestBackends() {}

    public static synchronized Backend cpu() {
        if (cpu == null) {
            cpu = new CpuBackend(Integer.getInteger("esae.test.threads", 1));
        }
        return cpu;
    }
}
