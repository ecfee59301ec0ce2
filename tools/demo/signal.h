/* Signal measures for the demo and the tests: error ratios, Welch spectra,
 * envelopes, pitch. */
#ifndef DEMO_SIGNAL_H
#define DEMO_SIGNAL_H

#include <stddef.h>

/* Error-to-signal ratio sum (t - y)^2 / sum t^2 over n samples (INFINITY
 * when the target is silent). */
double sig_esr(const float *y, const float *target, size_t n);

/* Largest |a - b| over n samples. */
double sig_max_abs_diff(const float *a, const float *b, size_t n);

/* Mean power spectrum (Welch): Hann-windowed frames of fft_n (a power of
 * two) with 50 % overlap, power[k] for k = 0 .. fft_n / 2 normalised so a
 * full-scale sine at a bin's centre reads 1 (0 dB). A signal shorter than
 * fft_n is one zero-padded frame. Returns 0, or -1 (fft_n not a power of two
 * or out of memory). */
int sig_power_spectrum(const float *x, size_t n, size_t fft_n, double *power);

/* Spectral centroid (Hz) of x sampled at rate: the power-weighted mean
 * frequency of its sig_power_spectrum (fft_n), DC left out. NAN when the
 * spectrum cannot be made or x is silent. */
double sig_centroid(const float *x, size_t n, size_t fft_n, double rate);

/* Start of the win-sample window of x (hop win / 4) with the most energy. */
size_t sig_loudest(const float *x, size_t n, size_t win);

/* Smallest and largest sample of each of cols equal slices of x. */
void sig_envelope(const float *x, size_t n, int cols, float *lo, float *hi);

/* Period in samples of x[0..n) near `guess` (within 6 %), from the
 * autocorrelation over the first n / 2 samples, refined over as many periods
 * as fit: a fraction of a sample over k periods gives the pitch to a fraction
 * of a cent. */
double sig_period(const float *x, size_t n, double guess);

#endif
