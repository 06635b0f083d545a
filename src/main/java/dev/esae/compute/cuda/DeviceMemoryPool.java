package dev.esae.compute.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching allocator over a {@link DeviceRuntime}: freed blocks are kept by size and handed out
 * again, so a training step allocates nothing from the driver after its first step. Reuse is safe
 * without synchronising because every launch and copy runs on the runtime's one stream, in order.
 *
 * <p>Sizes round up to 512 bytes (to 1 MiB above 16 MiB), and a request takes a cached block of
 * at most 1.25× its size. When the device is full, the cache is freed and the allocation retried.
 */
final class DeviceMemoryPool implements AutoCloseable {
    private static final long SMALL = 512;
    private static final long LARGE = 1L << 20;

    private final DeviceRuntime runtime;
    private final TreeMap<Long, ArrayDeque<Long>> cached = new TreeMap<>();
    private final Map<Long, Long> blockSize = new HashMap<>();
    private long bytesInUse;
    private long bytesCached;
    private long driverAllocations;

    DeviceMemoryPool(DeviceRuntime runtime) {
        this.runtime = runtime;
    }

    static long roundUp(long bytes) {
        long unit = bytes > 16 * LARGE ? LARGE : SMALL;
        return Math.max(unit, (bytes + unit - 1) / unit * unit);
    }

    synchronized long allocate(long bytes) {
        long size = roundUp(bytes);
        Map.Entry<Long, ArrayDeque<Long>> hit = cached.ceilingEntry(size);
        if (hit != null && hit.getKey() <= size + size / 4) {
            long address = hit.getValue().pop();
            if (hit.getValue().isEmpty()) {
                cached.remove(hit.getKey());
            }
            bytesCached -= hit.getKey();
            bytesInUse += hit.getKey();
            return address;
        }
        long address;
        try {
            address = runtime.alloc(size);
        } catch (DeviceException e) {
            if (!e.outOfMemory() || bytesCached == 0) {
                throw e;
            }
            trim();
            address = runtime.alloc(size);
        }
        driverAllocations++;
        blockSize.put(address, size);
        bytesInUse += size;
        return address;
    }

    synchronized void release(long address) {
        Long size = blockSize.get(address);
        if (size == null) {
            throw new IllegalStateException("device block " + Long.toHexString(address) + " is not from this pool");
        }
        cached.computeIfAbsent(size, s -> new ArrayDeque<>()).push(address);
        bytesInUse -= size;
        bytesCached += size;
    }

    /** Returns every cached block to the driver. */
    synchronized void trim() {
        for (ArrayDeque<Long> blocks : cached.values()) {
            for (long address : blocks) {
                runtime.free(address);
                blockSize.remove(address);
            }
        }
        cached.clear();
        bytesCached = 0;
    }

    /**
     * What the pool holds, read at one instant.
     *
     * @param bytesInUse device memory held by live tensors
     * @param bytesCached freed blocks kept for reuse
     * @param driverAllocations how many times the pool asked the driver for memory (flat once training reaches its steady state)
     */
    record Usage(long bytesInUse, long bytesCached, long driverAllocations) {}

    /** The pool's usage, under its lock (one consistent snapshot). */
    synchronized Usage usage() {
        return new Usage(bytesInUse, bytesCached, driverAllocations);
    }

    /** Frees everything, in use or not (the backend is closing). */
    @Override
    public synchronized void close() {
        trim();
        for (long address : blockSize.keySet()) {
            runtime.free(address);
        }
        blockSize.clear();
        bytesInUse = 0;
    }
}
