/* The x86-64-v3 kernel: AVX2 + FMA, 8 floats per vector with a 4-float tail
 * (modules are padded to 4). Built with -mavx2 -mfma (engine/engine.mk) and
 * run only on CPUs that have both (dispatch.c). See infer_step.h for the
 * step and infer.h for the layout. */
#if defined(__x86_64__)
#include <immintrin.h>

#define CW_W 8
typedef __m256 cw_wide;
typedef __m128 cw_narrow;

#define wload _mm256_loadu_ps
#define wstore _mm256_storeu_ps
#define wadd _mm256_add_ps
#define wfma _mm256_fmadd_ps
#define wbcast _mm256_set1_ps
#define wzero _mm256_setzero_ps
#define wmul _mm256_mul_ps
#define wdiv _mm256_div_ps
#define wmin _mm256_min_ps
#define wmax _mm256_max_ps
#define nload _mm_load_ps
#define nstore _mm_store_ps
#define nadd _mm_add_ps
#define nfma _mm_fmadd_ps
#define nbcast _mm_set1_ps
#define nzero _mm_setzero_ps

#define wlow _mm256_castps256_ps128
#define wwiden _mm256_zextps128_ps256

#include "infer_step.h"

void
cw_run_avx2(cwrnn_state *s, const float *in, float *out, size_t frames)
{
	cw_run_body(s, in, out, frames);
}
#endif
