/**
 * The 180 probing tasks of SPEC §5 and their probes (kNN, L-BFGS logistic regression, XGBoost4J):
 * the probe set seen at random powers of g, truncation to the L most discriminative latents, the
 * three probe inputs (latents, truncated reconstructions, ψ), F1 and the group summaries.
 */
package dev.esae.probe;
