package dev.esae.compute.cuda;

/**
 * What {@link CudaBackend} needs from a device: memory by address, copies, and kernel launches by
 * name. {@link JCudaRuntime} is the real one (CUDA driver API); the tests also run the backend on
 * a host emulator of the same kernels, so that everything above the driver calls is checked on
 * machines without a GPU.
 *
 * <p>Failures throw {@link DeviceException}.
 */
public interface DeviceRuntime extends AutoCloseable {
    /** One line: the device, driver and compiler facts. */
    String description();

    /** Allocates {@code bytes} of device memory (content undefined) and returns its address. */
    long alloc(long bytes);

    /** Frees memory returned by {@link #alloc}. */
    void free(long address);

    /** Copies {@code bytes} from the start of a {@code float[]}, {@code int[]} or {@code double[]} to the device. */
    void copyIn(long dst, Object hostArray, long bytes);

    /** Copies {@code bytes} from the device into the start of a primitive array, after queued work. */
    void copyOut(long src, Object hostArray, long bytes);

    /** Device-to-device copy, ordered with the launches. */
    void copyDevice(long dst, long src, long bytes);

    /** Queues kernel {@code name} on the runtime's stream. */
    void launch(String name, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, KernelArgs args);

    /** Waits for all queued work; reports an asynchronous kernel failure. */
    void synchronize();


    @Override
    void close();
}
