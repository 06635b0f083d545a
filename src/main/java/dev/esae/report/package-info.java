/**
 * What a study shows: the sparsity/reconstruction frontier (SPEC §6), the feature atlas (SPEC §7),
 * charts, the paper's claims checked from the study's own outputs ({@link dev.esae.report.PaperClaims}),
 * the choice of M for the equivariant SAE, and report.json / report.md / report.html (one
 * {@link dev.esae.report.ReportDocument} rendered twice) over the study's folder layout.
 */
package dev.esae.report;
