/* Inner loops of float inference: used by engine/state.c alone (training,
 * engine/batch.c, runs its own double-precision loops and libm's tanh).
 * Engine-internal. Dot products use `omp simd reduction` so they vectorise
 * without -ffast-math (built with -fopenmp-simd, no OpenMP runtime). */
#ifndef CWRNN_KERNELS_H
#define CWRNN_KERNELS_H

#include <stddef.h>

/* tanh as a 13/6 rational (the minimax fit Eigen uses), clamped where tanh
 * rounds to ±1 in float: max abs error 4e-7 over all floats, ~5x faster than
 * libm's tanhf and vectorisable. NaN propagates (the comparisons are false),
 * so the state's NaN guard still sees it. */
static inline float
cw_tanhf(float x)
{
	const float clamp = 7.90531110763549805f;
	x = x < -clamp ? -clamp : x;
	x = x > clamp ? clamp : x;
	float x2 = x * x;
	float p = -2.76076847742355e-16f;
	p = p * x2 + 2.00018790482477e-13f;
	p = p * x2 + -8.60467152213735e-11f;
	p = p * x2 + 5.12229709037114e-08f;
	p = p * x2 + 1.48572235717979e-05f;
	p = p * x2 + 6.37261928875436e-04f;
	p = p * x2 + 4.89352455891786e-03f;
	float q = 1.19825839466702e-06f;
	q = q * x2 + 1.18534705686654e-04f;
	q = q * x2 + 2.26843463243900e-03f;
	q = q * x2 + 4.89352518554385e-03f;
	return p * x / q;
}

/* y[r] += Σ_c W[r*stride + c] x[c] for r < rows, c < cols. */
static inline void
cw_matvec_acc_f(float *restrict y, const float *restrict w, size_t stride,
                const float *restrict x, int rows, int cols)
{
	for (int r = 0; r < rows; r++) {
		const float *row = w + (size_t)r * stride;
		float s = 0.0f;
#pragma omp simd reduction(+ : s)
		for (int c = 0; c < cols; c++)
			s += row[c] * x[c];
		y[r] += s;
	}
}

/* y[r] = Σ_c W[r*stride + c] x[c] (overwrites). */
static inline void
cw_matvec_f(float *restrict y, const float *restrict w, size_t stride,
            const float *restrict x, int rows, int cols)
{
	for (int r = 0; r < rows; r++)
		y[r] = 0.0f;
	cw_matvec_acc_f(y, w, stride, x, rows, cols);
}

#endif
