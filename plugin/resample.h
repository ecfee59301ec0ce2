/*
 * Band-limited reading of a sample stream at fractional positions: the
 * interpolation behind fractional stepping when the network runs at a rate
 * other than the host's (DESIGN §1 model sample rate, note playback rates).
 *
 * The kernel is a Kaiser-windowed sinc with CW_RS_ZEROS zero crossings on
 * each side at cutoff c (cycles per source sample). c = 0.5 interpolates;
 * c < 0.5 also low-passes, which a stream read at a lower rate than it was
 * written needs against aliasing. The kernel widens as c falls: it spans
 * CW_RS_ZEROS / (2c) source samples on each side (cw_rs_half).
 *
 * One prototype table serves every cutoff (h(x) = 2c g(2c x)); weights are
 * normalised by their sum so DC passes exactly.
 */
#ifndef CW_RESAMPLE_H
#define CW_RESAMPLE_H

#include <stdint.h>

#define CW_RS_ZEROS 16         /* zero crossings per side at c = 0.5 */
#define CW_RS_RES 256          /* table points per zero crossing */
#define CW_RS_RING 2048        /* samples kept per stream (power of two) */
#define CW_RS_MIN_CUTOFF (1.0 / 64.0)

typedef struct {
	float g[CW_RS_ZEROS * CW_RS_RES + 2]; /* g(u) for u = i / CW_RS_RES, u in [0, ZEROS] */
} cw_rs_kernel;

typedef struct {
	float ring[CW_RS_RING];
	uint32_t head;  /* index of the newest sample */
} cw_rs_stream;

/* Fills the prototype table. Not real-time safe (calls sin/exp freely). */
void cw_rs_kernel_init(cw_rs_kernel *k);

/* Half-width of the kernel in source samples for cutoff c. */
double cw_rs_half(double c);

/* [RT] Empties a stream (all zeros). */
void cw_rs_clear(cw_rs_stream *s);

/* [RT] Appends one sample. */
static inline void
cw_rs_push(cw_rs_stream *s, float x)
{
	s->head = (s->head + 1) & (CW_RS_RING - 1);
	s->ring[s->head] = x;
}

/* [RT] The stream's value `back` samples before its newest one (back >= 0,
 * fractional), band-limited at cutoff c. Needs back >= cw_rs_half(c) for the
 * kernel to see only written samples, and back + cw_rs_half(c) < CW_RS_RING. */
float cw_rs_read(const cw_rs_stream *s, const cw_rs_kernel *k, double back, double c);

#endif
