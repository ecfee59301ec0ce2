/* Windowed-sinc fractional reading (see resample.h). */
#include "resample.h"

#include <math.h>
#include <string.h>

#define CW_RS_BETA 7.0 /* Kaiser window: about 70 dB stop band */

static double
bessel_i0(double x)
{
	double sum = 1.0, term = 1.0;
	for (int k = 1; k < 50; k++) {
		term *= (x / (2.0 * k)) * (x / (2.0 * k));
		sum += term;
		if (term < 1e-12 * sum)
			break;
	}
	return sum;
}

void
cw_rs_kernel_init(cw_rs_kernel *k)
{
	const int n = CW_RS_ZEROS * CW_RS_RES;
	const double pi = 3.14159265358979323846;
	for (int i = 0; i <= n + 1; i++) {
		double u = (double)i / CW_RS_RES;
		double r = u / CW_RS_ZEROS;
		double w = r < 1.0 ? bessel_i0(CW_RS_BETA * sqrt(1.0 - r * r)) / bessel_i0(CW_RS_BETA) : 0.0;
		double s = i == 0 ? 1.0 : sin(pi * u) / (pi * u);
		k->g[i] = (float)(s * w);
	}
}

double
cw_rs_half(double c)
{
	if (c < CW_RS_MIN_CUTOFF)
		c = CW_RS_MIN_CUTOFF;
	return CW_RS_ZEROS / (2.0 * c);
}

void
cw_rs_clear(cw_rs_stream *s)
{
	memset(s->ring, 0, sizeof s->ring);
	s->head = 0;
}

/* g(|u|) by linear interpolation in the table; 0 outside the window */
static inline float
proto(const cw_rs_kernel *k, double u)
{
	double a = fabs(u) * CW_RS_RES;
	if (a >= CW_RS_ZEROS * CW_RS_RES)
		return 0.0f;
	int i = (int)a;
	float f = (float)(a - i);
	return k->g[i] + f * (k->g[i + 1] - k->g[i]);
}

float
cw_rs_read(const cw_rs_stream *s, const cw_rs_kernel *k, double back, double c)
{
	if (c < CW_RS_MIN_CUTOFF)
		c = CW_RS_MIN_CUTOFF;
	const double half = CW_RS_ZEROS / (2.0 * c);
	/* samples j back from the newest with |j - back| < half */
	long lo = (long)ceil(back - half), hi = (long)floor(back + half);
	if (lo < 0)
		lo = 0;
	if (hi > CW_RS_RING - 1)
		hi = CW_RS_RING - 1;
	const double two_c = 2.0 * c;
	float acc = 0.0f, wsum = 0.0f;
	for (long j = lo; j <= hi; j++) {
		float w = proto(k, two_c * ((double)j - back));
		acc += w * s->ring[(s->head - (uint32_t)j) & (CW_RS_RING - 1)];
		wsum += w;
	}
	return wsum > 0.0f ? acc / wsum : 0.0f;
}
