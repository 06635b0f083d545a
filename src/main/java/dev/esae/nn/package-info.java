/**
 * Layers with hand-written backward passes (Linear, Conv2d, ConvTranspose2d, ReLU, Sequential), their
 * parameters and Adam, all on a {@link dev.esae.compute.Backend}; initialised as PyTorch does.
 * Gradients are checked against finite differences in double precision by the tests.
 */
package dev.esae.nn;
