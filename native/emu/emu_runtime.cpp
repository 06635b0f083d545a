// The emulator's runtime and its JNI surface (dev.esae.compute.cuda.EmulatedRuntime, in the tests):
// memory with guard bands (writes outside an allocation are reported after the launch that made
// them), new memory filled with NaN bytes (a kernel that reads what nobody wrote shows it), and
// launches whose argument sizes are checked against each kernel's C signature.
#include <jni.h>
#include <ucontext.h>

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

const size_t kStackBytes = 128 * 1024;
ucontext_t scheduler;
std::vector<ucontext_t> fibers;
std::vector<std::vector<char>> stacks;
std::vector<FiberState> states;
int current = 0;
std::function<void()> body;

void fiberMain() {
    body();
    states[current] = FiberState::Done;
}  // returns to uc_link, the scheduler

std::string runBlock(int threads) {
    if ((int)fibers.size() < threads) {
        fibers.resize(threads);
        stacks.resize(threads);
        states.resize(threads);
    }
    for (int t = 0; t < threads; t++) {
        stacks[t].resize(kStackBytes);
        getcontext(&fibers[t]);
        fibers[t].uc_stack.ss_sp = stacks[t].data();
        fibers[t].uc_stack.ss_size = kStackBytes;
        fibers[t].uc_link = &scheduler;
        makecontext(&fibers[t], fiberMain, 0);
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
            swapcontext(&scheduler, &fibers[t]);
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
    std::vector<int> sizes;
    std::function<void(void**)> call;
};

template <typename... A, size_t... I>
void invoke(void (*f)(A...), void** params, std::index_sequence<I...>) {
    f(*static_cast<std::remove_cv_t<A>*>(params[I])...);
}

template <typename... A>
Kernel describe(void (*f)(A...)) {
    return Kernel{{(int)sizeof(A)...}, [f](void** params) { invoke(f, params, std::index_sequence_for<A...>{}); }};
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

// The allocation holding [address, address + bytes), or an error.
std::string checkRange(uintptr_t address, size_t bytes, const char* what) {
    auto it = blocks.upper_bound(address);
    if (it != blocks.begin()) {
        --it;
        if (address >= it->first && address + bytes <= it->first + it->second) return "";
    }
    return std::string(what) + ": " + std::to_string(bytes) + " bytes at an address outside every allocation";
}

jstring result(JNIEnv* env, const std::string& error) {
    return error.empty() ? nullptr : env->NewStringUTF(error.c_str());
}

}  // namespace

void __syncthreads() {
    states[current] = FiberState::AtBarrier;
    swapcontext(&fibers[current], &scheduler);
}

extern "C" {

JNIEXPORT jlong JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_alloc0(JNIEnv*, jclass, jlong bytes) {
    unsigned char* raw = static_cast<unsigned char*>(std::malloc(bytes + 2 * kGuard));
    if (raw == nullptr) return 0;
    std::memset(raw, kGuardByte, kGuard);
    std::memset(raw + kGuard, 0xFF, bytes);  // NaN in every float, -1 in every int
    std::memset(raw + kGuard + bytes, kGuardByte, kGuard);
    uintptr_t user = reinterpret_cast<uintptr_t>(raw + kGuard);
    blocks[user] = bytes;
    return (jlong)user;
}

JNIEXPORT jstring JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_free0(JNIEnv* env, jclass, jlong address) {
    auto it = blocks.find((uintptr_t)address);
    if (it == blocks.end()) return result(env, "free of an address that is not an allocation");
    std::string error = guardsIntact(it->first, it->second) ? "" : "an allocation's guard bytes were overwritten";
    std::free(reinterpret_cast<unsigned char*>(it->first - kGuard));
    blocks.erase(it);
    return result(env, error);
}

JNIEXPORT jstring JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_copyIn0(JNIEnv* env, jclass, jlong dst, jobject array,
                                                                              jlong bytes) {
    std::string error = checkRange((uintptr_t)dst, bytes, "copy to the device");
    if (!error.empty()) return result(env, error);
    void* src = env->GetPrimitiveArrayCritical((jarray)array, nullptr);
    std::memcpy(reinterpret_cast<void*>(dst), src, bytes);
    env->ReleasePrimitiveArrayCritical((jarray)array, src, JNI_ABORT);
    return nullptr;
}

JNIEXPORT jstring JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_copyOut0(JNIEnv* env, jclass, jlong src, jobject array,
                                                                               jlong bytes) {
    std::string error = checkRange((uintptr_t)src, bytes, "copy to the host");
    if (!error.empty()) return result(env, error);
    void* dst = env->GetPrimitiveArrayCritical((jarray)array, nullptr);
    std::memcpy(dst, reinterpret_cast<void*>(src), bytes);
    env->ReleasePrimitiveArrayCritical((jarray)array, dst, 0);
    return nullptr;
}

JNIEXPORT jstring JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_copyDevice0(JNIEnv* env, jclass, jlong dst, jlong src,
                                                                                  jlong bytes) {
    std::string error = checkRange((uintptr_t)dst, bytes, "device copy destination");
    if (error.empty()) error = checkRange((uintptr_t)src, bytes, "device copy source");
    if (!error.empty()) return result(env, error);
    std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), bytes);
    return nullptr;
}

JNIEXPORT jstring JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_launch0(JNIEnv* env, jclass, jstring jname, jint gx,
                                                                              jint gy, jint gz, jint bx, jint by, jint bz,
                                                                              jlongArray jbits, jintArray jsizes) {
    const char* chars = env->GetStringUTFChars(jname, nullptr);
    std::string name(chars);
    env->ReleaseStringUTFChars(jname, chars);
    auto found = kernels().find(name);
    if (found == kernels().end()) return result(env, "no kernel named " + name);
    const Kernel& kernel = found->second;
    jsize count = env->GetArrayLength(jbits);
    std::vector<jlong> bits(count);
    std::vector<jint> sizes(count);
    env->GetLongArrayRegion(jbits, 0, count, bits.data());
    env->GetIntArrayRegion(jsizes, 0, count, sizes.data());
    if ((size_t)count != kernel.sizes.size()) {
        return result(env, name + " takes " + std::to_string(kernel.sizes.size()) + " arguments, launched with " +
                               std::to_string(count));
    }
    for (jsize i = 0; i < count; i++) {
        if (sizes[i] != kernel.sizes[i]) {
            return result(env, name + ": argument " + std::to_string(i) + " is " + std::to_string(kernel.sizes[i]) +
                                   " bytes in the kernel, " + std::to_string(sizes[i]) + " in the launch");
        }
    }
    if (gx < 1 || gy < 1 || gz < 1 || bx < 1 || by < 1 || bz < 1 || (long)bx * by * bz > 1024) {
        return result(env, name + ": invalid launch shape");
    }
    std::vector<void*> params(count);
    for (jsize i = 0; i < count; i++) params[i] = &bits[i];
    gridDim = {(unsigned)gx, (unsigned)gy, (unsigned)gz};
    blockDim = {(unsigned)bx, (unsigned)by, (unsigned)bz};
    body = [&] { kernel.call(params.data()); };
    for (int z = 0; z < gz; z++) {
        for (int y = 0; y < gy; y++) {
            for (int x = 0; x < gx; x++) {
                blockIdx = {(unsigned)x, (unsigned)y, (unsigned)z};
                std::string error = runBlock(bx * by * bz);
                if (!error.empty()) return result(env, name + ": " + error);
            }
        }
    }
    return result(env, checkGuards("kernel " + name));
}

}  // extern "C"
