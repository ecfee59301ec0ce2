/* The capture signal and the checks of a recording of it (see capture.h). */
#include "capture.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "notes.h"
#include "rng.h"
#include "util.h"

#define PI 3.14159265358979323846
#define CLICK_AMP 0.5
#define CLICK_BLOCK 2.5        /* seconds */
#define N_CLICKS 4
static const double click_at[N_CLICKS] = {0.50, 0.75, 1.25, 2.00};  /* in a block */
#define SWEEP_SECONDS 8.0
#define GAP 0.5
#define N_BURSTS 16
#define BURST 0.4
#define BURST_GAP 0.2
#define LOUD_PHRASE 40.0
#define QUIET_PHRASE 25.0
#define ENVELOPE_MS 2.0        /* a click's response lasts about this long */
#define SEARCH_SECONDS 10.0    /* the clicks must start within this of the recording's start */
#define MAX_DRIFT 8            /* samples between the two click blocks */
#define TAIL_SILENCE 0.25      /* of the 0.5 s after the last click, what may be missing */

/* ----------------------------------------------------------- resampling */

/* A bundled phrase at rate, scaled to peak `peak`, at most `seconds`. */
static int
phrase(int bass, int rate, double peak, double seconds, double **out, size_t *n, char *msg,
       size_t len)
{
	size_t size;
	const unsigned char *flac = capture_phrase(bass, &size);
	wav_audio w;
	const char *name = bass ? "the bundled bass phrase" : "the bundled guitar phrase";
	if (wav_read_memory(flac, size, name, &w, msg, len) != 0)
		return -1;
	size_t keep = (size_t)(seconds * w.rate);
	if (keep > w.frames)
		keep = w.frames;
	/* At the signal's rate with the band-limited resampler notes use. */
	double r = (double)rate / w.rate;
	*n = notes_resampled_length(keep, r);
	*out = malloc((*n ? *n : 1) * sizeof **out);
	if (*out)
		notes_resample(w.samples, keep, r, *out);
	wav_free(&w);
	if (!*out)
		return cw_fail(msg, len, "out of memory for the capture signal");
	double p = wav_peak(*out, *n);
	for (size_t i = 0; p > 0.0 && i < *n; i++)
		(*out)[i] *= peak / p;
	return 0;
}

/* ---------------------------------------------------------------- signal */

typedef struct {
	double *x;
	size_t n, cap;
	int rate;
} builder;

static double *
grow(builder *b, double seconds)
{
	size_t add = (size_t)llround(seconds * b->rate);
	if (b->n + add > b->cap)
		return NULL;
	double *at = b->x + b->n;
	b->n += add;
	return at;
}

static void
clicks(builder *b)
{
	double *at = grow(b, CLICK_BLOCK);
	for (int k = 0; at && k < N_CLICKS; k++)
		at[(size_t)llround(click_at[k] * b->rate)] = CLICK_AMP;
}

static void
sweep(builder *b, double amp)
{
	double f0 = 30.0, f1 = fmin(16000.0, 0.45 * b->rate), T = SWEEP_SECONDS;
	double k = log(f1 / f0);
	double *at = grow(b, T);
	size_t n = (size_t)llround(T * b->rate), fade = (size_t)(0.01 * b->rate);
	for (size_t i = 0; at && i < n; i++) {
		double t = (double)i / b->rate;
		double phase = 2.0 * PI * f0 * T / k * (exp(t / T * k) - 1.0);
		double g = i < fade ? (double)i / fade : n - i < fade ? (double)(n - i) / fade : 1.0;
		at[i] = amp * g * sin(phase);
	}
	grow(b, GAP);
}

static void
bursts(builder *b)
{
	static const double level[4] = {0.02, 0.06, 0.18, 0.5};
	uint64_t rng = 0xc0ffee;
	for (int k = 0; k < N_BURSTS; k++) {
		size_t n = (size_t)llround(BURST * b->rate);
		double *at = grow(b, BURST);
		for (size_t i = 0; at && i < n; i++)
			at[i] = level[k % 4] * (2.0 * (double)(rng_next(&rng) >> 11) / 9007199254740992.0 - 1.0);
		grow(b, BURST_GAP);
	}
}

static void
append(builder *b, const double *x, size_t n)
{
	if (b->n + n > b->cap)
		return;
	memcpy(b->x + b->n, x, n * sizeof *x);
	b->n += n;
	grow(b, GAP);
}

