/* The x86-64-v3 kernel: AVX2 + FMA, 8 floats per vector with a 4-float tail
 * (modules are padded to 4). Built with -mavx2 -mfma (engine/engine.mk) and
 * run only on CPUs that have both (dispatch.c). See infer_step.h for the
 * step and infer.h for the layout. */
#if defined(__x86_64__)
#include <immintrin.h>

#include "kernels.h"

#define CW_W 8
typedef __m256 cw_wide;
typedef __m128 cw_narrow;

/* cw_tanhf (kernels.h) on 8 and 4 lanes; see kernel_sse2.c for the clamp
 * and Estrin's scheme. */
static inline __m256
avx_tanh(__m256 x)
{
	const __m256 hi = _mm256_set1_ps(CW_TANH_CLAMP), lo = _mm256_set1_ps(-CW_TANH_CLAMP);
	x = _mm256_max_ps(lo, _mm256_min_ps(hi, x));
	__m256 y = _mm256_mul_ps(x, x), y2 = _mm256_mul_ps(y, y), y4 = _mm256_mul_ps(y2, y2);
#define C(a) _mm256_set1_ps(a)
	__m256 e0 = _mm256_fmadd_ps(C(CW_TANH_P[5]), y, C(CW_TANH_P[6]));
	__m256 e1 = _mm256_fmadd_ps(C(CW_TANH_P[3]), y, C(CW_TANH_P[4]));
	__m256 e2 = _mm256_fmadd_ps(C(CW_TANH_P[1]), y, C(CW_TANH_P[2]));
	__m256 f1 = _mm256_fmadd_ps(C(CW_TANH_P[0]), y2, e2);
	__m256 p = _mm256_fmadd_ps(f1, y4, _mm256_fmadd_ps(e1, y2, e0));
	__m256 q = _mm256_fmadd_ps(_mm256_fmadd_ps(C(CW_TANH_Q[0]), y, C(CW_TANH_Q[1])), y2,
	                           _mm256_fmadd_ps(C(CW_TANH_Q[2]), y, C(CW_TANH_Q[3])));
#undef C
	return _mm256_div_ps(_mm256_mul_ps(p, x), q);
}

static inline __m128
avx_tanh4(__m128 x)
{
	const __m128 hi = _mm_set1_ps(CW_TANH_CLAMP), lo = _mm_set1_ps(-CW_TANH_CLAMP);
	x = _mm_max_ps(lo, _mm_min_ps(hi, x));
	__m128 y = _mm_mul_ps(x, x), y2 = _mm_mul_ps(y, y), y4 = _mm_mul_ps(y2, y2);
#define C(a) _mm_set1_ps(a)
	__m128 e0 = _mm_fmadd_ps(C(CW_TANH_P[5]), y, C(CW_TANH_P[6]));
	__m128 e1 = _mm_fmadd_ps(C(CW_TANH_P[3]), y, C(CW_TANH_P[4]));
	__m128 e2 = _mm_fmadd_ps(C(CW_TANH_P[1]), y, C(CW_TANH_P[2]));
	__m128 f1 = _mm_fmadd_ps(C(CW_TANH_P[0]), y2, e2);
	__m128 p = _mm_fmadd_ps(f1, y4, _mm_fmadd_ps(e1, y2, e0));
	__m128 q = _mm_fmadd_ps(_mm_fmadd_ps(C(CW_TANH_Q[0]), y, C(CW_TANH_Q[1])), y2,
	                        _mm_fmadd_ps(C(CW_TANH_Q[2]), y, C(CW_TANH_Q[3])));
#undef C
	return _mm_div_ps(_mm_mul_ps(p, x), q);
}

#define wload _mm256_loadu_ps
#define wstore _mm256_storeu_ps
#define wadd _mm256_add_ps
#define wfma _mm256_fmadd_ps
#define wbcast _mm256_set1_ps
#define wzero _mm256_setzero_ps
#define wtanh avx_tanh
#define nload _mm_load_ps
#define nstore _mm_store_ps
#define nadd _mm_add_ps
#define nfma _mm_fmadd_ps
#define nbcast _mm_set1_ps
#define nzero _mm_setzero_ps
#define ntanh avx_tanh4

#define wlow _mm256_castps256_ps128

#include "infer_step.h"

void
cw_run_avx2(cwrnn_state *s, const float *in, float *out, size_t frames)
{
	cw_run_body(s, in, out, frames);
}
#endif
