// An emulated CUDA driver: libcuda.so.1 with the driver API calls esae makes through JCuda,
// implemented on the host emulator of kernels/*.cu (emu_core.h). With this library first on
// LD_LIBRARY_PATH, JCuda's own native binding (libJCudaDriver) loads it as it would NVIDIA's, so
// the real JCudaRuntime, the fatbin loading, the kernel-parameter packing and the memory pool run
// without a GPU. Every other symbol JCuda imports is a stub returning CUDA_ERROR_NOT_SUPPORTED
// (driver_stubs.inc, generated from the binding's import table by build-emulator.sh).
//
// It shows one device, named so that no one takes it for a GPU, with a compute capability the
// fatbins carry (sm_90) and a small memory (ESAE_EMU_MEMORY_MB, default 512 MiB). Launches run at
// once, in order, on the calling thread; a fault in one (a write outside an allocation, a pointer
// argument that is no device address, a __syncthreads() not reached by the whole block) is printed
// on stderr as "esae emulator: ..." and returned as the error a GPU would give.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "emu_core.h"

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef void* CUcontext;
typedef void* CUstream;

namespace {

enum : CUresult {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_IMAGE = 200,
    CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_INVALID_HANDLE = 400,
    CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_ILLEGAL_ADDRESS = 700,
    CUDA_ERROR_LAUNCH_FAILED = 719,
    CUDA_ERROR_NOT_SUPPORTED = 801,
};

const char kDeviceName[] = "esae host emulator (not a GPU)";
const int kMajor = 9, kMinor = 0;  // sm_90: the fatbins carry SASS for it
const int kDriverVersion = 13000;  // what nvcc 13's fatbins need

struct Module {
    std::vector<unsigned char> image;
    std::map<std::string, std::string*> functions;  // name -> the name, kept alive as the CUfunction handle
};

std::mutex lock;  // JCuda may call from several threads; the emulator's state is global
bool initialised = false;
int contextToken, streamToken;

CUresult fault(CUresult code, const std::string& what) {
    std::fprintf(stderr, "esae emulator: %s\n", what.c_str());
    std::fflush(stderr);
    return code;
}

// A launch error names what went wrong; map it to the code a GPU would return.
CUresult launchFault(const std::string& error) {
    if (error.find("wrote outside") != std::string::npos) return fault(CUDA_ERROR_ILLEGAL_ADDRESS, error);
    if (error.find("argument") != std::string::npos || error.find("launch shape") != std::string::npos) {
        return fault(CUDA_ERROR_INVALID_VALUE, error);
    }
    return fault(CUDA_ERROR_LAUNCH_FAILED, error);
}

// The bytes of a fatbin: a 16-byte header (magic 0xBA55ED50, version, header size, payload size), then the payload.
bool fatbinBytes(const void* image, std::vector<unsigned char>& out) {
    const unsigned char* p = static_cast<const unsigned char*>(image);
    uint32_t magic;
    uint16_t headerSize;
    uint64_t payload;
    std::memcpy(&magic, p, 4);
    std::memcpy(&headerSize, p + 6, 2);
    std::memcpy(&payload, p + 8, 8);
    if (magic != 0xBA55ED50u || headerSize < 16 || payload > (1ull << 32)) return false;
    out.assign(p, p + headerSize + payload);
    return true;
}

bool contains(const std::vector<unsigned char>& bytes, const std::string& name) {
    // The kernel's name as the ELF string table holds it: NUL before and after.
    std::string needle = std::string(1, '\0') + name + std::string(1, '\0');
    return std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end()) != bytes.end();
}

