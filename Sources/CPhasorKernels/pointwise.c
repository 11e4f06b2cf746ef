// Pointwise functions of the S4D block, on arrays, at every instruction-set level:
//   exp:  e^x = 2^k·e^r, k = round(x·log₂e) (by the shifter trick: adding 1.5·2^23 (f32) / 1.5·2^52 (f64) leaves k in
//         the low mantissa bits), r = x − k·ln2 with ln2 split hi + lo (|r| ≤ ½ln2), e^r by its Taylor polynomial —
//         degree 7 in f32 (truncation < 2e-7 relative), degree 13 in f64 (r¹⁴/14! < 5e-18) — and 2^k from the
//         exponent bits. x is clamped to [−87, 88] (f32) / [−708, 709] (f64), where e^x stays a normal number.
//   erf (f32): Abramowitz & Stegun 7.1.26, erf|x| = 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)e^{−x²},
//         t = 1/(1 + 0.3275911|x|), absolute error ≤ 1.5e-7 in exact arithmetic (≤ 6e-7 measured in Float); odd.
//   σ(x) = 1/(1 + e^{−x});  gelu(x) = ½x(1 + erf(x/√2));  gelu′(x) = ½(1 + erf(x/√2)) + x·e^{−x²/2}/√(2π).
// The last partial vector of an array is computed in a zero-padded vector, so an element's result does not depend on
// its position or on the array's length (only on the level: fused or separate multiply-adds).
#include <stddef.h>
#include "levels.h"

#pragma STDC FP_CONTRACT OFF

#define MADD(a, b, c) PHASOR_MADD(FUSED, a, b, c)

/// e^x, f32 lanes (VF float vector, VI int32 vector of the same width).
#define EXP_F32(VF, VI, x0)                                                                                        \
    ({                                                                                                             \
        VF x_ = __builtin_elementwise_min(__builtin_elementwise_max((x0), (VF)-87.0f), (VF)88.0f);                 \
        const VF shifter_ = (VF)12582912.0f; /* 1.5·2²³ */                                                         \
        VF t_ = MADD(x_, (VF)1.44269504f, shifter_);                                                               \
        VF k_ = t_ - shifter_;                                                                                     \
        VF r_ = MADD(k_, (VF)2.12194440e-4f, MADD(k_, (VF)-0.693359375f, x_)); /* ln2 = 0.693359375 − 2.12e-4 */   \
        VF p_ = (VF)(1.0f / 5040);                                                                                 \
        p_ = MADD(p_, r_, (VF)(1.0f / 720));                                                                       \
        p_ = MADD(p_, r_, (VF)(1.0f / 120));                                                                       \
        p_ = MADD(p_, r_, (VF)(1.0f / 24));                                                                        \
        p_ = MADD(p_, r_, (VF)(1.0f / 6));                                                                         \
        p_ = MADD(p_, r_, (VF)0.5f);                                                                               \
        p_ = MADD(p_, r_, (VF)1.0f);                                                                               \
        p_ = MADD(p_, r_, (VF)1.0f);                                                                               \
        VI kb_ = (VI)t_ - (VI)shifter_;                                                                            \
        p_ * (VF)((kb_ + 127) << 23);                                                                              \
    })

/// erf(x), f32 lanes.
#define ERF_F32(VF, VI, x0)                                                                                        \
    ({                                                                                                             \
        VI sign_ = (VI)(x0) & (VI)(int)0x80000000u;                                                                \
        VF ax_ = (VF)((VI)(x0) ^ sign_);                                              /* |x| */                    \
        VF t_ = (VF)1.0f / MADD((VF)0.3275911f, ax_, (VF)1.0f);                                                    \
        VF q_ = (VF)1.061405429f;                                                                                  \
        q_ = MADD(q_, t_, (VF)-1.453152027f);                                                                      \
        q_ = MADD(q_, t_, (VF)1.421413741f);                                                                       \
        q_ = MADD(q_, t_, (VF)-0.284496736f);                                                                      \
        q_ = MADD(q_, t_, (VF)0.254829592f);                                                                       \
        q_ = q_ * t_;                                                                                              \
        VF y_ = (VF)1.0f - q_ * EXP_F32(VF, VI, -ax_ * ax_);                                                       \
        (VF)((VI)y_ ^ sign_);                                                         /* odd: −y for x < 0 */      \
    })

