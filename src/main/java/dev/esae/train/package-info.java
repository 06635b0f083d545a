/**
 * What every trainer shares: the seeded epoch loop, checkpoints and resume, the loss history,
 * progress events, and {@link dev.esae.train.Lbfgs}, the full-batch optimiser of M and of the
 * logistic probes.
 */
package dev.esae.train;