const char* errorName(CUresult code) {
    switch (code) {
        case CUDA_SUCCESS: return "CUDA_SUCCESS";
        case CUDA_ERROR_INVALID_VALUE: return "CUDA_ERROR_INVALID_VALUE";
        case CUDA_ERROR_OUT_OF_MEMORY: return "CUDA_ERROR_OUT_OF_MEMORY";
        case CUDA_ERROR_NOT_INITIALIZED: return "CUDA_ERROR_NOT_INITIALIZED";
        case CUDA_ERROR_INVALID_DEVICE: return "CUDA_ERROR_INVALID_DEVICE";
        case CUDA_ERROR_INVALID_IMAGE: return "CUDA_ERROR_INVALID_IMAGE";
        case CUDA_ERROR_INVALID_CONTEXT: return "CUDA_ERROR_INVALID_CONTEXT";
        case CUDA_ERROR_INVALID_HANDLE: return "CUDA_ERROR_INVALID_HANDLE";
        case CUDA_ERROR_NOT_FOUND: return "CUDA_ERROR_NOT_FOUND";
        case CUDA_ERROR_ILLEGAL_ADDRESS: return "CUDA_ERROR_ILLEGAL_ADDRESS";
        case CUDA_ERROR_LAUNCH_FAILED: return "CUDA_ERROR_LAUNCH_FAILED";
        case CUDA_ERROR_NOT_SUPPORTED: return "CUDA_ERROR_NOT_SUPPORTED";
        default: return nullptr;
    }
}

}  // namespace

#define GUARD()                                           \
    std::lock_guard<std::mutex> hold(lock);               \
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED

