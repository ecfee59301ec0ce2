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

/* The prototype g(u), u >= 0 in zero crossings: a Kaiser-windowed sinc. */
static double
prototype(double u)
{
	const double pi = 3.14159265358979323846;
	double r = u / CW_RS_ZEROS;
	double w = r < 1.0 ? bessel_i0(CW_RS_BETA * sqrt(1.0 - r * r)) / bessel_i0(CW_RS_BETA) : 0.0;
	double s = u == 0.0 ? 1.0 : sin(pi * u) / (pi * u);
	return s * w;
}

void
cw_rs_kernel_init(cw_rs_kernel *k)
{
	const int n = CW_RS_ZEROS * CW_RS_RES;
	for (int i = 0; i <= n + 1; i++)
		k->g[i] = (float)prototype((double)i / CW_RS_RES);
}

void
cw_rs_poly_init(cw_rs_poly *p)
{
	for (int ph = 0; ph <= CW_RS_PHASES; ph++) {
		double w[CW_RS_TAPS], sum = 0.0;
		for (int t = 0; t < CW_RS_TAPS; t++) {
			w[t] = prototype(fabs(CW_RS_ZEROS - t - (double)ph / CW_RS_PHASES));
			sum += w[t];
		}
		for (int t = 0; t < CW_RS_TAPS; t++)
			p->row[ph][t] = (float)(w[t] / sum);
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

/* Weighted sum over n samples, from j back from the newest in steps of dj,
 * where the first sits at u = pos / RES in the prototype and each next one
 * step / RES further out (u >= 0 and rising: the caller walks each half of
 * the kernel from its centre). The callers' ranges keep u * RES within the
 * table (which has two spare points). */
static inline void
half_sum(const cw_rs_stream *s, const cw_rs_kernel *k, long j, long n, long dj, double pos,
         double step, float *acc, float *wsum)
{
	float a = 0.0f, w = 0.0f;
	for (long t = 0; t < n; t++, j += dj, pos += step) {
		int i = (int)pos;
		float f = (float)(pos - i);
		float g = k->g[i] + f * (k->g[i + 1] - k->g[i]);
		a += g * s->ring[(s->head - (uint32_t)j) & (CW_RS_RING - 1)];
		w += g;
	}
	*acc += a;
	*wsum += w;
}

float
cw_rs_read(const cw_rs_stream *s, const cw_rs_kernel *k, double back, double c)
{
	if (c < CW_RS_MIN_CUTOFF)
		c = CW_RS_MIN_CUTOFF;
	const double half = CW_RS_ZEROS / (2.0 * c), step = 2.0 * c * CW_RS_RES;
	/* samples j back from the newest with |j - back| < half, at u = 2c |j - back| */
	long lo = (long)ceil(back - half), hi = (long)floor(back + half), mid = (long)floor(back);
	if (lo < 0)
		lo = 0;
	if (hi > CW_RS_RING - 1)
		hi = CW_RS_RING - 1;
	float acc = 0.0f, wsum = 0.0f;
	if (mid >= lo) /* mid, mid - 1, ..., lo */
		half_sum(s, k, mid, mid - lo + 1, -1, (back - (double)mid) * step, step, &acc, &wsum);
	if (hi > mid) /* mid + 1, ..., hi */
		half_sum(s, k, mid + 1, hi - mid, 1, ((double)(mid + 1) - back) * step, step, &acc,
		         &wsum);
	return wsum > 0.0f ? acc / wsum : 0.0f;
}

float
cw_rs_interp(const cw_rs_stream *s, const cw_rs_poly *p, double back)
{
	long mid = (long)back;
	double x = (back - (double)mid) * CW_RS_PHASES;
	int ph = (int)x;
	float f = (float)(x - ph);
	const float *a = p->row[ph], *b = p->row[ph + 1];
	/* samples mid + ZEROS (oldest) .. mid - ZEROS + 1 back from the newest */
	const float *w = s->ring + ((s->head - (uint32_t)(mid + CW_RS_ZEROS)) & (CW_RS_RING - 1));
	float acc = 0.0f;
#pragma omp simd reduction(+ : acc)
	for (int t = 0; t < CW_RS_TAPS; t++)
		acc += (a[t] + f * (b[t] - a[t])) * w[t];
	return acc;
}
