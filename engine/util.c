/* Engine-internal helpers: error messages and a deterministic RNG. */
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

int
cw_vfail(char *msg, size_t msg_len, const char *fmt, va_list ap)
{
	if (msg && msg_len > 0)
		vsnprintf(msg, msg_len, fmt, ap);
	return -1;
}

int
cw_fail(char *msg, size_t msg_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cw_vfail(msg, msg_len, fmt, ap);
	va_end(ap);
	return -1;
}

unsigned long long
cw_rng_next(cw_rng *rng)
{
	unsigned long long z = (rng->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

double
cw_rng_uniform(cw_rng *rng)
{
	return (double)(cw_rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

double
cw_rng_normal(cw_rng *rng)
{
	/* 1 - u keeps the logarithm's argument in (0, 1]. */
	double u = 1.0 - cw_rng_uniform(rng), v = cw_rng_uniform(rng);
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}
