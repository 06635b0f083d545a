/**
 * esae: equivariant sparse autoencoders (Erdogan &amp; Lucic, 2025) on the JVM. The packages follow the
 * pipeline, each using only those before it: {@code data} (shapes dataset, rotation group) →
 * {@code base} (MLP/CNN autoencoders, activations ψ) → {@code equivariance} (the matrix M) →
 * {@code sae} (TopK SAEs) → {@code probe} (180 probing tasks) → {@code report} (frontier, claims,
 * atlas, study report); {@code compute} (backends, tensors, kernels), {@code nn}, {@code train} and
 * {@code io} lie beneath them and {@code cli} above. {@link dev.esae.InputException} is the one
 * exception that means "bad input": the CLI turns it into one line and exit code 2.
 */
package dev.esae;
