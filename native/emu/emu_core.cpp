// The emulator's core (emu_core.h): fibers for the threads of a block (x86-64), the kernel table built from
// the sources themselves, guarded memory and launches.
#include "emu_core.h"


#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "emu.h"

EmuDim3 threadIdx, blockIdx, blockDim, gridDim;

// Every kernel, declared by including the sources themselves.
#include "kernels_all.inc"

namespace {

enum class FiberState { Ready, AtBarrier, Done };

// Switching fibers saves the callee-saved registers and the stack pointer of one and restores
// another's (the System V x86-64 ABI leaves every other register to the caller). ucontext's
// swapcontext would do the same plus a sigprocmask system call per switch, which made the
// emulator spend most of its time in the kernel: a block of 256 threads switches at least 512
// times per launch.
extern "C" void emu_switch(void** save, void* load);
asm(R"(
    .text
    .globl emu_switch
    .type emu_switch, @function
emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch, .-emu_switch
)");

const size_t kStackBytes = 128 * 1024;
void* scheduler = nullptr;
std::vector<void*> fibers;  // each fiber's saved stack pointer
std::vector<std::vector<char>> stacks;
std::vector<FiberState> states;
int current = 0;
std::function<void()> body;

// A fiber starts here (emu_switch "returns" into it) and, once its thread is done, switches back
// to the scheduler for good.
[[noreturn]] void fiberMain() {
    body();
    states[current] = FiberState::Done;
    void* dead;
    emu_switch(&dead, scheduler);
    __builtin_unreachable();
}

// A fresh fiber's stack: the six registers emu_switch pops, then fiberMain as the return address,
// placed so that fiberMain starts with the stack aligned as after a call.
void* freshStack(std::vector<char>& stack) {
    uintptr_t top = reinterpret_cast<uintptr_t>(stack.data() + stack.size()) & ~uintptr_t(15);
    void** sp = reinterpret_cast<void**>(top - 16);  // [sp] = return address, 16-byte aligned; [sp+8] = padding
    sp[0] = reinterpret_cast<void*>(&fiberMain);
    sp[1] = nullptr;
    sp -= 6;  // r15, r14, r13, r12, rbx, rbp
    for (int i = 0; i < 6; i++) sp[i] = nullptr;
    return sp;
}

std::string runBlock(int threads) {
    if ((int)fibers.size() < threads) {
        fibers.resize(threads);
        stacks.resize(threads);
        states.resize(threads);
    }
    for (int t = 0; t < threads; t++) {
        stacks[t].resize(kStackBytes);
        fibers[t] = freshStack(stacks[t]);
        states[t] = FiberState::Ready;
    }
    for (;;) {
        int done = 0;
        int waiting = 0;
        for (int t = 0; t < threads; t++) {
            if (states[t] == FiberState::Done) {
                done++;
                continue;
            }
            threadIdx.x = t % blockDim.x;
            threadIdx.y = (t / blockDim.x) % blockDim.y;
            threadIdx.z = t / (blockDim.x * blockDim.y);
            current = t;
            states[t] = FiberState::Ready;
            emu_switch(&scheduler, fibers[t]);
            if (states[t] == FiberState::Done) {
                done++;
            } else {
                waiting++;
            }
        }
        if (waiting == 0) {
            return "";
        }
        if (done > 0) {
            return "__syncthreads() not reached by every thread of the block (" + std::to_string(done) +
                   " threads had returned, " + std::to_string(waiting) + " waited)";
        }
    }
}

// ---- kernels by name ----

struct Kernel {
    emu::Signature signature;
    std::function<void(void**)> call;
};

template <typename... A, size_t... I>
void invoke(void (*f)(A...), void** params, std::index_sequence<I...>) {
    f(*static_cast<std::remove_cv_t<A>*>(params[I])...);
}

template <typename... A>
Kernel describe(void (*f)(A...)) {
    return Kernel{{{(int)sizeof(A)...}, {std::is_pointer<A>::value...}},
                  [f](void** params) { invoke(f, params, std::index_sequence_for<A...>{}); }};
}

const std::map<std::string, Kernel>& kernels() {
    static const std::map<std::string, Kernel> table = {
#define ESAE_KERNEL(name) {#name, describe(&name)},
#include "kernels_list.inc"
#undef ESAE_KERNEL
    };
    return table;
}

// ---- memory ----

const size_t kGuard = 256;
const unsigned char kGuardByte = 0xA5;
std::map<uintptr_t, size_t> blocks;  // user address -> user size

bool guardsIntact(uintptr_t user, size_t size) {
    const unsigned char* base = reinterpret_cast<const unsigned char*>(user - kGuard);
    for (size_t i = 0; i < kGuard; i++) {
        if (base[i] != kGuardByte || base[kGuard + size + i] != kGuardByte) return false;
    }
    return true;
}

std::string checkGuards(const std::string& after) {
    for (auto& [user, size] : blocks) {
        if (!guardsIntact(user, size)) {
            return after + " wrote outside an allocation of " + std::to_string(size) + " bytes";
        }
    }
    return "";
}

// Whether address lies in an allocation or one past its end (a pointer to an empty range).
bool inside(uintptr_t address) {
    auto it = blocks.upper_bound(address);
    if (it == blocks.begin()) return false;
    --it;
    return address >= it->first && address <= it->first + it->second;
}

// The allocation holding [address, address + bytes), or an error.
std::string checkRange(uintptr_t address, size_t bytes, const char* what) {
    auto it = blocks.upper_bound(address);
    if (it != blocks.begin()) {
        --it;
        if (address >= it->first && address + bytes <= it->first + it->second) return "";
    }
    return std::string(what) + ": " + std::to_string(bytes) + " bytes at an address outside every allocation";
}

}  // namespace


