// The emulator's JNI surface (dev.esae.compute.cuda.EmulatedRuntime, in the tests), over its core
// (emu_core.h).
#include <jni.h>

#include <cstring>

#include <string>
#include <vector>

#include "emu_core.h"

namespace {

jstring result(JNIEnv* env, const std::string& error) {
    return error.empty() ? nullptr : env->NewStringUTF(error.c_str());
}

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_alloc0(JNIEnv*, jclass, jlong bytes) {
    return (jlong)emu::alloc((size_t)bytes);
}

JNIEXPORT jstring JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_free0(JNIEnv* env, jclass, jlong address) {
    return result(env, emu::release((uintptr_t)address));
}

JNIEXPORT jstring JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_copyIn0(JNIEnv* env, jclass, jlong dst, jobject array,
                                                                              jlong bytes) {
    std::string error = emu::checkRange((uintptr_t)dst, bytes, "copy to the device");
    if (!error.empty()) return result(env, error);
    void* src = env->GetPrimitiveArrayCritical((jarray)array, nullptr);
    std::memcpy(reinterpret_cast<void*>(dst), src, bytes);
    env->ReleasePrimitiveArrayCritical((jarray)array, src, JNI_ABORT);
    return nullptr;
}

JNIEXPORT jstring JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_copyOut0(JNIEnv* env, jclass, jlong src, jobject array,
                                                                               jlong bytes) {
    std::string error = emu::checkRange((uintptr_t)src, bytes, "copy to the host");
    if (!error.empty()) return result(env, error);
    void* dst = env->GetPrimitiveArrayCritical((jarray)array, nullptr);
    std::memcpy(dst, reinterpret_cast<void*>(src), bytes);
    env->ReleasePrimitiveArrayCritical((jarray)array, dst, 0);
    return nullptr;
}

JNIEXPORT jstring JNICALL Java_dev_esae_compute_cuda_EmulatedRuntime_copyDevice0(JNIEnv* env, jclass, jlong dst, jlong src,
                                                                                  jlong bytes) {
    std::string error = emu::checkRange((uintptr_t)dst, bytes, "device copy destination");
    if (error.empty()) error = emu::checkRange((uintptr_t)src, bytes, "device copy source");
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
    jsize count = env->GetArrayLength(jbits);
    std::vector<jlong> bits(count);
    std::vector<jint> sizes(count);
    env->GetLongArrayRegion(jbits, 0, count, bits.data());
    env->GetIntArrayRegion(jsizes, 0, count, sizes.data());
    if (gx < 1 || gy < 1 || gz < 1 || bx < 1 || by < 1 || bz < 1) return result(env, name + ": invalid launch shape");
    std::vector<void*> params(count);
    for (jsize i = 0; i < count; i++) params[i] = &bits[i];
    return result(env, emu::launch(name, gx, gy, gz, bx, by, bz, params.data(), sizes.data(), count));
}

}  // extern "C"
