/**
 * {@code esae selftest}: every backend operation on fresh random inputs of awkward sizes, checked
 * against a plain double-precision reference ({@code ReferenceOps}) and, on a GPU, against the CPU
 * backend.
 */
package dev.esae.compute.check;
