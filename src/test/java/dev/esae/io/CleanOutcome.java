package dev.esae.io;

import dev.esae.InputException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * What every parser fuzz target asserts of each input: the parser returns, or throws an
 * {@link InputException} whose message is one line naming the input; and it allocates at most
 * {@link #allowance} of the input's size. Anything else (another exception, an error such as
 * {@code OutOfMemoryError} or {@code StackOverflowError}, too much memory) is a finding.
 *
 * <p>Memory is what the calling thread allocated on the heap, plus the growth of the JVM's direct
 * buffers and of whatever else the caller counts (JavaCPP's off-heap bytes for a backend). A
 * parser that trusts a header's sizes before checking them against the file allocates far more
 * than the file holds; one that checks first allocates a small multiple of it (the bytes read, a
 * copy as floats, a parsed JSON tree).
 */
final class CleanOutcome {
    /** Bytes a parser may allocate per byte of input. */
    static final long PER_INPUT_BYTE = 16;
    /** Bytes a parser may allocate on top, whatever the input (buffers, Jackson's parser, class loading). */
    static final long FIXED = 4L << 20;

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();

    /** A parser call. */
    interface Call<T> {
        T run() throws Exception;
    }

    private CleanOutcome() {}

    /** The most a parser may allocate for {@code inputBytes} bytes of input. */
    static long allowance(long inputBytes) {
        return PER_INPUT_BYTE * inputBytes + FIXED;
    }

    /**
     * Runs {@code call} on an input of {@code inputBytes} bytes whose error messages must name
     * {@code input} (a file, or the folder holding the files); its result, or null when it threw an
     * {@link InputException}.
     */
    static <T> T check(Path input, long inputBytes, Call<T> call) {
        return check(input, inputBytes, () -> 0L, call);
    }

    /** As {@link #check(Path, long, Call)}, also counting the growth of {@code otherBytes} (e.g. off-heap tensors). */
    static <T> T check(Path input, long inputBytes, LongSupplier otherBytes, Call<T> call) {
        Outcome<T> o = run(otherBytes, call);
        if (o.allocated > allowance(inputBytes)) {
            // Once more, warm: the first call of a kind also loads classes and fills caches (Jackson's
            // deserializers, the backend's kernels), which are not the input's doing.
            close(o.result);
            o = run(otherBytes, call);
            if (o.allocated > allowance(inputBytes)) {
                close(o.result);
                throw new AssertionError("allocated " + o.allocated + " bytes for " + inputBytes + " bytes of input (at most "
                        + allowance(inputBytes) + " allowed): " + (o.refused == null ? "accepted" : o.refused.getMessage()), o.refused);
            }
        }
        if (o.refused != null) {
            String m = o.refused.getMessage();
            if (m == null || m.contains("\n") || m.contains("\r") || !m.contains(input.toString())) {
                throw new AssertionError("an InputException must be one line naming " + input + ", got: " + m, o.refused);
            }
        }
        return o.result;
    }

    /** What one call gave: its result or its InputException, and the bytes it allocated. */
    private record Outcome<T>(T result, InputException refused, long allocated) {}

    private static <T> Outcome<T> run(LongSupplier otherBytes, Call<T> call) {
        long heap0 = THREADS.getCurrentThreadAllocatedBytes();
        long direct0 = DIRECT.getMemoryUsed();
        long other0 = otherBytes.getAsLong();
        T result = null;
        InputException refused = null;
        try {
            result = call.run();
        } catch (InputException e) {
            refused = e;
        } catch (Throwable t) {
            // Thrown as it is, so that Jazzer reports (and deduplicates) it by its own stack trace.
            throw sneaky(t);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - heap0 + Math.max(0, DIRECT.getMemoryUsed() - direct0)
                + Math.max(0, otherBytes.getAsLong() - other0);
        return new Outcome<>(result, refused, allocated);
    }

    private static void close(Object result) {
        if (result instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new AssertionError("closing " + result, e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
