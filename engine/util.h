/* Small helpers shared inside the engine (not part of the public API). */
#ifndef CWRNN_UTIL_H
#define CWRNN_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Writes a printf-style message into msg (if not NULL) and returns -1, so
 * checks read `return cw_fail(msg, len, "...", ...)`. The one error
 * formatter of the tree: the engine, the trainer and the tools use it (or
 * cw_vfail, for wrappers that return something else). */
int cw_fail(char *msg, size_t msg_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cw_vfail(char *msg, size_t msg_len, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Reads a whole file of at most max bytes into a malloc'ed buffer (NUL
 * appended, not counted in *size; the caller frees *data). what names the
 * file's kind in messages ("MIDI file"). Returns 0, or -1 with one line in
 * msg (cannot open, cannot read, larger than max) and *data NULL. */
int cw_read_file(const char *path, size_t max, const char *what, unsigned char **data,
                 size_t *size, char *msg, size_t msg_len);

/* splitmix64: a tiny, well-mixed 64-bit generator for deterministic
 * initialisation (the same seed gives the same weights on every machine). */
typedef struct {
	unsigned long long s;
} cw_rng;

unsigned long long cw_rng_next(cw_rng *rng);
double cw_rng_uniform(cw_rng *rng);   /* [0, 1) with 53 random bits */
double cw_rng_normal(cw_rng *rng);    /* N(0, 1), Box-Muller */

#endif
