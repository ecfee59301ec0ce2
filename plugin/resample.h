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
 *
 * The instrument reads every voice's output at c = 0.5 once per host sample
 * (its networks run slower than the host below F#6 at 48 kHz), so that read
 * has its own form: the same kernel laid out as a polyphase table (one row
 * of CW_RS_TAPS weights per fraction of a sample, rows linearly interpolated
 * like the prototype's points), dotted with a contiguous window of the ring
 * in one vectorised loop. The effects keep cw_rs_read (their resampled output
 * stays what it was).
 */
#ifndef CW_RESAMPLE_H
#define CW_RESAMPLE_H

#include <stdint.h>

#define CW_RS_ZEROS 16         /* zero crossings per side at c = 0.5 */
#define CW_RS_RES 256          /* table points per zero crossing */
#define CW_RS_RING 2048        /* samples kept per stream (power of two) */
#define CW_RS_MIN_CUTOFF (1.0 / 64.0)
#define CW_RS_TAPS (2 * CW_RS_ZEROS) /* samples the c = 0.5 kernel spans */
#define CW_RS_PHASES CW_RS_RES   /* polyphase rows per sample */

typedef struct {
	float g[CW_RS_ZEROS * CW_RS_RES + 2]; /* g(u) for u = i / CW_RS_RES, u in [0, ZEROS] */
} cw_rs_kernel;

typedef struct {
	/* row[p][t]: weight of the sample CW_RS_ZEROS - t - p / CW_RS_PHASES
	 * after the read position; each row sums to 1 */
	float row[CW_RS_PHASES + 1][CW_RS_TAPS];
} cw_rs_poly;

typedef struct {
	/* the first CW_RS_TAPS samples are repeated past the end, so that any
	 * CW_RS_TAPS consecutive samples are contiguous (cw_rs_interp) */
	float ring[CW_RS_RING + CW_RS_TAPS];
	uint32_t head;  /* index of the newest sample */
} cw_rs_stream;

/* Fills the prototype table. Not real-time safe (calls sin/exp freely). */
void cw_rs_kernel_init(cw_rs_kernel *k);

/* Fills the polyphase table of the c = 0.5 kernel. Not real-time safe. */
void cw_rs_poly_init(cw_rs_poly *p);

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
	if (s->head < CW_RS_TAPS)
		s->ring[s->head + CW_RS_RING] = x;
}

/* [RT] The stream's value `back` samples before its newest one (back >= 0,
 * fractional), band-limited at cutoff c. Needs back >= cw_rs_half(c) for the
 * kernel to see only written samples, and back + cw_rs_half(c) < CW_RS_RING. */
float cw_rs_read(const cw_rs_stream *s, const cw_rs_kernel *k, double back, double c);

/* [RT] cw_rs_read at c = 0.5 through the polyphase table: the same kernel
 * within float rounding. Needs CW_RS_ZEROS - 1 <= back and
 * back + CW_RS_ZEROS < CW_RS_RING. */
float cw_rs_interp(const cw_rs_stream *s, const cw_rs_poly *p, double back);

#endif