extern "C" {

CUresult cuInit(unsigned int flags) {
    std::lock_guard<std::mutex> hold(lock);
    if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
    initialised = true;
    return CUDA_SUCCESS;
}

CUresult cuDriverGetVersion(int* version) {
    if (version == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *version = kDriverVersion;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int* count) {
    GUARD();
    *count = 1;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    GUARD();
    if (ordinal != 0) return CUDA_ERROR_INVALID_DEVICE;
    *device = 0;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetName(char* name, int length, CUdevice device) {
    GUARD();
    if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (name == nullptr || length < 1) return CUDA_ERROR_INVALID_VALUE;
    std::snprintf(name, length, "%s", kDeviceName);
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int* value, int attribute, CUdevice device) {
    GUARD();
    if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
    switch (attribute) {
        case 1: *value = 1024; break;                // max threads per block
        case 2: case 3: *value = 1024; break;        // max block dim x, y
        case 4: *value = 64; break;                  // max block dim z
        case 5: *value = 0x7fffffff; break;          // max grid dim x
        case 6: case 7: *value = 65535; break;       // max grid dim y, z
        case 8: *value = 48 * 1024; break;           // shared memory per block
        case 10: *value = 32; break;                 // warp size
        case 16: *value = 1; break;                  // multiprocessors
        case 75: *value = kMajor; break;             // compute capability major
        case 76: *value = kMinor; break;             // compute capability minor
        default: *value = 0;
    }
    return CUDA_SUCCESS;
}

CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice device) {
    GUARD();
    if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
    *bytes = emu::budget();
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(CUcontext* context, CUdevice device) {
    GUARD();
    if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
    *context = &contextToken;
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) {
    GUARD();
    return device == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}

CUresult cuCtxSetCurrent(CUcontext context) {
    GUARD();
    return context == nullptr || context == &contextToken ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT;
}

CUresult cuCtxGetCurrent(CUcontext* context) {
    GUARD();
    *context = &contextToken;
    return CUDA_SUCCESS;
}

CUresult cuCtxSynchronize() {
    GUARD();
    return CUDA_SUCCESS;
}

CUresult cuStreamCreate(CUstream* stream, unsigned int) {
    GUARD();
    *stream = &streamToken;
    return CUDA_SUCCESS;
}

CUresult cuStreamDestroy_v2(CUstream stream) {
    GUARD();
    return stream == &streamToken ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

// Launches ran when they were made: a stream has nothing left to wait for.
CUresult cuStreamSynchronize(CUstream stream) {
    GUARD();
    return stream == nullptr || stream == &streamToken ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

CUresult cuMemAlloc_v2(CUdeviceptr* address, size_t bytes) {
    GUARD();
    if (address == nullptr || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    uintptr_t a = emu::alloc(bytes);
    if (a == 0) return CUDA_ERROR_OUT_OF_MEMORY;
    *address = a;
    return CUDA_SUCCESS;
}

CUresult cuMemFree_v2(CUdeviceptr address) {
    GUARD();
    std::string error = emu::release((uintptr_t)address);
    if (error.empty()) return CUDA_SUCCESS;
    return fault(error.find("guard") != std::string::npos ? CUDA_ERROR_ILLEGAL_ADDRESS : CUDA_ERROR_INVALID_VALUE, "cuMemFree: " + error);
}

CUresult cuMemGetInfo_v2(size_t* free, size_t* total) {
    GUARD();
    *total = emu::budget();
    *free = emu::budget() - emu::used();
    return CUDA_SUCCESS;
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t bytes) {
    GUARD();
    std::string error = emu::checkRange((uintptr_t)dst, bytes, "cuMemcpyHtoD destination");
    if (!error.empty()) return fault(CUDA_ERROR_INVALID_VALUE, error);
    std::memcpy(reinterpret_cast<void*>(dst), src, bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t bytes) {
    GUARD();
    std::string error = emu::checkRange((uintptr_t)src, bytes, "cuMemcpyDtoH source");
    if (!error.empty()) return fault(CUDA_ERROR_INVALID_VALUE, error);
    std::memcpy(dst, reinterpret_cast<void*>(src), bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream) {
    GUARD();
    std::string error = emu::checkRange((uintptr_t)dst, bytes, "cuMemcpyDtoD destination");
    if (error.empty()) error = emu::checkRange((uintptr_t)src, bytes, "cuMemcpyDtoD source");
    if (!error.empty()) return fault(CUDA_ERROR_INVALID_VALUE, error);
    std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes) { return cuMemcpyDtoDAsync_v2(dst, src, bytes, nullptr); }

CUresult cuModuleLoadData(void** module, const void* image) {
    GUARD();
    if (module == nullptr || image == nullptr) return CUDA_ERROR_INVALID_VALUE;
    Module* m = new Module();
    if (!fatbinBytes(image, m->image)) {
        delete m;
        return fault(CUDA_ERROR_INVALID_IMAGE, "cuModuleLoadData: not a fatbin (no 0xBA55ED50 header)");
    }
    *module = m;
    return CUDA_SUCCESS;
}

CUresult cuModuleUnload(void* module) {
    GUARD();
    Module* m = static_cast<Module*>(module);
    if (m == nullptr) return CUDA_ERROR_INVALID_HANDLE;
    for (auto& [name, handle] : m->functions) delete handle;
    delete m;
    return CUDA_SUCCESS;
}

// A function is found when the module's fatbin names it and the emulator has compiled it.
CUresult cuModuleGetFunction(void** function, void* module, const char* name) {
    GUARD();
    Module* m = static_cast<Module*>(module);
    if (m == nullptr || function == nullptr || name == nullptr) return CUDA_ERROR_INVALID_VALUE;
    auto known = m->functions.find(name);
    if (known != m->functions.end()) {
        *function = known->second;
        return CUDA_SUCCESS;
    }
    if (!contains(m->image, name) || emu::signature(name) == nullptr) return CUDA_ERROR_NOT_FOUND;
    std::string* handle = new std::string(name);
    m->functions[name] = handle;
    *function = handle;
    return CUDA_SUCCESS;
}

CUresult cuLaunchKernel(void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned sharedBytes, CUstream, void** params, void** extra) {
    GUARD();
    if (function == nullptr) return CUDA_ERROR_INVALID_HANDLE;
    const std::string& name = *static_cast<std::string*>(function);
    if (extra != nullptr) return fault(CUDA_ERROR_NOT_SUPPORTED, name + ": launch with 'extra' parameters (the emulator takes kernelParams)");
    if (sharedBytes != 0) return fault(CUDA_ERROR_NOT_SUPPORTED, name + ": dynamic shared memory");
    const emu::Signature* sig = emu::signature(name);
    if (params == nullptr && !sig->sizes.empty()) return fault(CUDA_ERROR_INVALID_VALUE, name + ": no kernelParams");
    std::string error = emu::launch(name, gx, gy, gz, bx, by, bz, params, nullptr, (int)sig->sizes.size());
    return error.empty() ? CUDA_SUCCESS : launchFault(error);
}

CUresult cuGetErrorName(CUresult code, const char** name) {
    const char* n = errorName(code);
    if (n == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *name = n;
    return CUDA_SUCCESS;
}

CUresult cuGetErrorString(CUresult code, const char** text) { return cuGetErrorName(code, text); }

#include "driver_stubs.inc"

}  // extern "C"
