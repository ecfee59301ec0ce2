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

/* cw_tanhf (kernels.h) on 8 and 4 lanes; see kernel_sse2.c for the clamp. */
static inline __m256
avx_tanh(__m256 x)
{
	const __m256 hi = _mm256_set1_ps(CW_TANH_CLAMP), lo = _mm256_set1_ps(-CW_TANH_CLAMP);
	x = _mm256_max_ps(lo, _mm256_min_ps(hi, x));
	__m256 x2 = _mm256_mul_ps(x, x);
	__m256 p = _mm256_set1_ps(CW_TANH_P[0]);
	for (int d = 1; d < 7; d++)
		p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(CW_TANH_P[d]));
	__m256 q = _mm256_set1_ps(CW_TANH_Q[0]);
	for (int d = 1; d < 4; d++)
		q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(CW_TANH_Q[d]));
	return _mm256_div_ps(_mm256_mul_ps(p, x), q);
}

static inline __m128
avx_tanh4(__m128 x)
{
	const __m128 hi = _mm_set1_ps(CW_TANH_CLAMP), lo = _mm_set1_ps(-CW_TANH_CLAMP);
	x = _mm_max_ps(lo, _mm_min_ps(hi, x));
	__m128 x2 = _mm_mul_ps(x, x);
	__m128 p = _mm_set1_ps(CW_TANH_P[0]);
	for (int d = 1; d < 7; d++)
		p = _mm_fmadd_ps(p, x2, _mm_set1_ps(CW_TANH_P[d]));
	__m128 q = _mm_set1_ps(CW_TANH_Q[0]);
	for (int d = 1; d < 4; d++)
		q = _mm_fmadd_ps(q, x2, _mm_set1_ps(CW_TANH_Q[d]));
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
