package dev.esae.train;

/**
 * The curvature pairs {@code (s, y)} L-BFGS keeps and the product {@code −H g} they define, with
 * {@code H} the limited-memory inverse-Hessian estimate scaled by {@code s·y / y·y} of the newest
 * pair (the identity when there is none). {@link TwoLoopMemory} keeps the pairs on the host in
 * double and runs the classic two-loop recursion; {@link CompactCurvatureMemory} keeps them on a
 * compute backend in float and forms the same product from two matrix products.
 */
public interface CurvatureMemory extends AutoCloseable {
    /** Pairs kept now. */
    int size();

    /** Forgets every pair (L-BFGS restarts from steepest descent). */
    void clear();

    /** Writes {@code −H g} into {@code dir}. */
    void direction(double[] g, double[] dir);

    /**
     * Keeps the pair of the last step, the oldest pair making room when full. The caller has
     * checked the curvature ({@code sy} > 0) and passes {@code s·y} and {@code y·y} in double;
     * the memory may keep {@code s} and {@code y} (it must not change them).
     */
    void add(double[] s, double[] y, double sy, double yy);

    /** Releases what the memory holds off the Java heap; idempotent. */
    @Override
    default void close() {}
}
