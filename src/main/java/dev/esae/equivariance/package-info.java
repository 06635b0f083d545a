/**
 * The matrix M with {@code M^p ψ(x) ≈ ψ(g^p x)} (SPEC §3): the Adam and L-BFGS fits through every
 * power, the optional cycle penalty, R² per power, the closed-form least-squares reference and the
 * transform folder's files.
 */
package dev.esae.equivariance;
