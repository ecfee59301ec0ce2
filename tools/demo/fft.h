/* A small in-place complex FFT (iterative radix-2, decimation in time). */
#ifndef DEMO_FFT_H
#define DEMO_FFT_H

#include <stddef.h>

/* Forward transform of n complex values (re, im), X[k] = sum x[t] e^{-2 pi i k t / n},
 * in place. n must be a power of two (1 included). Returns 0, or -1 if not. */
int fft_forward(double *re, double *im, size_t n);

#endif