void __syncthreads() {
    states[current] = FiberState::AtBarrier;
    emu_switch(&fibers[current], scheduler);
}

namespace emu {

const Signature* signature(const std::string& name) {
    auto found = kernels().find(name);
    return found == kernels().end() ? nullptr : &found->second.signature;
}

size_t budget() {
    static const size_t bytes = [] {
        const char* mb = std::getenv("ESAE_EMU_MEMORY_MB");
        long v = mb == nullptr ? 0 : std::atol(mb);
        return (size_t)(v > 0 ? v : 512) << 20;
    }();
    return bytes;
}

size_t used() {
    size_t sum = 0;
    for (auto& [user, size] : blocks) sum += size;
    return sum;
}

uintptr_t alloc(size_t bytes) {
    if (used() + bytes > budget()) return 0;
    unsigned char* raw = static_cast<unsigned char*>(std::malloc(bytes + 2 * kGuard));
    if (raw == nullptr) return 0;
    std::memset(raw, kGuardByte, kGuard);
    std::memset(raw + kGuard, 0xFF, bytes);  // NaN in every float, -1 in every int
    std::memset(raw + kGuard + bytes, kGuardByte, kGuard);
    uintptr_t user = reinterpret_cast<uintptr_t>(raw + kGuard);
    blocks[user] = bytes;
    return user;
}

std::string release(uintptr_t address) {
    auto it = blocks.find(address);
    if (it == blocks.end()) return "free of an address that is not an allocation";
    std::string error = guardsIntact(it->first, it->second) ? "" : "an allocation's guard bytes were overwritten";
    std::free(reinterpret_cast<unsigned char*>(it->first - kGuard));
    blocks.erase(it);
    return error;
}

std::string checkRange(uintptr_t address, size_t bytes, const char* what) { return ::checkRange(address, bytes, what); }

std::string launch(const std::string& name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                   void** params, const int* sizes, int count) {
    auto found = kernels().find(name);
    if (found == kernels().end()) return "no kernel named " + name;
    const Kernel& kernel = found->second;
    const Signature& sig = kernel.signature;
    if (sizes != nullptr) {
        if ((size_t)count != sig.sizes.size()) {
            return name + " takes " + std::to_string(sig.sizes.size()) + " arguments, launched with " + std::to_string(count);
        }
        for (int i = 0; i < count; i++) {
            if (sizes[i] != sig.sizes[i]) {
                return name + ": argument " + std::to_string(i) + " is " + std::to_string(sig.sizes[i]) + " bytes in the kernel, " +
                       std::to_string(sizes[i]) + " in the launch";
            }
        }
    } else {
        // The driver API passes no sizes: a pointer parameter must at least hold a device address.
        for (size_t i = 0; i < sig.pointer.size(); i++) {
            if (!sig.pointer[i]) continue;
            uintptr_t value;
            std::memcpy(&value, params[i], sizeof value);
            if (!inside(value)) {
                return name + ": argument " + std::to_string(i) + " is a pointer in the kernel, but its value is not a device address";
            }
        }
    }
    if (gx < 1 || gy < 1 || gz < 1 || bx < 1 || by < 1 || bz < 1 || (unsigned long)bx * by * bz > 1024) {
        return name + ": invalid launch shape";
    }
    gridDim = {gx, gy, gz};
    blockDim = {bx, by, bz};
    body = [&] { kernel.call(params); };
    for (unsigned z = 0; z < gz; z++) {
        for (unsigned y = 0; y < gy; y++) {
            for (unsigned x = 0; x < gx; x++) {
                blockIdx = {x, y, z};
                std::string error = runBlock(bx * by * bz);
                if (!error.empty()) return name + ": " + error;
            }
        }
    }
    return checkGuards("kernel " + name);
}

}  // namespace emu
