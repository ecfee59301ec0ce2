/* tanh for inference, shared by every kernel (kernel_*.c). Engine-internal. */
#ifndef CWRNN_KERNELS_H
#define CWRNN_KERNELS_H

/* tanh as a 13/6 rational (the minimax fit Eigen uses), clamped where tanh
 * rounds to ±1 in float: max abs error 4e-7 over all floats, ~5x faster than
 * libm's tanhf and vectorisable. NaN propagates (the comparisons are false),
 * so the state's NaN guard still sees it. The vector kernels evaluate the
 * same polynomials from these coefficients (highest degree first, in x²),
 * by Estrin's scheme (kernel_sse2.c says why). */
#define CW_TANH_CLAMP 7.90531110763549805f
static const float CW_TANH_P[7] = {
	-2.76076847742355e-16f, 2.00018790482477e-13f, -8.60467152213735e-11f,
	5.12229709037114e-08f,  1.48572235717979e-05f, 6.37261928875436e-04f,
	4.89352455891786e-03f,
};
static const float CW_TANH_Q[4] = {
	1.19825839466702e-06f, 1.18534705686654e-04f, 2.26843463243900e-03f,
	4.89352518554385e-03f,
};

static inline float
cw_tanhf(float x)
{
	x = x < -CW_TANH_CLAMP ? -CW_TANH_CLAMP : x;
	x = x > CW_TANH_CLAMP ? CW_TANH_CLAMP : x;
	float x2 = x * x, p = CW_TANH_P[0], q = CW_TANH_Q[0];
	for (int d = 1; d < 7; d++)
		p = p * x2 + CW_TANH_P[d];
	for (int d = 1; d < 4; d++)
		q = q * x2 + CW_TANH_Q[d];
	return p * x / q;
}

#endif
