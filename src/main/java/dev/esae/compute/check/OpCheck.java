package dev.esae.compute.check;

/**
 * One row of the self-test: an operation at one size, the error against the reference, the
 * tolerance it must stay within, and the output the backend produced (for comparing backends).
 * {@code error} is the largest absolute difference divided by the largest reference magnitude (a
 * norm-wise relative error); exact operations have tolerance 0.
 */
public record OpCheck(String op, String case_, double error, double tolerance, double[] output) {
    public boolean passed() {
        return error <= tolerance;
    }
}
