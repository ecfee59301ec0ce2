/* Progress line and log lines. */
#include "progress.h"

#include <math.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_MAX_PAIRS 12

static double
wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void
progress_init(progress *p, FILE *out, int quiet, const trainer *t)
{
	p->out = out;
	p->quiet = quiet;
	p->tty = isatty(fileno(out));
	p->live = 0;
	p->last = 0.0;
	p->start_epoch = t->epoch;
}

/* Seconds left: by the epoch limit at the current pace, or the time
 * budget, whichever ends first; negative when unknown. */
static double
eta(const progress *p, const trainer *t, double elapsed)
{
	double done = t->epoch + (double)t->update_in_epoch / (double)t->updates_per_epoch -
	              p->start_epoch;
	double left = -1.0;
	if (t->s.epochs > 0 && done > 0.0)
		left = elapsed / done * fmax(0.0, t->s.epochs - p->start_epoch - done);
	if (t->s.seconds > 0.0) {
		double budget = fmax(0.0, t->s.seconds - elapsed);
		left = left < 0.0 ? budget : fmin(left, budget);
	}
	return left;
}

static void
print_line(progress *p, const trainer *t, int final)
{
	double now = wall();
	if (p->quiet || (!final && now - p->last < (p->tty ? 0.1 : 1.0)))
		return;
	p->last = now;
	double elapsed = t->train_seconds > 0.0 ? now - (t->started) : 0.0;
	double rate = t->train_seconds > 0.0 ? t->sample_steps / t->train_seconds : 0.0;
	double epoch = t->epoch + (double)t->update_in_epoch / (double)t->updates_per_epoch;
	double left = eta(p, t, elapsed);
	double val = t->n_history ? t->history[t->n_history - 1].val_esr : NAN;
	fprintf(p->out, "%sepoch %.1f", p->tty ? "\r" : "", epoch);
	if (t->s.epochs > 0)
		fprintf(p->out, "/%d", t->s.epochs);
	fprintf(p->out, "  loss %.4g", t->last_loss);
	if (isfinite(val))
		fprintf(p->out, "  val ESR %.4g (best %.4g)", val, t->best_esr);
	if (isfinite(val) && t->ds->n_parts > 1) {
		/* Each pair's, as many as fit on a line. */
		fprintf(p->out, " pairs");
		for (size_t k = 0; k < t->ds->n_parts && k < PROGRESS_MAX_PAIRS; k++)
			fprintf(p->out, " %.3g", t->part_esr[k]);
		if (t->ds->n_parts > PROGRESS_MAX_PAIRS)
			fprintf(p->out, " ...");
	}
	fprintf(p->out, "  %.0fk steps/s", rate / 1e3);
	if (left >= 0.0)
		fprintf(p->out, "  ETA %d:%02d", (int)(left / 60.0), (int)fmod(left, 60.0));
	fprintf(p->out, p->tty ? "\033[K" : "\n");
	fflush(p->out);
	p->live = p->tty;
}

void
progress_update(progress *p, const trainer *t)
{
	if (p->tty)
		print_line(p, t, 0);
}

void
progress_eval(progress *p, const trainer *t)
{
	print_line(p, t, 0);
}

void
progress_end(progress *p)
{
	if (p->live)
		fputc('\n', p->out);
	p->live = 0;
	fflush(p->out);
}