int
capture_signal(int rate, wav_audio *out, char *msg, size_t len)
{
	memset(out, 0, sizeof *out);
	if (rate < 8000 || rate > 192000)
		return cw_fail(msg, len, "capture signal: rate %d Hz is outside 8000..192000", rate);
	double *g = NULL, *bs = NULL, *gq = NULL, *bq = NULL;
	size_t ng, nb, ngq, nbq;
	int rc = -1;
	if (phrase(0, rate, 0.5, LOUD_PHRASE, &g, &ng, msg, len) != 0 ||
	    phrase(1, rate, 0.5, LOUD_PHRASE, &bs, &nb, msg, len) != 0 ||
	    phrase(0, rate, 0.125, QUIET_PHRASE, &gq, &ngq, msg, len) != 0 ||
	    phrase(1, rate, 0.125, QUIET_PHRASE, &bq, &nbq, msg, len) != 0)
		goto done;
	builder b = {NULL, 0, 0, rate};
	b.cap = (size_t)(200.0 * rate) + ng + nb + ngq + nbq;
	if (!(b.x = calloc(b.cap, sizeof *b.x))) {
		cw_fail(msg, len, "out of memory for the capture signal");
		goto done;
	}
	clicks(&b);
	static const double sweep_amp[4] = {0.0316, 0.126, 0.251, 0.501};  /* -30 .. -6 dBFS */
	for (int k = 0; k < 4; k++)
		sweep(&b, sweep_amp[k]);
	bursts(&b);
	/* Loud guitar last: the end of a recording is held out to judge the
	 * model (--val), and guitar at playing level is what it must get right. */
	append(&b, gq, ngq);
	append(&b, bq, nbq);
	append(&b, bs, nb);
	append(&b, g, ng);
	clicks(&b);
	out->samples = b.x;
	out->frames = b.n;
	out->channels = 1;
	out->rate = rate;
	rc = 0;
done:
	free(g);
	free(bs);
	free(gq);
	free(bq);
	return rc;
}

/* -------------------------------------------------------------- locating */

/* The search runs on an envelope of blocks of ENVELOPE_MS (each block's
 * largest |x|): a click's response through an effect lies in its first
 * milliseconds, and 10 s of blocks are few enough to try every start. */
typedef struct {
	double *e;     /* (n) block maxima */
	size_t n, d;   /* blocks, samples per block */
} blocks;

static int
blocks_of(const double *x, size_t n, size_t from, size_t len, int rate, blocks *b)
{
	b->d = (size_t)(ENVELOPE_MS * 1e-3 * rate) + 1;
	b->n = len / b->d + 1;
	b->e = calloc(b->n, sizeof *b->e);
	if (!b->e)
		return -1;
	for (size_t i = 0; i < len && from + i < n; i++)
		b->e[i / b->d] = fmax(b->e[i / b->d], fabs(x[from + i]));
	return 0;
}

/* The clicks of a block starting in envelope block j, played `speed` times
 * as fast as written: the weakest (a click may straddle two blocks) over the
 * loudest block in the quiet stretches between them, which must be quiet:
 * that tells clicks from music. */
static double
click_ratio(const blocks *b, size_t j, int rate, double speed)
{
	double weakest = INFINITY, noise = 0.0;
	for (int k = 0; k < N_CLICKS; k++) {
		size_t at = j + (size_t)(click_at[k] / speed * rate) / b->d;
		double v = at + 1 < b->n ? fmax(b->e[at], b->e[at + 1]) : 0.0;
		weakest = fmin(weakest, v);
	}
	for (int k = 0; k + 1 < N_CLICKS; k++) {
		size_t a = j + (size_t)((click_at[k] + 0.01) / speed * rate) / b->d;
		size_t z = j + (size_t)((click_at[k + 1] - 0.01) / speed * rate) / b->d;
		for (size_t i = a; i < z && i < b->n; i++)
			noise = fmax(noise, b->e[i]);
	}
	return weakest / fmax(noise, 1e-9);
}

/* The best start block in [lo, hi]; returns its ratio. */
static double
find_clicks(const blocks *b, size_t lo, size_t hi, int rate, double speed, size_t *at)
{
	double best = 0.0;
	*at = lo;
	for (size_t j = lo; j <= hi && j < b->n; j++) {
		double r = click_ratio(b, j, rate, speed);
		if (r > best) {
			best = r;
			*at = j;
		}
	}
	return best;
}

#define CLEAR 3.0  /* clicks at least this far above the quiet between them */

/* The exact lag of rec against sig over sig[s0, s0 + len), rec read from
 * `base` on (near where it should be): rec[base + d + i] ~ sig[s0 + i].
 * base may be a little negative (a recording that starts just after the
 * signal did), passed as its size_t wrap: the sum is taken first, where
 * unsigned arithmetic wraps back, before it becomes a pointer offset. */
static long
fine_lag(const wav_audio *rec, const wav_audio *sig, size_t s0, size_t len, size_t base,
         long max_lag)
{
	size_t at = base + s0;
	if (at >= rec->frames)
		return 0;
	return latency_detect(sig->samples + s0, len, rec->samples + at, rec->frames - at, max_lag);
}

