/* Task data: alignment, latency, split, normalisation and batches. */
#include "dataset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "rng.h"

#define LATENCY_WINDOW ((size_t)1 << 18)

long
latency_detect(const double *x, size_t nx, const double *y, size_t ny, long max_lag)
{
	/* The window starts where x does, after any leading silence. */
	double quiet = 1e-3 * wav_peak(x, nx);
	size_t start = 0;
	while (start < nx && fabs(x[start]) <= quiet)
		start++;
	size_t w = nx - start < LATENCY_WINDOW ? nx : start + LATENCY_WINDOW;
	long best = 0;
	double best_c = -1.0;
	/* Scan 0, 1, -1, 2, -2, ... so that ties keep the smaller |d|. */
	for (long k = 0; k <= 2 * max_lag; k++) {
		long d = (k + 1) / 2 * (k % 2 ? 1 : -1);
		size_t t0 = d < 0 && (size_t)-d > start ? (size_t)-d : start;
		long t1l = (long)w;
		if ((long)ny - d < t1l)
			t1l = (long)ny - d;
		if (t1l <= (long)t0)
			continue;
		size_t t1 = (size_t)t1l;
		double xy = 0.0, xx = 0.0, yy = 0.0;
		const double *ys = y + d;
#pragma omp simd reduction(+ : xy, xx, yy)
		for (size_t t = t0; t < t1; t++) {
			xy += x[t] * ys[t];
			xx += x[t] * x[t];
			yy += ys[t] * ys[t];
		}
		double c = xx > 0.0 && yy > 0.0 ? fabs(xy) / sqrt(xx * yy) : 0.0;
		if (c > best_c) {
			best_c = c;
			best = d;
		}
	}
	return best;
}

static double *
owned(dataset *ds, size_t n)
{
	for (int i = 0; i < 4; i++) {
		if (!ds->owned[i]) {
			ds->owned[i] = malloc((n ? n : 1) * sizeof(double));
			return ds->owned[i];
		}
	}
	return NULL;
}

void
dataset_free(dataset *ds)
{
	for (int i = 0; i < 4; i++)
		free(ds->owned[i]);
	memset(ds, 0, sizeof *ds);
}

/* Continue: x(t) = a(t - 1) with silence before the first sample. */
static double *
shifted(dataset *ds, const double *a, size_t n)
{
	double *x = owned(ds, n);
	if (x) {
		x[0] = 0.0;
		memcpy(x + 1, a, (n - 1) * sizeof *x);
	}
	return x;
}

static int
check_rates(const wav_audio *a, const char *pa, const wav_audio *b, const char *pb, char *msg,
            size_t len)
{
	if (a->rate != b->rate)
		return cw_fail(msg, len, "'%s' is %d Hz but '%s' is %d Hz; resample one of them", pa,
		               a->rate, pb, b->rate);
	return 0;
}

/* Transform: latency, then the common part of the two files. */
static int
align_pair(const wav_audio *in, const char *pin, const wav_audio *tg, const char *ptg, long d,
           long max_lag, const double **x, const double **y, size_t *n, char *msg, size_t len)
{
	size_t nx = in->frames, ny = tg->frames;
	size_t diff = nx > ny ? nx - ny : ny - nx;
	if (diff > (size_t)max_lag)
		return cw_fail(msg, len, "'%s' has %zu samples but '%s' has %zu: they differ by more "
		               "than the latency search range (%ld); trim them to the same length", pin,
		               nx, ptg, ny, max_lag);
	size_t sx = d < 0 ? (size_t)-d : 0, sy = d > 0 ? (size_t)d : 0;
	if (sx >= nx || sy >= ny)
		return cw_fail(msg, len, "'%s' is too short for its latency (%ld samples)", ptg, d);
	*x = in->samples + sx;
	*y = tg->samples + sy;
	*n = nx - sx < ny - sy ? nx - sx : ny - sy;
	return 0;
}

