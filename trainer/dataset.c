/* Task data: alignment, latency, split, scales and batches. */
#include "dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "util.h"

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
	double **list = realloc(ds->owned, (ds->n_owned + 1) * sizeof *list);
	if (!list)
		return NULL;
	ds->owned = list;
	double *v = malloc((n ? n : 1) * sizeof *v);
	if (v)
		ds->owned[ds->n_owned++] = v;
	return v;
}

void
dataset_free(dataset *ds)
{
	for (size_t i = 0; i < ds->n_owned; i++)
		free(ds->owned[i]);
	free(ds->owned);
	free(ds->parts);
	memset(ds, 0, sizeof *ds);
}

void
dataset_init(dataset *ds, cwrnn_task task, int n_controls)
{
	memset(ds, 0, sizeof *ds);
	ds->task = task;
	ds->n_controls = n_controls;
}

static dataset_part *
new_part(dataset *ds, const char *name, int line, const double *controls, char *msg, size_t len)
{
	dataset_part *parts = realloc(ds->parts, (ds->n_parts + 1) * sizeof *parts);
	if (!parts) {
		cw_fail(msg, len, "out of memory");
		return NULL;
	}
	ds->parts = parts;
	dataset_part *p = &parts[ds->n_parts++];
	memset(p, 0, sizeof *p);
	p->name = name;
	p->line = line;
	for (int c = 0; c < ds->n_controls; c++)
		p->controls[c] = controls[c];
	if (!ds->source)
		ds->source = name;
	return p;
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
check_rate(dataset *ds, const wav_audio *w, const char *path, char *msg, size_t len)
{
	if (ds->rate == 0) {
		ds->rate = w->rate;
		ds->rate_source = path;
	}
	if (w->rate != ds->rate)
		return cw_fail(msg, len, "'%s' is %d Hz but '%s' is %d Hz; resample one of them",
		               ds->rate_source, ds->rate, path, w->rate);
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

/* The end of a part is held out for evaluation (--val). */
static void
hold_out(dataset *ds, dataset_part *p, size_t n, double val)
{
	p->vn = (size_t)floor((double)n * val);
	p->n = n - p->vn;
	p->vx = p->x ? p->x + p->n : NULL;
	p->vy = p->y + p->n;
	p->v_start = p->n;
	ds->val = p->vn > 0 ? VAL_HELD_OUT : VAL_TRAIN;
}

long
dataset_find_latency(const train_options *o, const wav_audio *in, const wav_audio *tg)
{
	long max_lag = lround(o->max_latency_ms * 1e-3 * in->rate);
	return max_lag > 0 ? latency_detect(in->samples, in->frames, tg->samples, tg->frames, max_lag)
	                   : 0;
}

int
dataset_add_pair(dataset *ds, const train_options *o, const wav_audio *in, const char *pin,
                 const wav_audio *tg, const char *ptg, long latency, const double *controls,
                 int line, char *msg, size_t len)
{
	if (check_rate(ds, in, pin, msg, len) != 0 || check_rate(ds, tg, ptg, msg, len) != 0 ||
	    check_sound(tg, ptg, "target", msg, len) != 0 ||
	    check_sound(in, pin, "input", msg, len) != 0)
		return -1;
	dataset_part *p = new_part(ds, ptg, line, controls, msg, len);
	if (!p)
		return -1;
	long max_lag = lround(o->max_latency_ms * 1e-3 * in->rate);
	p->latency = latency != DATASET_FIND_LATENCY ? latency : dataset_find_latency(o, in, tg);
	size_t n;
	if (align_pair(in, pin, tg, ptg, p->latency, max_lag > labs(p->latency) ? max_lag
	                                                                           : labs(p->latency),
	               &p->x, &p->y, &n, msg, len) != 0)
		return -1;
	hold_out(ds, p, n, o->val);
	return 0;
}

static int
build_transform(dataset *ds, const train_options *o, const wav_audio *in, const wav_audio *tg,
                const wav_audio *vin, const wav_audio *vtg, char *msg, size_t len)
{
	if (dataset_add_pair(ds, o, in, o->input, tg, o->target, DATASET_FIND_LATENCY, NULL, 0, msg,
	                     len) != 0)
		return -1;
	if (!vin)
		return 0;
	dataset_part *p = &ds->parts[0];
	long max_lag = lround(o->max_latency_ms * 1e-3 * in->rate);
	size_t n;
	if (check_rate(ds, vin, o->val_input, msg, len) != 0 ||
	    check_rate(ds, vtg, o->val_target, msg, len) != 0 ||
	    check_sound(vtg, o->val_target, "validation target", msg, len) != 0 ||
	    align_pair(vin, o->val_input, vtg, o->val_target, p->latency, max_lag, &p->vx, &p->vy, &n,
	               msg, len) != 0)
		return -1;
	p->n += p->vn;  /* all of the training files train */
	p->vn = n;
	p->v_start = 0;
	ds->val = VAL_FILES;
	return 0;
}

static int
build_continue(dataset *ds, const train_options *o, const wav_audio *in, const wav_audio *vin,
               char *msg, size_t len)
{
	if (check_rate(ds, in, o->input, msg, len) != 0 ||
	    check_sound(in, o->input, "input", msg, len) != 0)
		return -1;
	dataset_part *p = new_part(ds, o->input, 0, NULL, msg, len);
	if (!p)
		return -1;
	if (!(p->x = shifted(ds, in->samples, in->frames)))
		return cw_fail(msg, len, "out of memory for '%s'", o->input);
	p->y = in->samples;
	if (!vin) {
		hold_out(ds, p, in->frames, o->val);
		return 0;
	}
	if (check_rate(ds, vin, o->val_input, msg, len) != 0 ||
	    check_sound(vin, o->val_input, "validation input", msg, len) != 0)
		return -1;
	if (!(p->vx = shifted(ds, vin->samples, vin->frames)))
		return cw_fail(msg, len, "out of memory for '%s'", o->val_input);
	p->vy = vin->samples;
	p->vn = vin->frames;
	p->n = in->frames;
	ds->val = VAL_FILES;
	return 0;
}

static int
build_generate(dataset *ds, const train_options *o, const wav_audio *tg, char *msg, size_t len)
{
	if (check_rate(ds, tg, o->target, msg, len) != 0 ||
	    check_sound(tg, o->target, "target", msg, len) != 0)
		return -1;
	dataset_part *p = new_part(ds, o->target, 0, NULL, msg, len);
	if (!p)
		return -1;
	p->y = tg->samples;
	hold_out(ds, p, tg->frames, o->val);
	return 0;
}

/* Where a part comes from, for messages: "PAIRS:LINE" or its file. */
static void
part_where(const dataset *ds, const dataset_part *p, char *buf, size_t len)
{
	if (p->line > 0)
		snprintf(buf, len, "%s:%d ('%s')", ds->pairs_path, p->line, p->name);
	else
		snprintf(buf, len, "'%s'", p->name);
}

int
dataset_finish(dataset *ds, int steps, char *msg, size_t len)
{
	if (ds->n_parts == 0)
		return cw_fail(msg, len, "no audio to train on");
	ds->n = ds->vn = 0;
	int any_held_out = 0;
	for (size_t k = 0; k < ds->n_parts; k++) {
		dataset_part *p = &ds->parts[k];
		if (p->n < (size_t)steps) {
			char where[512];
			part_where(ds, p, where, sizeof where);
			return cw_fail(msg, len, "the training part of %s has %zu samples, fewer than one "
			               "segment (%d); use a shorter --segment/--warmup, a smaller --val or "
			               "a longer file", where, p->n, steps);
		}
		any_held_out |= p->vn > 0;
	}
	if (ds->val != VAL_FILES)
		ds->val = any_held_out ? VAL_HELD_OUT : VAL_TRAIN;
	for (size_t k = 0; k < ds->n_parts; k++) {
		dataset_part *p = &ds->parts[k];
		if (ds->val == VAL_TRAIN) {
			/* No held-out data: evaluate on the training part. */
			p->vx = p->x;
			p->vy = p->y;
			p->vn = p->n;
			p->v_start = 0;
		}
		ds->n += p->n;
		ds->vn += p->vn;
	}
	if (ds->val == VAL_HELD_OUT)
		for (size_t k = 0; k < ds->n_parts; k++)
			if (ds->parts[k].vn == 0) {
				char where[512];
				part_where(ds, &ds->parts[k], where, sizeof where);
				return cw_fail(msg, len, "%s is too short to hold out a --val part", where);
			}
	return 0;
}

int
dataset_scales(const dataset *ds, cwrnn_config *cfg, char *msg, size_t len)
{
	double in_peak = ds->task == CWRNN_TASK_GENERATE ? 1.0 : 0.0, out_peak = 0.0, y_peak = 0.0;
	for (size_t k = 0; k < ds->n_parts; k++) {
		const dataset_part *p = &ds->parts[k];
		if (p->x)
			in_peak = fmax(in_peak, wav_peak(p->x, p->n));
		y_peak = fmax(y_peak, wav_peak(p->y, p->n));
		for (size_t t = 0; t < p->n; t++)
			out_peak = fmax(out_peak, fabs(p->y[t] - (cfg->skip ? p->x[t] : 0.0)));
	}
	if (ds->n_seq > 0)  /* an instrument's notes: every sequence's target, no audio input */
		out_peak = y_peak = wav_peak(ds->seq_y, ds->n * (size_t)ds->n_seq);
	if (out_peak == 0.0)
		out_peak = y_peak;
	if (in_peak < 1.0 / CWRNN_MAX_SCALE || out_peak < 1.0 / CWRNN_MAX_SCALE)
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
	dataset_init(ds, o->task, 0);
	int rc;
	if (o->task == CWRNN_TASK_TRANSFORM)
		rc = build_transform(ds, o, input, target, val_input, val_target, msg, len);
	else if (o->task == CWRNN_TASK_CONTINUE)
		rc = build_continue(ds, o, input, val_input, msg, len);
	else
		rc = build_generate(ds, o, target, msg, len);
	if (rc != 0 || dataset_finish(ds, steps, msg, len) != 0) {
		dataset_free(ds);
		return -1;
	}
	return 0;
}

void
dataset_input(const dataset *ds, const dataset_part *p, const double *audio, size_t from,
              int steps, int b, int B, double *x)
{
	size_t m = 1 + (size_t)ds->n_controls;
	for (int s = 0; s < steps; s++) {
		double *xt = x + ((size_t)s * (size_t)B + (size_t)b) * m;
		xt[0] = audio[from + (size_t)s];
		for (int c = 0; c < ds->n_controls; c++)
			xt[1 + c] = p->controls[c];
	}
}

void
dataset_segment(const dataset *ds, size_t part, size_t offset, int steps, int b, int B,
                double *x, double *target)
{
	const dataset_part *p = &ds->parts[part];
	if (x && p->x)
		dataset_input(ds, p, p->x, offset, steps, b, B, x);
	for (int s = 0; s < steps; s++)
		target[(size_t)s * (size_t)B + (size_t)b] = p->y[offset + (size_t)s];
}

double
dataset_part_energy(const dataset *ds, size_t k, double preemph)
{
	const dataset_part *p = &ds->parts[k];
	double e = 0.0;
	for (size_t t = 1; t < p->n; t++) {
		double v = p->y[t] - preemph * p->y[t - 1];
		e += v * v;
	}
	return p->n > 1 ? e / (double)(p->n - 1) : 0.0;
}

void
dataset_random_batch(const dataset *ds, uint64_t *rng, int B, int steps, double *x,
                     double *target, size_t *part)
{
	/* Every training segment of every part equally likely: one draw over
	 * all the start offsets (one part: exactly the offsets of old). */
	uint64_t choices = 0;
	for (size_t k = 0; k < ds->n_parts; k++)
		choices += ds->parts[k].n - (size_t)steps + 1;
	for (int b = 0; b < B; b++) {
		uint64_t r = rng_below(rng, choices);
		size_t k = 0;
		while (r >= ds->parts[k].n - (size_t)steps + 1) {
			r -= ds->parts[k].n - (size_t)steps + 1;
			k++;
		}
		dataset_segment(ds, k, (size_t)r, steps, b, B, x, target);
		if (part)
			part[b] = k;
	}
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