int
capture_locate(const wav_audio *rec, const wav_audio *sig, const char *name, long *latency,
               char *msg, size_t len)
{
	const double *x = rec->samples;
	size_t n = rec->frames;
	int rate = sig->rate;
	double peak = wav_peak(x, n);
	if (peak < 1e-4)
		return cw_fail(msg, len, "'%s' is silent (nothing above -80 dBFS): the capture signal "
		               "did not reach the recorder; check the routing", name);
	size_t runs = 0;
	for (size_t i = 0, run = 0; i < n; i++) {
		run = fabs(x[i]) >= 0.999 ? run + 1 : 0;
		runs += run == 3;
	}
	if (runs > 10)
		return cw_fail(msg, len, "'%s' clips (%zu runs of full-scale samples): lower the "
		               "recording level and record it again", name, runs);
	/* The opening clicks, within SEARCH_SECONDS of the recording's start. */
	size_t block = (size_t)(CLICK_BLOCK * rate);
	blocks head;
	if (blocks_of(x, n, 0, (size_t)(SEARCH_SECONDS * rate) + 2 * block, rate, &head) != 0)
		return cw_fail(msg, len, "out of memory");
	size_t last = (size_t)(SEARCH_SECONDS * rate) / head.d, j;
	double clear = find_clicks(&head, 0, last, rate, 1.0, &j);
	if (clear < CLEAR) {
		/* Played at another rate: the clicks come closer or farther apart. */
		static const double speeds[] = {48000.0 / 44100.0, 44100.0 / 48000.0, 2.0, 0.5,
		                                96000.0 / 44100.0, 44100.0 / 96000.0};
		for (size_t k = 0; k < sizeof speeds / sizeof speeds[0]; k++) {
			size_t alt;
			if (find_clicks(&head, 0, last, rate, speeds[k], &alt) >= CLEAR) {
				free(head.e);
				return cw_fail(msg, len, "'%s' runs %.4g times as fast as the capture signal: "
				               "it was played or recorded at another rate than its %d Hz; play "
				               "the capture at its own rate and record at the same one",
				               name, speeds[k], rate);
			}
		}
		free(head.e);
		return cw_fail(msg, len, "'%s' is not a recording of the capture signal: no "
		               "calibration clicks in its first %.0f s (make the signal with "
		               "cwrnn-train capture-signal)", name, SEARCH_SECONDS);
	}
	size_t d = head.d;
	free(head.e);
	/* To the sample: cross-correlation over the sweeps near that block. */
	size_t base = j * d > 2 * d ? j * d - 2 * d : 0;
	size_t sweeps = (size_t)(4 * (SWEEP_SECONDS + GAP) * rate);
	long start = (long)base + fine_lag(rec, sig, block, sweeps, base, (long)(5 * d));
	/* The signal ends in TAIL_SILENCE of silence after its last click: a
	 * recording may stop in it (a plugin host's output is as long as its
	 * input, the latency short of the signal's end). */
	if (start + (long)sig->frames > (long)n + (long)(TAIL_SILENCE * rate))
		return cw_fail(msg, len, "'%s' is truncated: it ends %.1f s before the capture signal "
		               "does; record the whole signal", name,
		               (double)(start + (long)sig->frames - (long)n) / rate);
	/* The closing clicks, where the signal ends (or near: a recorder on
	 * another clock than the player drifts, 0.2 % at the most is looked at). */
	blocks tail;
	size_t room = (size_t)(0.002 * (double)sig->frames) / d + 2;
	size_t expected = (size_t)start + sig->frames - block;
	size_t from = expected > room * d ? expected - room * d : 0;
	if (blocks_of(x, n, from, block + 2 * room * d, rate, &tail) != 0)
		return cw_fail(msg, len, "out of memory");
	size_t tj;
	double tail_clear = find_clicks(&tail, 0, 2 * room, rate, 1.0, &tj);
	free(tail.e);
	if (tail_clear < CLEAR)
		return cw_fail(msg, len, "'%s' lacks the closing calibration clicks: it is not the "
		               "whole capture signal", name);
	long drift = ((long)tj - (long)((expected - from) / d)) * (long)d;
	if (labs(drift) <= (long)(2 * d)) {
		/* To the sample, over the last loud guitar. */
		size_t end_len = (size_t)(8.0 * rate);
		size_t end_from = sig->frames - block - (size_t)(GAP * rate) - end_len;
		drift = fine_lag(rec, sig, end_from, end_len, (size_t)start, (long)(3 * d));
	}
	if (labs(drift) > MAX_DRIFT)
		return cw_fail(msg, len, "'%s' drifts about %ld samples over the capture signal: "
		               "player and recorder run on different clocks; play and record through "
		               "one interface", name, drift);
	*latency = start;
	return 0;
}

const char *
capture_verdict(double esr)
{
	return esr <= 0.01 ? "great" : esr <= 0.03 ? "good" : esr <= 0.1 ? "usable" : "poor";
}