static int
check_sound(const wav_audio *w, const char *path, const char *role, char *msg, size_t len)
{
	if (wav_peak(w->samples, w->frames) == 0.0)
		return cw_fail(msg, len, "%s '%s' is pure silence: there is nothing to learn", role,
		               path);
	return 0;
}

static int
build_transform(dataset *ds, const train_options *o, const wav_audio *in, const wav_audio *tg,
                const wav_audio *vin, const wav_audio *vtg, char *msg, size_t len)
{
	if (check_rates(in, o->input, tg, o->target, msg, len) != 0 ||
	    check_sound(tg, o->target, "target", msg, len) != 0 ||
	    check_sound(in, o->input, "input", msg, len) != 0)
		return -1;
	long max_lag = lround(o->max_latency_ms * 1e-3 * in->rate);
	ds->latency = max_lag > 0 ? latency_detect(in->samples, in->frames, tg->samples, tg->frames,
	                                           max_lag)
	                          : 0;
	size_t n;
	if (align_pair(in, o->input, tg, o->target, ds->latency, max_lag, &ds->x, &ds->y, &n, msg,
	               len) != 0)
		return -1;
	if (vin) {
		if (check_rates(in, o->input, vin, o->val_input, msg, len) != 0 ||
		    check_rates(vin, o->val_input, vtg, o->val_target, msg, len) != 0 ||
		    check_sound(vtg, o->val_target, "validation target", msg, len) != 0 ||
		    align_pair(vin, o->val_input, vtg, o->val_target, ds->latency, max_lag, &ds->vx,
		               &ds->vy, &ds->vn, msg, len) != 0)
			return -1;
		ds->n = n;
		ds->val = VAL_FILES;
		return 0;
	}
	ds->vn = (size_t)floor((double)n * o->val);
	ds->n = n - ds->vn;
	ds->vx = ds->x + ds->n;
	ds->vy = ds->y + ds->n;
	ds->val = ds->vn > 0 ? VAL_HELD_OUT : VAL_TRAIN;
	return 0;
}

static int
build_continue(dataset *ds, const train_options *o, const wav_audio *in, const wav_audio *vin,
               char *msg, size_t len)
{
	if (check_sound(in, o->input, "input", msg, len) != 0)
		return -1;
	size_t n = in->frames;
	if (!(ds->x = shifted(ds, in->samples, n)))
		return cw_fail(msg, len, "out of memory for '%s'", o->input);
	ds->y = in->samples;
	if (vin) {
		if (check_rates(in, o->input, vin, o->val_input, msg, len) != 0 ||
		    check_sound(vin, o->val_input, "validation input", msg, len) != 0)
			return -1;
		if (!(ds->vx = shifted(ds, vin->samples, vin->frames)))
			return cw_fail(msg, len, "out of memory for '%s'", o->val_input);
		ds->vy = vin->samples;
		ds->vn = vin->frames;
		ds->n = n;
		ds->val = VAL_FILES;
		return 0;
	}
	ds->vn = (size_t)floor((double)n * o->val);
	ds->n = n - ds->vn;
	ds->vx = ds->x + ds->n;
	ds->vy = ds->y + ds->n;
	ds->val = ds->vn > 0 ? VAL_HELD_OUT : VAL_TRAIN;
	return 0;
}

static int
build_generate(dataset *ds, const train_options *o, const wav_audio *tg, char *msg, size_t len)
{
	if (check_sound(tg, o->target, "target", msg, len) != 0)
		return -1;
	size_t n = tg->frames;
	ds->y = tg->samples;
	ds->vn = (size_t)floor((double)n * o->val);
	ds->n = n - ds->vn;
	ds->vy = ds->y + ds->n;
	ds->v_start = ds->n;
	ds->val = ds->vn > 0 ? VAL_HELD_OUT : VAL_TRAIN;
	return 0;
}

