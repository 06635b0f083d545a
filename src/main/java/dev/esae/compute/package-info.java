/**
 * The compute layer: {@link dev.esae.compute.Backend} (every numeric operation the pipeline uses),
 * {@link dev.esae.compute.Tensor} (a backend-owned array) and the provider list that picks a backend
 * at startup ({@link dev.esae.compute.Backends}: CUDA when a usable GPU is found, else the CPU, with
 * the reason each was skipped). {@link dev.esae.compute.OpShapes} holds the shape checks both
 * backends share.
 *
 * <p>Lifetime: whoever creates a tensor ({@code zeros}, {@code upload}) owns it and closes it, usually
 * by try-with-resources; views ({@code rows}, {@code reshape}) share their parent's memory and are not
 * closed on their own. A backend is closed last, after every tensor it made.
 */
package dev.esae.compute;
