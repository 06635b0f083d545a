package dev.esae.compute.cuda;

import static jcuda.driver.CUresult.CUDA_ERROR_NOT_FOUND;
import static jcuda.driver.CUresult.CUDA_ERROR_OUT_OF_MEMORY;
import static jcuda.driver.CUresult.CUDA_SUCCESS;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA driver API through JCuda: the device's primary context, one stream for every launch,
 * the kernel modules loaded from the fatbins in the jar ({@code cuModuleLoadData}; the driver
 * picks the SASS for the device or JITs the PTX), and checked calls.
 *
 * <p>Launch errors that the driver reports at once throw here; errors inside a kernel surface at
 * the next {@link #synchronize()} or copy to the host. With {@code ESAE_CUDA_SYNC=1} every launch
 * is followed by a synchronisation, so a failure names its kernel.
 */
public final class JCudaRuntime implements DeviceRuntime {
    private final CUcontext context = new CUcontext();
    private final CUdevice device = new CUdevice();
    private final CUstream stream = new CUstream();
    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final boolean syncEachLaunch = "1".equals(System.getenv("ESAE_CUDA_SYNC"));
    private final String description;
    private boolean closed;

    /** An address-carrying device pointer: JCuda keeps the address in a protected field. */
    private static final class Address extends CUdeviceptr {
        long value() {
            return getNativePointer() + getByteOffset();
        }
    }

    private JCudaRuntime(int ordinal) {
        JCudaDriver.setExceptionsEnabled(false);
        check(JCudaDriver.cuInit(0), "cuInit");
        check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet " + ordinal);
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        makeCurrent();
        check(JCudaDriver.cuStreamCreate(stream, 0), "cuStreamCreate");
        String device = CudaBackendProvider.describeDevice(this.device);
        CudaKernels.Manifest manifest = CudaKernels.manifest();
        for (String module : manifest.modules()) {
            CUmodule m = new CUmodule();
            check(JCudaDriver.cuModuleLoadData(m, CudaKernels.fatbin(module)),
                    "loading kernel module " + module + " (built for " + manifest.archs() + ") on " + device);
            modules.add(m);
        }
        description = device + ", driver CUDA " + CudaBackendProvider.driverVersion() + ", kernels by nvcc " + manifest.nvcc();
    }

    /** Opens device {@code ordinal}; throws {@link DeviceException} saying what failed. */
    public static JCudaRuntime open(int ordinal) {
        return new JCudaRuntime(ordinal);
    }

    static void check(int result, String what) {
        if (result != CUDA_SUCCESS) {
            throw new DeviceException(what + " failed: " + CUresult.stringFor(result), result == CUDA_ERROR_OUT_OF_MEMORY, null);
        }
    }

    /** JCuda calls act on the calling thread's current context, so each entry point sets it. */
    void makeCurrent() {
        if (closed) {
            throw new IllegalStateException("the CUDA runtime is closed");
        }
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    static CUdeviceptr at(long address) {
        return new CUdeviceptr().withByteOffset(address);
    }

    CUstream stream() {
        return stream;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public synchronized long alloc(long bytes) {
        makeCurrent();
        Address p = new Address();
        check(JCudaDriver.cuMemAlloc(p, bytes), "cuMemAlloc of " + bytes + " bytes");
        return p.value();
    }

    @Override
    public synchronized void free(long address) {
        makeCurrent();
        check(JCudaDriver.cuMemFree(at(address)), "cuMemFree");
    }

    private static Pointer host(Object array) {
        if (array instanceof float[] f) {
            return Pointer.to(f);
        } else if (array instanceof int[] i) {
            return Pointer.to(i);
        } else if (array instanceof double[] d) {
            return Pointer.to(d);
        }
        throw new IllegalArgumentException("not a float[], int[] or double[]: " + array);
    }

    @Override
    public synchronized void copyIn(long dst, Object hostArray, long bytes) {
        makeCurrent();
        // A synchronous copy on the legacy stream waits for the launches queued on ours (created
        // blocking), so it never overwrites memory a queued kernel still reads.
        check(JCudaDriver.cuMemcpyHtoD(at(dst), host(hostArray), bytes), "copy to the device");
    }

    @Override
    public synchronized void copyOut(long src, Object hostArray, long bytes) {
        makeCurrent();
        check(JCudaDriver.cuStreamSynchronize(stream), "a kernel before the copy to the host");
        check(JCudaDriver.cuMemcpyDtoH(host(hostArray), at(src), bytes), "copy to the host");
    }

    @Override
    public synchronized void copyDevice(long dst, long src, long bytes) {
        makeCurrent();
        check(JCudaDriver.cuMemcpyDtoDAsync(at(dst), at(src), bytes, stream), "device copy");
    }

    private CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f != null) {
            return f;
        }
        for (CUmodule m : modules) {
            CUfunction candidate = new CUfunction();
            int r = JCudaDriver.cuModuleGetFunction(candidate, m, name);
            if (r == CUDA_SUCCESS) {
                functions.put(name, candidate);
                return candidate;
            }
            if (r != CUDA_ERROR_NOT_FOUND) {
                check(r, "looking up kernel " + name);
            }
        }
        throw new DeviceException("kernel " + name + " is in none of the modules " + CudaKernels.manifest().modules());
    }

    @Override
    public synchronized void launch(String name, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                                    KernelArgs args) {
        makeCurrent();
        Pointer[] params = new Pointer[args.count()];
        for (int i = 0; i < params.length; i++) {
            params[i] = args.size(i) == 4 ? Pointer.to(new int[] {(int) args.bits(i)}) : Pointer.to(new long[] {args.bits(i)});
        }
        check(JCudaDriver.cuLaunchKernel(function(name), gridX, gridY, gridZ, blockX, blockY, blockZ, 0, stream,
                Pointer.to(params), null), "launching " + name);
        if (syncEachLaunch) {
            check(JCudaDriver.cuStreamSynchronize(stream), "kernel " + name);
        }
    }

    @Override
    public synchronized void synchronize() {
        makeCurrent();
        check(JCudaDriver.cuStreamSynchronize(stream), "queued kernels");
    }


    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        makeCurrent();
        JCudaDriver.cuStreamSynchronize(stream);
        for (CUmodule m : modules) {
            JCudaDriver.cuModuleUnload(m);
        }
        JCudaDriver.cuStreamDestroy(stream);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
        closed = true;
    }
}
