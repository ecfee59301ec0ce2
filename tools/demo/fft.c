/* Radix-2 FFT: bit-reversal permutation, then log2(n) butterfly passes with
 * twiddles from one sin/cos per pass, advanced by complex multiplication in
 * double precision (error grows ~log n ulps: far below what a plot shows). */
#include "fft.h"

#include <math.h>

#define PI 3.14159265358979323846

static void
bit_reverse(double *re, double *im, size_t n)
{
	for (size_t i = 1, j = 0; i < n; i++) {
		size_t bit = n >> 1;
		for (; j & bit; bit >>= 1)
			j ^= bit;
		j |= bit;
		if (i < j) {
			double t = re[i];
			re[i] = re[j];
			re[j] = t;
			t = im[i];
			im[i] = im[j];
			im[j] = t;
		}
	}
}

int
fft_forward(double *re, double *im, size_t n)
{
	if (n == 0 || (n & (n - 1)))
		return -1;
	bit_reverse(re, im, n);
	for (size_t len = 2; len <= n; len <<= 1) {
		double angle = -2.0 * PI / (double)len;
		double wr = cos(angle), wi = sin(angle);
		for (size_t start = 0; start < n; start += len) {
			double cr = 1.0, ci = 0.0;
			for (size_t k = 0; k < len / 2; k++) {
				size_t a = start + k, b = a + len / 2;
				double xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
				re[b] = re[a] - xr;
				im[b] = im[a] - xi;
				re[a] += xr;
				im[a] += xi;
				double t = cr * wr - ci * wi;
				ci = cr * wi + ci * wr;
				cr = t;
			}
		}
	}
	return 0;
}
