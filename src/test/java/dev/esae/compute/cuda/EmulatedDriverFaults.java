package dev.esae.compute.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Run in a child JVM on esae's emulated CUDA driver ({@code EmulatedDriverTest}): opens the real
 * {@link JCudaRuntime} and plants one fault of each kind the emulator checks, printing one line per
 * fault with what the runtime said. JCuda reads LD_LIBRARY_PATH only when the process starts, so
 * this cannot run inside the test JVM.
 */
public final class EmulatedDriverFaults {
    private EmulatedDriverFaults() {}

    public static void main(String[] args) {
        JCudaRuntime rt = JCudaRuntime.open(0);
        System.out.println("runtime: " + rt.getClass().getName() + " on " + rt.description());
        long block = rt.alloc(64);
        report("write outside", () -> rt.launch("fill_f32", 1, 1, 1, 32, 1, 1, KernelArgs.of().ptr(block).i64(17).f32(1f)));
        report("guard at free", () -> rt.free(block));
        long ok = rt.alloc(64);
        report("int for a pointer", () -> rt.launch("fill_f32", 1, 1, 1, 32, 1, 1, KernelArgs.of().i32(12345).i64(4).f32(1f)));
        report("unknown kernel", () -> rt.launch("no_such_kernel", 1, 1, 1, 32, 1, 1, KernelArgs.of().ptr(ok)));
        // A barrier some threads never reach: a kernel compiled into the emulator only, in a module of
        // its own (a fatbin header and the kernel's name), launched through JCuda's binding directly.
        String name = "emu_fault_early_return";
        byte[] payload = ("\0" + name + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer fatbin = ByteBuffer.allocate(16 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        fatbin.putInt(0xBA55ED50).putShort((short) 1).putShort((short) 16).putLong(payload.length).put(payload);
        CUmodule module = new CUmodule();
        CUfunction f = new CUfunction();
        rt.makeCurrent();
        System.out.println("fault module: " + CUresult.stringFor(JCudaDriver.cuModuleLoadData(module, fatbin.array())) + ", "
                + CUresult.stringFor(JCudaDriver.cuModuleGetFunction(f, module, name)));
        CUdeviceptr x = new CUdeviceptr().withByteOffset(ok);
        int r = JCudaDriver.cuLaunchKernel(f, 1, 1, 1, 32, 1, 1, 0, null, Pointer.to(Pointer.to(x)), null);
        System.out.println("unreached barrier: " + CUresult.stringFor(r));
        report("a clean launch after the faults", () -> {
            rt.launch("fill_f32", 1, 1, 1, 32, 1, 1, KernelArgs.of().ptr(ok).i64(16).f32(2f));
            float[] back = new float[16];
            rt.copyOut(ok, back, 64);
            if (back[15] != 2f) {
                throw new AssertionError("fill wrote " + back[15]);
            }
        });
        rt.free(ok);
        rt.close();
    }

    private static void report(String what, Runnable r) {
        try {
            r.run();
            System.out.println(what + ": ok");
        } catch (RuntimeException e) {
            System.out.println(what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
