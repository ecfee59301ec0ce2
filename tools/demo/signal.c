/* Signal measures (see signal.h). */
#include "signal.h"

#include <math.h>
#include <stdlib.h>

#include "fft.h"

#define PI 3.14159265358979323846

double
sig_esr(const float *y, const float *target, size_t n)
{
	double ee = 0.0, tt = 0.0;
	for (size_t i = 0; i < n; i++) {
		double e = (double)target[i] - (double)y[i];
		ee += e * e;
		tt += (double)target[i] * (double)target[i];
	}
	return tt > 0.0 ? ee / tt : INFINITY;
}

double
sig_max_abs_diff(const float *a, const float *b, size_t n)
{
	double m = 0.0;
	for (size_t i = 0; i < n; i++)
		m = fmax(m, fabs((double)a[i] - (double)b[i]));
	return m;
}

int
sig_power_spectrum(const float *x, size_t n, size_t fft_n, double *power)
{
	if (fft_n < 2 || (fft_n & (fft_n - 1)))
		return -1;
	double *re = malloc(2 * fft_n * sizeof *re), *win = malloc(fft_n * sizeof *win);
	if (!re || !win) {
		free(re);
		free(win);
		return -1;
	}
	double *im = re + fft_n, wsum = 0.0;
	for (size_t i = 0; i < fft_n; i++) {
		win[i] = 0.5 - 0.5 * cos(2.0 * PI * (double)i / (double)fft_n);
		wsum += win[i];
	}
	size_t half = fft_n / 2, hop = half, frames = 0;
	for (size_t k = 0; k <= half; k++)
		power[k] = 0.0;
	for (size_t start = 0; frames == 0 || start + fft_n <= n; start += hop) {
		for (size_t i = 0; i < fft_n; i++) {
			re[i] = start + i < n ? win[i] * x[start + i] : 0.0;
			im[i] = 0.0;
		}
		fft_forward(re, im, fft_n);
		for (size_t k = 0; k <= half; k++)
			power[k] += re[k] * re[k] + im[k] * im[k];
		frames++;
	}
	/* A sine of amplitude A at a bin centre gives |X| = A wsum / 2. */
	double scale = 4.0 / (wsum * wsum * (double)frames);
	for (size_t k = 0; k <= half; k++)
		power[k] *= scale;
	free(re);
	free(win);
	return 0;
}

double
sig_centroid(const float *x, size_t n, size_t fft_n, double rate)
{
	double *p = malloc((fft_n / 2 + 1) * sizeof *p), num = 0.0, den = 0.0;
	if (!p || sig_power_spectrum(x, n, fft_n, p) != 0) {
		free(p);
		return NAN;
	}
	for (size_t k = 1; k <= fft_n / 2; k++) {
		num += (double)k * rate / (double)fft_n * p[k];
		den += p[k];
	}
	free(p);
	return den > 0.0 ? num / den : NAN;
}

size_t
sig_loudest(const float *x, size_t n, size_t win)
{
	if (n <= win)
		return 0;
	size_t hop = win / 4 ? win / 4 : 1, best = 0;
	double best_e = -1.0;
	for (size_t s = 0; s + win <= n; s += hop) {
		double e = 0.0;
		for (size_t i = 0; i < win; i++)
			e += (double)x[s + i] * x[s + i];
		if (e > best_e) {
			best_e = e;
			best = s;
		}
	}
	return best;
}

void
sig_envelope(const float *x, size_t n, int cols, float *lo, float *hi)
{
	for (int c = 0; c < cols; c++) {
		size_t a = n * (size_t)c / (size_t)cols, b = n * (size_t)(c + 1) / (size_t)cols;
		if (b <= a)
			b = a + 1 <= n ? a + 1 : a;
		float mn = a < n ? x[a] : 0.0f, mx = mn;
		for (size_t i = a; i < b; i++) {
			mn = fminf(mn, x[i]);
			mx = fmaxf(mx, x[i]);
		}
		lo[c] = mn;
		hi[c] = mx;
	}
}

/* Autocorrelation of x[0..n) at lag over the first w samples. */
static double
autocorr(const float *x, size_t w, long lag)
{
	double s = 0.0;
	for (size_t t = 0; t < w; t++)
		s += (double)x[t] * x[t + (size_t)lag];
	return s;
}

/* The lag in [lo, hi] with the largest autocorrelation, refined by a
 * parabola through its neighbours. */
static double
best_lag(const float *x, size_t w, long lo, long hi)
{
	long at = lo;
	double best = -1e300;
	for (long lag = lo; lag <= hi; lag++) {
		double s = autocorr(x, w, lag);
		if (s > best) {
			best = s;
			at = lag;
		}
	}
	double a = autocorr(x, w, at - 1), b = best, c = autocorr(x, w, at + 1);
	double den = a - 2.0 * b + c;
	double off = den < 0.0 ? 0.5 * (a - c) / den : 0.0;
	return (double)at + (off > 0.5 ? 0.5 : off < -0.5 ? -0.5 : off);
}

/* See signal.h: the best lag near one period, then refined over as many
 * periods as fit in half of x (a fraction of a sample over k periods). */
double
sig_period(const float *x, size_t n, double guess)
{
	size_t w = n / 2;
	double p1 = best_lag(x, w, (long)floor(0.94 * guess), (long)ceil(1.06 * guess));
	long k = (long)((double)(n - w - 2) / (p1 + 1.0));
	if (k < 1)
		k = 1;
	long centre = lround((double)k * p1), span = k / 2 + 2;
	return best_lag(x, w, centre - span, centre + span) / (double)k;
}
