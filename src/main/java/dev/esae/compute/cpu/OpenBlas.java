package dev.esae.compute.cpu;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/** Loads JavaCPP's OpenBLAS (BLAS only, no LAPACK) and sets its thread count. */
final class OpenBlas {
    private static volatile boolean loaded;

    private OpenBlas() {}

    /** Loads the native library; throws {@link LinkageError} if it cannot be loaded here. */
    static synchronized void load() {
        if (!loaded) {
            Loader.load(openblas_nolapack.class);
            loaded = true;
        }
    }

    static void setThreads(int threads) {
        load();
        openblas_nolapack.blas_set_num_threads(threads);
    }

    static int threads() {
        load();
        return openblas_nolapack.blas_get_num_threads();
    }

    /** The core OpenBLAS was compiled for; a DYNAMIC_ARCH build picks its kernels at load time. */
    static String buildCore() {
        return openblas_nolapack.OPENBLAS_CHAR_CORENAME;
    }

    /** The OpenBLAS version bundled by JavaCPP (the preset's Maven version). */
    static String version() {
        return dev.esae.BuildInfo.get("openblas");
    }
}
