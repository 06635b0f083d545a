// The host emulator's core, shared by its two front ends: the JNI library the tests load
// (emu_runtime.cpp, dev.esae.compute.cuda.EmulatedRuntime) and the emulated CUDA driver
// libcuda.so.1 (emu_driver.cpp) that JCuda's own native binding loads. Memory with guard bands
// (writes outside an allocation are reported after the launch that made them), new memory filled
// with NaN bytes, a memory budget (so out-of-memory paths can be hit), and launches by kernel name.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace emu {

// A kernel's parameters as its C signature declares them.
struct Signature {
    std::vector<int> sizes;     // bytes of each parameter
    std::vector<bool> pointer;  // whether each parameter is a pointer (a device address)
};

// The kernel called name, or nullptr.
const Signature* signature(const std::string& name);

// A new allocation (NaN bytes inside, guard bytes around); 0 when the budget or the host is out of memory.
uintptr_t alloc(size_t bytes);
// Frees an allocation; an error when it is none, or its guards were overwritten.
std::string release(uintptr_t address);
// "" when [address, address + bytes) lies inside one allocation, else an error naming what.
std::string checkRange(uintptr_t address, size_t bytes, const char* what);
// Bytes allocated now, and the budget (ESAE_EMU_MEMORY_MB, default 512 MiB).
size_t used();
size_t budget();

// Runs kernel name on the grid; params[i] points at parameter i's bytes. sizes, when given,
// are the launch's own idea of each parameter's size and are checked against the signature; the
// driver API passes none, and then pointer parameters are checked to be device addresses instead.
// "" on success, else what went wrong (wrong argument, barrier not reached, write out of bounds).
std::string launch(const std::string& name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                   void** params, const int* sizes, int count);

}  // namespace emu
