// Internal: how one kernel source becomes one function per instruction-set level.
//
// A kernel is written once as a macro over (vector width W, vectors per tile NV, function attribute, fused?) and
// instantiated per level. The AVX2/AVX-512 copies carry `__attribute__((target(...)))`, so Clang emits those
// instructions for them alone while the rest of the package stays at the baseline target; `dispatch.c` picks the copy
// once per process from CPUID (`__builtin_cpu_supports`, which also checks that the OS saves the wider registers).
#ifndef PHASOR_KERNELS_LEVELS_H
#define PHASOR_KERNELS_LEVELS_H

#include "phasor_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#define PHASOR_X86 1
#define PHASOR_ATTR_AVX2 __attribute__((target("avx2,fma")))
#define PHASOR_ATTR_AVX512 __attribute__((target("avx512f")))
#else
#define PHASOR_X86 0
#endif

#ifndef __has_builtin
#define __has_builtin(x) 0
#endif
/// Clang ≥ 17 has an element-wise fma for vectors; older compilers (e.g. an older Xcode) multiply and add separately.
#if __has_builtin(__builtin_elementwise_fma)
#define PHASOR_FMA_BUILTIN 1
#else
#define PHASOR_FMA_BUILTIN 0
#endif

/// Whether the generic copy may fuse multiply-adds: only where the baseline has an FMA instruction (aarch64, or an
/// x86 build that was given -mfma). On baseline x86-64 a fused multiply-add would be a libm call per element.
#if (defined(__aarch64__) || defined(__FMA__)) && PHASOR_FMA_BUILTIN
#define PHASOR_GENERIC_FUSED 1
#else
#define PHASOR_GENERIC_FUSED 0
#endif

/// a·b + c, fused (one rounding) or not (two roundings), for a scalar or an ext_vector.
#if PHASOR_FMA_BUILTIN
#define PHASOR_MADD(fused, a, b, c) ((fused) ? __builtin_elementwise_fma((a), (b), (c)) : (a) * (b) + (c))
#else
#define PHASOR_MADD(fused, a, b, c) ((a) * (b) + (c))
#endif

/// `level` limited to [generic, supported].
int phasor_kernels_clamp(int level);

/// The body of a public kernel: calls name_avx512, name_avx2 or name_generic (the copies of one kernel) at
/// phasor_kernels_clamp(level), with the remaining arguments.
#if PHASOR_X86
#define PHASOR_DISPATCH(name, ...)                                                                                 \
    {                                                                                                              \
        switch (phasor_kernels_clamp(level)) {                                                                     \
        case PHASOR_SIMD_AVX512: name##_avx512(__VA_ARGS__); return;                                               \
        case PHASOR_SIMD_AVX2: name##_avx2(__VA_ARGS__); return;                                                   \
        default: name##_generic(__VA_ARGS__); return;                                                              \
        }                                                                                                          \
    }
#else
#define PHASOR_DISPATCH(name, ...) { (void)level; name##_generic(__VA_ARGS__); }
#endif

#endif
