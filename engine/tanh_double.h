/* tanh in double precision for training, vectorised over an array: the batch
 * applies it to (k, B) blocks, where libm's tanh (a call with branches) cost
 * a quarter of a training step. Engine-internal. */
#ifndef CWRNN_TANH_DOUBLE_H
#define CWRNN_TANH_DOUBLE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/*
 * tanh(x) for |x| <= 20 (or NaN), accurate to 3 ulp (tested against libm):
 * sign(x) · e / (e + 2) with e = expm1(2|x|). expm1(z), 0 <= z <= 40: z = k ln2
 * + r with |r| <= ln2/2 (k rounded by adding 1.5·2^52, whose low mantissa
 * bits then hold k), expm1(r) by its Taylor series to r^13 (truncation below
 * 1e-17 relative), and expm1(z) = 2^k expm1(r) + (2^k - 1).
 */
static inline double
cw_tanh_d_bounded(double x)
{
	const double shift = 0x1.8p52, inv_ln2 = 0x1.71547652b82fep0;
	const double ln2_hi = 0x1.62e42fee00000p-1, ln2_lo = 0x1.a39ef35793c76p-33;
	double z = 2.0 * fabs(x);
	double kshift = z * inv_ln2 + shift, k = kshift - shift;
	double r = (z - k * ln2_hi) - k * ln2_lo;
	double p = 1.0 / 6227020800.0; /* 1/13! */
	p = p * r + 1.0 / 479001600.0;
	p = p * r + 1.0 / 39916800.0;
	p = p * r + 1.0 / 3628800.0;
	p = p * r + 1.0 / 362880.0;
	p = p * r + 1.0 / 40320.0;
	p = p * r + 1.0 / 5040.0;
	p = p * r + 1.0 / 720.0;
	p = p * r + 1.0 / 120.0;
	p = p * r + 1.0 / 24.0;
	p = p * r + 1.0 / 6.0;
	p = p * r + 0.5;
	p = p * r * r + r; /* expm1(r) */
	union { double d; uint64_t u; } kbits = {kshift}, shift_bits = {shift}, two_k;
	two_k.u = (kbits.u - shift_bits.u + 1023u) << 52; /* 2^k, 0 <= k <= 58 */
	double e = two_k.d * p + (two_k.d - 1.0);
	return copysign(e / (e + 2.0), x);
}

/* v[u] = tanh(v[u]). The clamp to ±20 (where tanh rounds to ±1) is a loop of
 * its own: inside the tanh loop GCC turns it into a branch and cannot
 * vectorise. NaN propagates (both comparisons are false). */
static inline void
cw_tanh_d_array(double *v, size_t n)
{
#pragma omp simd
	for (size_t u = 0; u < n; u++)
		v[u] = v[u] > 20.0 ? 20.0 : v[u] < -20.0 ? -20.0 : v[u];
#pragma omp simd
	for (size_t u = 0; u < n; u++)
		v[u] = cw_tanh_d_bounded(v[u]);
}

#endif
