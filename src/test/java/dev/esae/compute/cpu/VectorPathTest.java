package dev.esae.compute.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The float32 loops this JVM runs are the ones the build means to test. Each Surefire execution in
 * {@code pom.xml} says which it expects through {@code esae.expectVector}: {@code true} for the
 * default execution (started with {@code --add-modules jdk.incubator.vector}: SIMD through
 * {@link VectorOps}), {@code false} for the {@code scalar-cpu} execution (started without the module:
 * the scalar loops). So neither can silently run the other's path.
 */
class VectorPathTest {
    @Test
    void theJvmRunsTheLoopsThisTestExecutionExpects() {
        String expected = System.getProperty("esae.expectVector");
        assumeTrue(expected != null, "esae.expectVector is not set (not run by Maven): no expectation to check");
        boolean simd = Boolean.parseBoolean(expected);
        boolean modulePresent = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(simd, modulePresent, "jdk.incubator.vector in the boot layer, for esae.expectVector=" + expected);
        assertEquals(simd, VectorSupport.available(), "VectorSupport.available() for esae.expectVector=" + expected
                + " (" + VectorSupport.describe() + ")");
    }
}
