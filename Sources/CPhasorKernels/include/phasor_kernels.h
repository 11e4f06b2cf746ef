// Phasor's SIMD kernels in C, compiled once per instruction-set level and chosen at run time (README.md beside this
// folder says why). Swift calls these through `PhasorNumerics.SIMDKernels`; nothing else should.
#ifndef PHASOR_KERNELS_H
#define PHASOR_KERNELS_H

/// Instruction-set levels, in order. x86-64: generic = the baseline the package is compiled for (SSE2, no FMA),
/// avx2 = AVX2 + FMA (256-bit), avx512 = AVX-512F (512-bit, with FMA). Other architectures: generic only
/// (aarch64's baseline already has 128-bit NEON with fused multiply-add).
enum {
    PHASOR_SIMD_GENERIC = 0,
    PHASOR_SIMD_AVX2 = 1,
    PHASOR_SIMD_AVX512 = 2,
};

/// The best level this CPU and OS support.
int phasor_simd_supported_level(void);
/// The level the kernels run at: the supported level, lowered by the environment variable PHASOR_SIMD
/// (generic | avx2 | avx512) read at the first call.
int phasor_simd_level(void);

// Every kernel takes the level to run at first: pass phasor_simd_level(), or a lower level to compare the copies
// (levels above the supported one run at the supported one).

/// C (m×n) = A (m×k)·B (k×n), or C += A·B when `accumulate` ≠ 0; row-major, dense. Each C entry is summed in the
/// order p = 0…k−1 (results depend on the level — fused or separate multiply-add — but not on threads or tiling).
void phasor_gemm_f32(int level, long m, long n, long k, const float *a, const float *b, float *c, int accumulate);
void phasor_gemm_f64(int level, long m, long n, long k, const double *a, const double *b, double *c, int accumulate);

/// y[i] = e^{x[i]} (f32: ≤ 4e-7 relative; f64: ≤ 1e-15 relative), erf (f32: ≤ 6e-7 absolute), σ(x) = 1/(1 + e^{−x}).
/// `y` may equal `x`.
void phasor_exp_f32(int level, const float *x, float *y, long n);
void phasor_erf_f32(int level, const float *x, float *y, long n);
void phasor_sigmoid_f32(int level, const float *x, float *y, long n);
void phasor_exp_f64(int level, const double *x, double *y, long n);
void phasor_sigmoid_f64(int level, const double *x, double *y, long n);
/// a[i] = scale·gelu(y[i]), gelu(x) = ½x(1 + erf(x/√2)) (f32).
void phasor_gelu_f32(int level, const float *y, float *a, float scale, long n);
/// d[i] *= scale·gelu′(y[i]), gelu′(x) = ½(1 + erf(x/√2)) + x·e^{−x²/2}/√(2π) (f32).
void phasor_scale_by_gelu_derivative_f32(int level, const float *y, float *d, float scale, long n);

/// The instruction-set level the *calling* Swift module was compiled for (this function is inline, so it is compiled
/// by the Swift compiler's Clang with that module's target, e.g. `-target-cpu native`): 0 baseline, 1 AVX2 + FMA,
/// 2 AVX-512F; on other architectures 0.
static inline int phasor_swift_compiled_level(void) {
#if defined(__AVX512F__)
    return PHASOR_SIMD_AVX512;
#elif defined(__AVX2__) && defined(__FMA__)
    return PHASOR_SIMD_AVX2;
#else
    return PHASOR_SIMD_GENERIC;
#endif
}

#endif
