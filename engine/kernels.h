/* The tanh every inference kernel evaluates (infer_step.h's cw_tanh), as
 * coefficients. Engine-internal.
 *
 * tanh as a 13/6 rational (the minimax fit Eigen uses), clamped where tanh
 * rounds to ±1 in float: max abs error 4e-7 over all floats, much cheaper
 * than libm's tanhf and vectorisable. Coefficients highest degree first, in
 * x²: tanh(x) = x P(x²) / Q(x²). */
#ifndef CWRNN_KERNELS_H
#define CWRNN_KERNELS_H

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

#endif