/// e^x, f64 lanes (VD double vector, VL int64 vector of the same width).
#define EXP_F64(VD, VL, x0)                                                                                        \
    ({                                                                                                             \
        VD x_ = __builtin_elementwise_min(__builtin_elementwise_max((x0), (VD)-708.0), (VD)709.0);                 \
        const VD shifter_ = (VD)6755399441055744.0; /* 1.5·2⁵² */                                                  \
        VD t_ = MADD(x_, (VD)1.4426950408889634, shifter_);                                                        \
        VD k_ = t_ - shifter_;                                                                                     \
        VD r_ = MADD(k_, (VD)-1.9082149292705877e-10, MADD(k_, (VD)-0.6931471803691238, x_)); /* ln2 = hi + lo */  \
        VD p_ = (VD)(1.0 / 6227020800.0);                                                                          \
        p_ = MADD(p_, r_, (VD)(1.0 / 479001600.0));                                                                \
        p_ = MADD(p_, r_, (VD)(1.0 / 39916800.0));                                                                 \
        p_ = MADD(p_, r_, (VD)(1.0 / 3628800.0));                                                                  \
        p_ = MADD(p_, r_, (VD)(1.0 / 362880.0));                                                                   \
        p_ = MADD(p_, r_, (VD)(1.0 / 40320.0));                                                                    \
        p_ = MADD(p_, r_, (VD)(1.0 / 5040.0));                                                                     \
        p_ = MADD(p_, r_, (VD)(1.0 / 720.0));                                                                      \
        p_ = MADD(p_, r_, (VD)(1.0 / 120.0));                                                                      \
        p_ = MADD(p_, r_, (VD)(1.0 / 24.0));                                                                       \
        p_ = MADD(p_, r_, (VD)(1.0 / 6.0));                                                                        \
        p_ = MADD(p_, r_, (VD)0.5);                                                                                \
        p_ = MADD(p_, r_, (VD)1.0);                                                                                \
        p_ = MADD(p_, r_, (VD)1.0);                                                                                \
        VL kb_ = (VL)t_ - (VL)shifter_;                                                                            \
        p_ * (VD)((kb_ + 1023) << 52);                                                                             \
    })

/// A loop over n elements, W lanes at a time; the partial last vector runs zero-padded. IN/OUT load/store one vector
/// of `T` at element i (BODY computes `out` from `in`, and may read `extra` = the destination's old values).
#define LANES_LOOP(T, V, W, n, src, dst, BODY)                                                                     \
    {                                                                                                              \
        long i = 0;                                                                                                \
        for (; i + (W) <= (n); i += (W)) {                                                                         \
            V in = *(const V *)((src) + i), extra = *(const V *)((dst) + i), out;                                  \
            (void)extra;                                                                                           \
            BODY;                                                                                                  \
            *(V *)((dst) + i) = out;                                                                               \
        }                                                                                                          \
        if (i < (n)) {                                                                                             \
            V in = (V)0, extra = (V)0, out;                                                                        \
            __builtin_memcpy(&in, (src) + i, sizeof(T) * (size_t)((n) - i));                                       \
            __builtin_memcpy(&extra, (dst) + i, sizeof(T) * (size_t)((n) - i));                                    \
            BODY;                                                                                                  \
            __builtin_memcpy((dst) + i, &out, sizeof(T) * (size_t)((n) - i));                                      \
        }                                                                                                          \
    }

