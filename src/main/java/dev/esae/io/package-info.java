/**
 * Files: .npy, safetensors, PNG and JSON readers and writers, and atomic writes (a temporary name,
 * then a rename), so that a crash never leaves a half file. Readers check what they read and throw
 * {@link dev.esae.InputException} naming the file.
 */
package dev.esae.io;
