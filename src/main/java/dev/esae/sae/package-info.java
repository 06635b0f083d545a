/**
 * The five TopK SAE kinds of SPEC §4 (topk, wide, twolayer, invariant, equivariant): the model with
 * its fused sparse forward and backward, training, metrics, the spliced loss, and the SAELens folder
 * layout the weights are saved in, and the SAELens / sparsify exports of the linear-encoder kinds.
 */
package dev.esae.sae;