int
dataset_scales(const dataset *ds, cwrnn_config *cfg, char *msg, size_t len)
{
	/* An instrument's notes: every sequence's target; no audio input. */
	const double *y = ds->n_seq > 0 ? ds->seq_y : ds->y;
	size_t n = ds->n_seq > 0 ? ds->n * (size_t)ds->n_seq : ds->n;
	double in_peak = ds->x ? wav_peak(ds->x, ds->n) : 1.0;
	double out_peak = 0.0;
	for (size_t t = 0; t < n; t++) {
		double r = fabs(y[t] - (cfg->skip ? ds->x[t] : 0.0));
		if (r > out_peak)
			out_peak = r;
	}
	if (out_peak == 0.0)
		out_peak = wav_peak(y, n);
	if (in_peak < 1.0 / CWRNN_MAX_SCALE || out_peak < 1.0 / CWRNN_MAX_SCALE || out_peak == 0.0)
		return cw_fail(msg, len, "the training part of '%s' is silent or too quiet "
		               "(peak below %g); use louder audio", ds->source, 1.0 / CWRNN_MAX_SCALE);
	cfg->in_scale = (float)(1.0 / in_peak);
	cfg->out_scale = (float)out_peak;
	return 0;
}

int
dataset_build(dataset *ds, const train_options *o, const wav_audio *input,
              const wav_audio *target, const wav_audio *val_input, const wav_audio *val_target,
              int steps, char *msg, size_t len)
{
	memset(ds, 0, sizeof *ds);
	ds->task = o->task;
	int rc;
	const char *main_path = o->task == CWRNN_TASK_CONTINUE ? o->input : o->target;
	ds->source = main_path;
	if (o->task == CWRNN_TASK_TRANSFORM)
		rc = build_transform(ds, o, input, target, val_input, val_target, msg, len);
	else if (o->task == CWRNN_TASK_CONTINUE)
		rc = build_continue(ds, o, input, val_input, msg, len);
	else
		rc = build_generate(ds, o, target, msg, len);
	if (rc != 0)
		goto fail;
	ds->rate = o->task == CWRNN_TASK_GENERATE ? target->rate : input->rate;
	if (ds->n < (size_t)steps) {
		rc = cw_fail(msg, len, "the training part of '%s' has %zu samples, fewer than one "
		             "segment (%d); use a shorter --segment/--warmup, a smaller --val or a "
		             "longer file", main_path, ds->n, steps);
		goto fail;
	}
	if (ds->val == VAL_TRAIN) {
		ds->vx = ds->x;
		ds->vy = ds->y;
		ds->vn = ds->n;
		ds->v_start = 0;
	}
	return 0;
fail:
	dataset_free(ds);
	return -1;
}

void
dataset_segment(const dataset *ds, size_t offset, int steps, int b, int B, double *x,
                double *target)
{
	for (int s = 0; s < steps; s++) {
		size_t t = offset + (size_t)s, at = (size_t)s * (size_t)B + (size_t)b;
		if (x)
			x[at] = ds->x[t];
		target[at] = ds->y[t];
	}
}

void
dataset_random_batch(const dataset *ds, uint64_t *rng, int B, int steps, double *x,
                     double *target)
{
	uint64_t choices = ds->n - (size_t)steps + 1;
	for (int b = 0; b < B; b++)
		dataset_segment(ds, (size_t)rng_below(rng, choices), steps, b, B, x, target);
}

void
dataset_notes(dataset *ds, const double *seq_x, const double *seq_y, size_t n, int n_seq, int m,
              double rate, const char *path)
{
	memset(ds, 0, sizeof *ds);
	ds->task = CWRNN_TASK_GENERATE;
	ds->source = path;
	ds->rate = (int)lround(rate);
	ds->n = ds->vn = n;
	ds->val = VAL_TRAIN;
	ds->n_seq = n_seq;
	ds->m = m;
	ds->seq_x = seq_x;
	ds->seq_y = seq_y;
}

void
dataset_notes_chunk(const dataset *ds, size_t offset, int steps, double *x, double *target)
{
	size_t B = (size_t)ds->n_seq, m = (size_t)ds->m, count = (size_t)steps * B;
	memcpy(x, ds->seq_x + offset * B * m, count * m * sizeof *x);
	memcpy(target, ds->seq_y + offset * B, count * sizeof *target);
}
