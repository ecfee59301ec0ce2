/* Timing helpers shared by the benchmarks: a monotonic clock and the median
 * that every figure we print is taken from (the machines are shared and
 * noisy, so a mean would mostly measure the neighbours). */
#ifndef CWRNN_BENCH_TIMING_H
#define CWRNN_BENCH_TIMING_H

#include <stdlib.h>
#include <time.h>

static inline double
bench_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline int
bench_by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sorts v in place. */
static inline double
bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, bench_by_value);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#endif
