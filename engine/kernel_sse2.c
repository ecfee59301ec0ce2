/* The x86-64 baseline kernel: SSE2, 4 floats per vector, which every x86-64
 * CPU has. See infer_step.h for the step and infer.h for the layout. */
#if defined(__x86_64__)
#include <emmintrin.h>

#include "kernels.h"

#define CW_W 4
typedef __m128 cw_wide;
typedef __m128 cw_narrow;

static inline __m128
sse_fma(__m128 a, __m128 b, __m128 c)
{
	return _mm_add_ps(_mm_mul_ps(a, b), c);
}

/* cw_tanhf (kernels.h) on 4 lanes: the same clamp and 13/6 rational. The
 * clamp keeps x as minps/maxps's second operand so a NaN passes through to
 * the state's NaN guard. The polynomials go by Estrin's scheme (powers x^2,
 * x^4, x^8 and independent pairs) rather than Horner's: a step waits on
 * each module's tanh, so its dependency chain is what costs. */
static inline __m128
sse_tanh(__m128 x)
{
	const __m128 hi = _mm_set1_ps(CW_TANH_CLAMP), lo = _mm_set1_ps(-CW_TANH_CLAMP);
	x = _mm_max_ps(lo, _mm_min_ps(hi, x));
	__m128 y = _mm_mul_ps(x, x), y2 = _mm_mul_ps(y, y), y4 = _mm_mul_ps(y2, y2);
#define C(a) _mm_set1_ps(a)
	__m128 e0 = sse_fma(C(CW_TANH_P[5]), y, C(CW_TANH_P[6]));
	__m128 e1 = sse_fma(C(CW_TANH_P[3]), y, C(CW_TANH_P[4]));
	__m128 e2 = sse_fma(C(CW_TANH_P[1]), y, C(CW_TANH_P[2]));
	__m128 f1 = sse_fma(C(CW_TANH_P[0]), y2, e2);
	__m128 p = sse_fma(f1, y4, sse_fma(e1, y2, e0));
	__m128 q = sse_fma(sse_fma(C(CW_TANH_Q[0]), y, C(CW_TANH_Q[1])), y2,
	                   sse_fma(C(CW_TANH_Q[2]), y, C(CW_TANH_Q[3])));
#undef C
	return _mm_div_ps(_mm_mul_ps(p, x), q);
}

#define wload _mm_load_ps
#define wstore _mm_store_ps
#define wadd _mm_add_ps
#define wfma sse_fma
#define wbcast _mm_set1_ps
#define wzero _mm_setzero_ps
#define wtanh sse_tanh
#define nload _mm_load_ps
#define nstore _mm_store_ps
#define nadd _mm_add_ps
#define nfma sse_fma
#define nbcast _mm_set1_ps
#define nzero _mm_setzero_ps
#define ntanh sse_tanh

#define wlow(v) (v)

#include "infer_step.h"

void
cw_run_sse2(cwrnn_state *s, const float *in, float *out, size_t frames)
{
	cw_run_body(s, in, out, frames);
}
#endif
