/* The x86-64 baseline kernel: SSE2, 4 floats per vector, which every x86-64
 * CPU has. See infer_step.h for the step and infer.h for the layout. */
#if defined(__x86_64__)
#include <emmintrin.h>

#define CW_W 4
typedef __m128 cw_wide;
typedef __m128 cw_narrow;

static inline __m128
sse_fma(__m128 a, __m128 b, __m128 c)
{
	return _mm_add_ps(_mm_mul_ps(a, b), c);
}

#define wload _mm_load_ps
#define wstore _mm_store_ps
#define wadd _mm_add_ps
#define wfma sse_fma
#define wbcast _mm_set1_ps
#define wzero _mm_setzero_ps
#define wmul _mm_mul_ps
#define wdiv _mm_div_ps
#define wmin _mm_min_ps
#define wmax _mm_max_ps
#define nload _mm_load_ps
#define nstore _mm_store_ps
#define nadd _mm_add_ps
#define nfma sse_fma
#define nbcast _mm_set1_ps
#define nzero _mm_setzero_ps

#define wlow(v) (v)
#define wwiden(v) (v)

#include "infer_step.h"

void
cw_run_sse2(cwrnn_state *s, const float *in, float *out, size_t frames)
{
	cw_run_body(s, in, out, frames);
}
#endif
