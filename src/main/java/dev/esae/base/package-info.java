/**
 * The base autoencoders of SPEC §2 (MLP and CNN), their training with rotation augmentation, their
 * files (PyTorch state_dict names), and ψ, the activations an SAE is trained on.
 */
package dev.esae.base;