#define POINTWISE_FUNCTIONS(SUFFIX, WF, WD, ATTR)                                                                  \
    typedef float VF_##SUFFIX __attribute__((ext_vector_type(WF), aligned(4)));                                    \
    typedef int VI_##SUFFIX __attribute__((ext_vector_type(WF), aligned(4)));                                      \
    typedef double VD_##SUFFIX __attribute__((ext_vector_type(WD), aligned(8)));                                   \
    typedef long long VL_##SUFFIX __attribute__((ext_vector_type(WD), aligned(8)));                                \
    ATTR static void exp_f32_##SUFFIX(const float *src, float *dst, long n) {                                      \
        LANES_LOOP(float, VF_##SUFFIX, WF, n, src, dst, out = EXP_F32(VF_##SUFFIX, VI_##SUFFIX, in))               \
    }                                                                                                              \
    ATTR static void erf_f32_##SUFFIX(const float *src, float *dst, long n) {                                      \
        LANES_LOOP(float, VF_##SUFFIX, WF, n, src, dst, out = ERF_F32(VF_##SUFFIX, VI_##SUFFIX, in))               \
    }                                                                                                              \
    ATTR static void sigmoid_f32_##SUFFIX(const float *src, float *dst, long n) {                                  \
        LANES_LOOP(float, VF_##SUFFIX, WF, n, src, dst,                                                            \
                   out = (VF_##SUFFIX)1.0f / ((VF_##SUFFIX)1.0f + EXP_F32(VF_##SUFFIX, VI_##SUFFIX, -in)))         \
    }                                                                                                              \
    ATTR static void gelu_f32_##SUFFIX(const float *src, float *dst, float scale, long n) {                        \
        LANES_LOOP(float, VF_##SUFFIX, WF, n, src, dst, {                                                          \
            VF_##SUFFIX e = ERF_F32(VF_##SUFFIX, VI_##SUFFIX, in * 0.70710677f);                                   \
            out = scale * ((0.5f * in) * ((VF_##SUFFIX)1.0f + e));                                                 \
        })                                                                                                         \
    }                                                                                                              \
    ATTR static void scale_gelu_derivative_f32_##SUFFIX(const float *src, float *dst, float scale, long n) {       \
        LANES_LOOP(float, VF_##SUFFIX, WF, n, src, dst, {                                                          \
            VF_##SUFFIX e = ERF_F32(VF_##SUFFIX, VI_##SUFFIX, in * 0.70710677f);                                   \
            VF_##SUFFIX g = EXP_F32(VF_##SUFFIX, VI_##SUFFIX, -0.5f * in * in);                                    \
            VF_##SUFFIX d = MADD(in * g, (VF_##SUFFIX)0.3989423f, 0.5f * ((VF_##SUFFIX)1.0f + e));                 \
            out = extra * (scale * d);                                                                             \
        })                                                                                                         \
    }                                                                                                              \
    ATTR static void exp_f64_##SUFFIX(const double *src, double *dst, long n) {                                    \
        LANES_LOOP(double, VD_##SUFFIX, WD, n, src, dst, out = EXP_F64(VD_##SUFFIX, VL_##SUFFIX, in))              \
    }                                                                                                              \
    ATTR static void sigmoid_f64_##SUFFIX(const double *src, double *dst, long n) {                                \
        LANES_LOOP(double, VD_##SUFFIX, WD, n, src, dst,                                                           \
                   out = (VD_##SUFFIX)1.0 / ((VD_##SUFFIX)1.0 + EXP_F64(VD_##SUFFIX, VL_##SUFFIX, -in)))           \
    }

// Two vectors' worth per iteration at the baseline (16 lanes of f32 in SSE2/NEON registers), one at AVX2/AVX-512.
#define FUSED PHASOR_GENERIC_FUSED
POINTWISE_FUNCTIONS(generic, 8, 4, )
#undef FUSED
#if PHASOR_X86
#define FUSED 1
POINTWISE_FUNCTIONS(avx2, 8, 4, PHASOR_ATTR_AVX2)
POINTWISE_FUNCTIONS(avx512, 16, 8, PHASOR_ATTR_AVX512)
#undef FUSED
#endif

void phasor_exp_f32(int level, const float *x, float *y, long n) PHASOR_DISPATCH(exp_f32, x, y, n)
void phasor_erf_f32(int level, const float *x, float *y, long n) PHASOR_DISPATCH(erf_f32, x, y, n)
void phasor_sigmoid_f32(int level, const float *x, float *y, long n) PHASOR_DISPATCH(sigmoid_f32, x, y, n)
void phasor_gelu_f32(int level, const float *y, float *a, float scale, long n) PHASOR_DISPATCH(gelu_f32, y, a, scale, n)
void phasor_scale_by_gelu_derivative_f32(int level, const float *y, float *d, float scale, long n)
    PHASOR_DISPATCH(scale_gelu_derivative_f32, y, d, scale, n)
void phasor_exp_f64(int level, const double *x, double *y, long n) PHASOR_DISPATCH(exp_f64, x, y, n)
void phasor_sigmoid_f64(int level, const double *x, double *y, long n) PHASOR_DISPATCH(sigmoid_f64, x, y, n)
