// C = A·B (+ C) on dense row-major blocks — the 1×1 convolution of the S4D block and its two adjoints.
// Register tiles of 4 rows × NV vectors of C stay in registers while p runs over the inner dimension: one broadcast
// of a[i,p] per row and one load of each B vector per step (a rank-1 update of the tile). Each C entry is summed in
// the order p = 0…k−1 in every path (tile, narrower column tail, scalar tail, row tail), so the result does not depend
// on m, n, threads or tiling — only on whether the level fuses the multiply-add.
#include "levels.h"

#pragma STDC FP_CONTRACT OFF

/// Rows [i0, i0 + R) × columns [j, j + NV·W) of C, with accumulators x[r][v].
#define GEMM_TILE(T, V, W, NV, R, FUSED)                                                                           \
    {                                                                                                              \
        V x[R][NV];                                                                                                \
        for (int r = 0; r < (R); r++)                                                                              \
            for (int v = 0; v < (NV); v++)                                                                         \
                x[r][v] = accumulate ? *(const V *)(c + (i0 + r) * n + j + v * (W)) : (V)0;                        \
        const T *bp = b + j;                                                                                       \
        for (long p = 0; p < k; p++, bp += n) {                                                                    \
            V bv[NV];                                                                                              \
            for (int v = 0; v < (NV); v++) bv[v] = *(const V *)(bp + v * (W));                                     \
            for (int r = 0; r < (R); r++) {                                                                        \
                V w = (V)a[(i0 + r) * k + p];                                                                      \
                for (int v = 0; v < (NV); v++) x[r][v] = PHASOR_MADD(FUSED, w, bv[v], x[r][v]);                    \
            }                                                                                                      \
        }                                                                                                          \
        for (int r = 0; r < (R); r++)                                                                              \
            for (int v = 0; v < (NV); v++) *(V *)(c + (i0 + r) * n + j + v * (W)) = x[r][v];                       \
    }

/// Rows [i0, i0 + R) of C: tiles of NV vectors, then single vectors, then single columns.
#define GEMM_ROWS(T, V, W, NV, R, FUSED)                                                                           \
    {                                                                                                              \
        long j = 0;                                                                                                \
        for (; j + (NV) * (W) <= n; j += (NV) * (W)) GEMM_TILE(T, V, W, NV, R, FUSED)                              \
        for (; j + (W) <= n; j += (W)) GEMM_TILE(T, V, W, 1, R, FUSED)                                             \
        for (; j < n; j++)                                                                                         \
            for (int r = 0; r < (R); r++) {                                                                        \
                T s = accumulate ? c[(i0 + r) * n + j] : (T)0;                                                     \
                for (long p = 0; p < k; p++) s = PHASOR_MADD(FUSED, a[(i0 + r) * k + p], b[p * n + j], s);         \
                c[(i0 + r) * n + j] = s;                                                                           \
            }                                                                                                      \
    }

#define GEMM_FUNCTION(NAME, T, W, NV, ATTR, FUSED)                                                                 \
    ATTR static void NAME(long m, long n, long k, const T *restrict a, const T *restrict b, T *restrict c,         \
                          int accumulate) {                                                                        \
        typedef T V __attribute__((ext_vector_type(W), aligned(sizeof(T))));                                       \
        long i0 = 0;                                                                                               \
        for (; i0 + 4 <= m; i0 += 4) GEMM_ROWS(T, V, W, NV, 4, FUSED)                                              \
        for (; i0 < m; i0++) GEMM_ROWS(T, V, W, NV, 1, FUSED)                                                      \
    }

// Tiles: 4 rows × NV vectors = 4·NV accumulators, plus NV loads of B and a broadcast, within the register file
// (16 registers for SSE2/AVX2, 32 for AVX-512 and NEON).
#if defined(__aarch64__)
#define GENERIC_NV 4
#else
#define GENERIC_NV 2
#endif
GEMM_FUNCTION(gemm_f32_generic, float, 4, GENERIC_NV, , PHASOR_GENERIC_FUSED)
GEMM_FUNCTION(gemm_f64_generic, double, 2, GENERIC_NV, , PHASOR_GENERIC_FUSED)
#if PHASOR_X86
GEMM_FUNCTION(gemm_f32_avx2, float, 8, 2, PHASOR_ATTR_AVX2, 1)
GEMM_FUNCTION(gemm_f64_avx2, double, 4, 2, PHASOR_ATTR_AVX2, 1)
GEMM_FUNCTION(gemm_f32_avx512, float, 16, 4, PHASOR_ATTR_AVX512, 1)
GEMM_FUNCTION(gemm_f64_avx512, double, 8, 4, PHASOR_ATTR_AVX512, 1)
#endif

void phasor_gemm_f32(int level, long m, long n, long k, const float *a, const float *b, float *c, int accumulate)
    PHASOR_DISPATCH(gemm_f32, m, n, k, a, b, c, accumulate)
void phasor_gemm_f64(int level, long m, long n, long k, const double *a, const double *b, double *c, int accumulate)
    PHASOR_DISPATCH(gemm_f64, m, n, k, a, b, c, accumulate)
