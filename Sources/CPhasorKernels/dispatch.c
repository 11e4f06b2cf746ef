// The instruction-set level of the kernels: chosen once per process from CPUID, capped by PHASOR_SIMD.
#include <stdlib.h>
#include <string.h>
#include "levels.h"

static int detect(void) {
#if PHASOR_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return PHASOR_SIMD_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return PHASOR_SIMD_AVX2;
#endif
    return PHASOR_SIMD_GENERIC;
}

/// −1 until first use. Every thread computes the same value, so a race only repeats the work.
static int supported = -1, active = -1;

int phasor_simd_supported_level(void) {
    int s = __atomic_load_n(&supported, __ATOMIC_RELAXED);
    if (s < 0) { s = detect(); __atomic_store_n(&supported, s, __ATOMIC_RELAXED); }
    return s;
}

static int fromEnvironment(int best) {
    const char *v = getenv("PHASOR_SIMD");
    if (v == NULL || *v == 0) return best;
    int want = best;
    if (strcmp(v, "generic") == 0) want = PHASOR_SIMD_GENERIC;
    else if (strcmp(v, "avx2") == 0) want = PHASOR_SIMD_AVX2;
    else if (strcmp(v, "avx512") == 0) want = PHASOR_SIMD_AVX512;
    return want < best ? want : best;
}

int phasor_simd_level(void) {
    int a = __atomic_load_n(&active, __ATOMIC_RELAXED);
    if (a < 0) { a = fromEnvironment(phasor_simd_supported_level()); __atomic_store_n(&active, a, __ATOMIC_RELAXED); }
    return a;
}

int phasor_kernels_clamp(int level) {
    int s = phasor_simd_supported_level();
    return level < PHASOR_SIMD_GENERIC ? PHASOR_SIMD_GENERIC : (level > s ? s : level);
}
