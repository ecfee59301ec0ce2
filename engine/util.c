/* Engine-internal helpers: error messages, reading a whole file and a
 * deterministic RNG. */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
cw_read_file(const char *path, size_t max, const char *what, unsigned char **data, size_t *size,
             char *msg, size_t msg_len)
{
	*data = NULL;
	*size = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return cw_fail(msg, msg_len, "cannot read %s '%s': %s", what, path, strerror(errno));
	unsigned char *buf = malloc(max + 2);
	size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
	int bad = !buf || ferror(f);
	fclose(f);
	if (bad || n > max) {
		free(buf);
		return bad ? cw_fail(msg, msg_len, "cannot read %s '%s'", what, path)
		           : cw_fail(msg, msg_len, "%s '%s' is larger than %zu bytes", what, path, max);
	}
	buf[n] = '\0';
	*data = buf;
	*size = n;
	return 0;
}
