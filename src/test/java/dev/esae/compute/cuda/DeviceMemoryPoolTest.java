package dev.esae.compute.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The caching allocator on the emulator's memory, with a device capacity to run out of. */
class DeviceMemoryPoolTest {
    /** The emulator's memory with a fixed capacity: allocating past it fails as cuMemAlloc does. */
    private static final class SmallDevice implements DeviceRuntime {
        private final EmulatedRuntime memory;
        private final long capacity;
        private final java.util.Map<Long, Long> live = new java.util.HashMap<>();
        private long used;
        int allocations;
        int frees;

        SmallDevice(EmulatedRuntime memory, long capacity) {
            this.memory = memory;
            this.capacity = capacity;
        }

        @Override
        public String description() {
            return "small device";
        }

        @Override
        public long alloc(long bytes) {
            if (used + bytes > capacity) {
                throw new DeviceException("cuMemAlloc of " + bytes + " bytes failed: CUDA_ERROR_OUT_OF_MEMORY", true, null);
            }
            long address = memory.alloc(bytes);
            live.put(address, bytes);
            used += bytes;
            allocations++;
            return address;
        }

        @Override
        public void free(long address) {
            used -= live.remove(address);
            memory.free(address);
            frees++;
        }

        @Override
        public void copyIn(long dst, Object hostArray, long bytes) {
            memory.copyIn(dst, hostArray, bytes);
        }

        @Override
        public void copyOut(long src, Object hostArray, long bytes) {
            memory.copyOut(src, hostArray, bytes);
        }

        @Override
        public void copyDevice(long dst, long src, long bytes) {
            memory.copyDevice(dst, src, bytes);
        }

        @Override
        public void launch(String name, int gx, int gy, int gz, int bx, int by, int bz, KernelArgs args) {
            memory.launch(name, gx, gy, gz, bx, by, bz, args);
        }

        @Override
        public void synchronize() {}


        @Override
        public void close() {}
    }

    private static SmallDevice device(long capacity) {
        EmulatedRuntime rt = EmulatedRuntime.open();
        assumeTrue(rt != null, () -> "no emulator: " + EmulatedRuntime.unavailableReason());
        return new SmallDevice(rt, capacity);
    }

    @Test
    void freedBlocksAreReusedBySizeWithoutAskingTheDriver() {
        SmallDevice dev = device(1 << 20);
        try (DeviceMemoryPool pool = new DeviceMemoryPool(dev)) {
            long a = pool.allocate(1000);
            long b = pool.allocate(1000);
            assertNotEquals(a, b);
            pool.release(a);
            assertEquals(a, pool.allocate(900), "a block of the same size class comes back");
            pool.release(b);
            long big = pool.allocate(1500);
            assertNotEquals(b, big, "a cached block much smaller than the request is not used");
            assertEquals(3, dev.allocations);
            assertEquals(1024 + 1024 + 1536, pool.usage().bytesInUse() + pool.usage().bytesCached());
        }
        assertEquals(dev.allocations, dev.frees, "closing the pool frees every block");
    }

    @Test
    void whenTheDeviceIsFullTheCacheIsFreedAndTheAllocationRetried() {
        SmallDevice dev = device(64 * 1024);
        try (DeviceMemoryPool pool = new DeviceMemoryPool(dev)) {
            long[] blocks = new long[6];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = pool.allocate(8 * 1024);
            }
            for (long b : blocks) {
                pool.release(b);
            }
            // 48 KiB cached, 16 KiB free on the device: 32 KiB fits only once the cache is returned.
            long large = pool.allocate(32 * 1024);
            assertTrue(large != 0);
            assertEquals(6, dev.frees, "the cached blocks went back to the driver");
            assertEquals(0, pool.usage().bytesCached());
            DeviceException full = assertThrows(DeviceException.class, () -> pool.allocate(48 * 1024));
            assertTrue(full.outOfMemory(), full.getMessage());
        }
    }
}
