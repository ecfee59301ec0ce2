/* The training loop: threads over the batch, optimizer, evaluation. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

#define EVAL_CHUNK 4096

/* One thread's share of the batch: sequences b0 .. b0 + n - 1. */
struct slice {
	trainer *t;
	int b0, n;
	cwrnn_batch *batch;
	double *x;                    /* (steps, n, m) */
	double *y, *target, *dy;      /* (steps, n, 1) */
	double *col;                  /* (3, steps): one sequence's y, target, dy */
	double *grad;                 /* (n_params) */
	double loss;
	int steps;                    /* this update's length */
	int failed;
	cwrnn_batch *eval;            /* one sequence for evaluation */
	double *ex;                   /* (EVAL_CHUNK, m) */
	double *ey;                   /* (EVAL_CHUNK) */
};

const char *
train_loss_name(train_loss loss)
{
	return loss == TRAIN_LOSS_SSE ? "sse" : loss == TRAIN_LOSS_ESR ? "esr" : "mse";
}

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void *
alloc_doubles(size_t n)
{
	return calloc(n ? n : 1, sizeof(double));
}

static int
slices_new(trainer *t)
{
	int T = t->n_threads, B = t->s.batch;
	size_t len = (size_t)t->s.steps, m = (size_t)t->cfg.n_inputs;
	t->slices = calloc((size_t)T, sizeof *t->slices);
	if (!t->slices)
		return -1;
	for (int k = 0; k < T; k++) {
		slice *sl = &t->slices[k];
		sl->t = t;
		sl->b0 = k * B / T;
		sl->n = (k + 1) * B / T - sl->b0;
		sl->batch = cwrnn_batch_new(&t->cfg, sl->n, t->s.steps);
		sl->x = alloc_doubles(len * (size_t)sl->n * m);
		sl->y = alloc_doubles(len * (size_t)sl->n);
		sl->target = alloc_doubles(len * (size_t)sl->n);
		sl->dy = alloc_doubles(len * (size_t)sl->n);
		sl->col = alloc_doubles(3 * len);
		sl->grad = alloc_doubles(t->n_params);
		sl->eval = cwrnn_batch_new(&t->cfg, 1, EVAL_CHUNK);
		sl->ex = alloc_doubles(EVAL_CHUNK * m);
		sl->ey = alloc_doubles(EVAL_CHUNK);
		if (!sl->batch || !sl->x || !sl->y || !sl->target || !sl->dy || !sl->col || !sl->grad ||
		    !sl->eval || !sl->ex || !sl->ey)
			return -1;
	}
	return 0;
}

static void
slices_free(trainer *t)
{
	if (!t->slices)
		return;
	for (int k = 0; k < t->n_threads; k++) {
		slice *sl = &t->slices[k];
		cwrnn_batch_free(sl->batch);
		free(sl->x);
		free(sl->y);
		free(sl->target);
		free(sl->dy);
		free(sl->col);
		free(sl->grad);
		cwrnn_batch_free(sl->eval);
		free(sl->ex);
		free(sl->ey);
	}
	free(t->slices);
}

/* The evaluation pieces: each part's evaluation samples cut into runs of
 * TRAIN_EVAL_PIECE (generate: its one sequence). */
static int
eval_pieces_new(trainer *t)
{
	const dataset *ds = t->ds;
	size_t count = ds->n_seq > 0 ? (size_t)ds->n_seq : 0;  /* an instrument: one per note */
	for (size_t k = 0; k < ds->n_parts; k++)
		count += ds->task == CWRNN_TASK_GENERATE
		             ? 1
		             : (ds->parts[k].vn + TRAIN_EVAL_PIECE - 1) / TRAIN_EVAL_PIECE;
	t->eval_pieces = count;
	t->pieces = calloc(count ? count : 1, sizeof *t->pieces);
	t->eval_sums = alloc_doubles(3 * count);
	t->part_esr = alloc_doubles(ds->n_parts);
	t->best_part_esr = alloc_doubles(ds->n_parts);
	if (!t->pieces || !t->eval_sums || !t->part_esr || !t->best_part_esr)
		return -1;
	size_t at = 0;
	for (size_t k = 0; k < ds->n_parts; k++) {
		size_t vn = ds->parts[k].vn;
		t->best_part_esr[k] = NAN;
		for (size_t first = 0; first < vn || (first == 0 && ds->task == CWRNN_TASK_GENERATE);
		     first += TRAIN_EVAL_PIECE) {
			t->pieces[at].part = k;
			t->pieces[at].first = first;
			t->pieces[at].end = first + TRAIN_EVAL_PIECE < vn ? first + TRAIN_EVAL_PIECE : vn;
			at++;
			if (ds->task == CWRNN_TASK_GENERATE)
				break;
		}
	}
	return 0;
}

/* With several parts and the ESR loss, each sequence's error counts relative
 * to its own part's level (1 / its mean pre-emphasised target energy), so
 * the loss is the mean of the pairs' ESRs: a quiet knob setting weighs as
 * much as a loud one. One part keeps the batch's pooled ESR. */
static int
part_weights_new(trainer *t)
{
	const dataset *ds = t->ds;
	if (ds->n_parts < 2 || t->s.loss != TRAIN_LOSS_ESR || ds->task == CWRNN_TASK_GENERATE)
		return 0;
	t->part_weight = alloc_doubles(ds->n_parts);
	t->seq_part = calloc((size_t)t->s.batch, sizeof *t->seq_part);
	t->seq_scale = alloc_doubles((size_t)t->s.batch);
	if (!t->part_weight || !t->seq_part || !t->seq_scale)
		return -1;
	for (size_t k = 0; k < ds->n_parts; k++) {
		double e = dataset_part_energy(ds, k, t->s.preemph);
		t->part_weight[k] = 1.0 / (e > 1e-20 ? e : 1e-20);
	}
	return 0;
}

trainer *
trainer_new(const train_setup *s, const dataset *ds, const cwrnn_config *cfg, char *msg,
            size_t msg_len)
{
	if (cwrnn_config_check(cfg, msg, msg_len) != 0)
		return NULL;
	trainer *t = calloc(1, sizeof *t);
	if (!t) {
		cw_fail(msg, msg_len, "out of memory");
		return NULL;
	}
	t->s = *s;
	t->ds = ds;
	t->cfg = *cfg;
	cwrnn_layout layout;
	cwrnn_layout_of(cfg, &layout);
	t->n_params = layout.n_params;
	t->n_threads = s->threads < 1 ? 1 : s->threads > s->batch ? s->batch : s->threads;
	t->rng = s->seed ^ 0x5eed5eed5eed5eedull;
	t->best_epoch = -1.0;
	t->best_esr = INFINITY;
	t->best_nmse = INFINITY;
	size_t whole = (size_t)s->steps * (size_t)s->batch;
	t->params = alloc_doubles(t->n_params);
	t->grad = alloc_doubles(t->n_params);
	t->best = alloc_doubles(t->n_params);
	t->bx = alloc_doubles(whole * (size_t)cfg->n_inputs);
	t->bt = alloc_doubles(whole);
	if (eval_pieces_new(t) != 0 || !t->params || !t->grad || !t->best || !t->bx || !t->bt ||
	    slices_new(t) != 0 ||
	    cwrnn_optimizer_init(&t->opt, s->optimizer, t->n_params, s->lr) != 0 ||
	    !(t->workers = pool_new(t->n_threads))) {
		cw_fail(msg, msg_len, "out of memory (or no threads) for %zu parameters, batch %d x %d",
		        t->n_params, s->batch, s->steps);
		trainer_free(t);
		return NULL;
	}
	t->opt.momentum = s->momentum;
	if (part_weights_new(t) != 0) {
		cw_fail(msg, msg_len, "out of memory");
		trainer_free(t);
		return NULL;
	}
	cwrnn_params_init(cfg, t->params, s->init_sigma, s->seed);
	memcpy(t->best, t->params, t->n_params * sizeof *t->best);
	if (ds->task == CWRNN_TASK_GENERATE)
		t->updates_per_epoch = (long)((ds->n + (size_t)s->steps - 1) / (size_t)s->steps);
	else
		t->updates_per_epoch = (long)((ds->n + whole - 1) / whole);
	if (t->updates_per_epoch < 1)
		t->updates_per_epoch = 1;
	t->started = now_seconds();
	return t;
}

void
trainer_free(trainer *t)
{
	if (!t)
		return;
	pool_free(t->workers);
	slices_free(t);
	cwrnn_optimizer_free(&t->opt);
	free(t->params);
	free(t->grad);
	free(t->best);
	free(t->bx);
	free(t->bt);
	free(t->eval_sums);
	free(t->part_weight);
	free(t->seq_part);
	free(t->seq_scale);
	free(t->pieces);
	free(t->part_esr);
	free(t->best_part_esr);
	free(t->history);
	free(t);
}

/* The loss with a scale per sequence (t->seq_scale): each sequence's
 * columns gathered, cwrnn_loss'ed, and its gradient put back. */
static double
per_sequence_loss(const trainer *t, slice *sl, int warmup)
{
	int n = sl->n, steps = sl->steps;
	double *y = sl->col, *target = y + steps, *dy = target + steps, loss = 0.0;
	for (int b = 0; b < n; b++) {
		for (int s = 0; s < steps; s++) {
			y[s] = sl->y[(size_t)s * (size_t)n + (size_t)b];
			target[s] = sl->target[(size_t)s * (size_t)n + (size_t)b];
		}
		loss += cwrnn_loss(y, target, dy, steps, 1, 1, warmup, t->s.preemph,
		                   t->seq_scale[sl->b0 + b]);
		for (int s = 0; s < steps; s++)
			sl->dy[(size_t)s * (size_t)n + (size_t)b] = dy[s];
	}
	return loss;
}

/* One thread's forward, loss and backward over its sequences. */
static void
slice_job(void *ctx, int index)
{
	trainer *t = ctx;
	slice *sl = &t->slices[index];
	int B = t->s.batch, n = sl->n, steps = sl->steps;
	size_t m = (size_t)t->cfg.n_inputs;
	for (int s = 0; s < steps; s++) {
		size_t from = (size_t)s * (size_t)B + (size_t)sl->b0, to = (size_t)s * (size_t)n;
		memcpy(sl->x + to * m, t->bx + from * m, (size_t)n * m * sizeof *sl->x);
		memcpy(sl->target + to, t->bt + from, (size_t)n * sizeof *sl->target);
	}
	if (t->ds->task != CWRNN_TASK_GENERATE)
		cwrnn_batch_reset(sl->batch);
	sl->failed = cwrnn_batch_forward(sl->batch, t->params, sl->x, sl->y, steps) != 0;
	if (sl->failed)
		return;
	int warmup = t->ds->task == CWRNN_TASK_GENERATE ? 0 : t->s.warmup;
	if (t->part_weight)
		sl->loss = per_sequence_loss(t, sl, warmup);
	else
		sl->loss = cwrnn_loss(sl->y, sl->target, sl->dy, steps, n, 1, warmup, t->s.preemph,
		                      t->loss_scale);
	memset(sl->grad, 0, t->n_params * sizeof *sl->grad);
	cwrnn_batch_backward(sl->batch, t->params, sl->x, sl->dy, sl->grad);
}

static int
all_finite(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

/* Fills the batch arrays for the next update; returns its length. */
static int
next_batch(trainer *t)
{
	const dataset *ds = t->ds;
	if (ds->task != CWRNN_TASK_GENERATE) {
		dataset_random_batch(ds, &t->rng, t->s.batch, t->s.steps, t->bx, t->bt, t->seq_part);
		return t->s.steps;
	}
	/* Generate: the next chunk of the one sequence; the state carries over
	 * between chunks and restarts with each epoch. */
	size_t at = (size_t)t->update_in_epoch * (size_t)t->s.steps;
	size_t left = ds->n - at;
	int steps = left < (size_t)t->s.steps ? (int)left : t->s.steps;
	if (t->update_in_epoch == 0)
		for (int k = 0; k < t->n_threads; k++)
			cwrnn_batch_reset(t->slices[k].batch);
	if (ds->n_seq > 0)
		dataset_notes_chunk(ds, at, steps, t->bx, t->bt);
	else
		dataset_segment(ds, 0, at, steps, 0, 1, NULL, t->bt);
	return steps;
}

double
trainer_loss_scale(const train_setup *s, const cwrnn_config *cfg, const double *target,
                   int steps, int batch, int warmup)
{
	if (s->loss == TRAIN_LOSS_SSE) {
		/* The paper's 0.5 * sum e^2 in the network's normalised units: the
		 * network's output is the model's (skip removed) over out_scale, so
		 * its error is the model's over out_scale. */
		double os = cfg->out_scale;
		return 0.5 / (os * os);
	}
	cwrnn_loss_kind kind = s->loss == TRAIN_LOSS_ESR ? CWRNN_LOSS_ESR : CWRNN_LOSS_MSE;
	return cwrnn_loss_scale(kind, target, steps, batch, 1, warmup, s->preemph);
}

double
trainer_lr(const train_setup *s, double elapsed)
{
	if (!(s->seconds > 0.0))
		return s->lr;
	double frac = fmin(1.0, fmax(0.0, elapsed / s->seconds));
	double floor = s->lr / TRAIN_ANNEAL_FLOOR;
	return floor + 0.5 * (s->lr - floor) * (1.0 + cos(3.14159265358979323846 * frac));
}

double
trainer_update(trainer *t)
{
	int steps = next_batch(t);
	int B = t->s.batch;
	int warmup = t->ds->task == CWRNN_TASK_GENERATE ? 0 : t->s.warmup;
	t->loss_scale = trainer_loss_scale(&t->s, &t->cfg, t->bt, steps, B, warmup);
	for (int b = 0; t->part_weight && b < B; b++)
		t->seq_scale[b] = t->part_weight[t->seq_part[b]] / ((double)B * (steps - warmup));
	double t0 = now_seconds();
	for (int k = 0; k < t->n_threads; k++)
		t->slices[k].steps = steps;
	pool_run(t->workers, slice_job, t);
	double loss = 0.0;
	memset(t->grad, 0, t->n_params * sizeof *t->grad);
	for (int k = 0; k < t->n_threads; k++) {
		slice *sl = &t->slices[k];
		if (sl->failed)
			return NAN;
		loss += sl->loss;
		for (size_t i = 0; i < t->n_params; i++)
			t->grad[i] += sl->grad[i];
	}
	if (!isfinite(loss) || !all_finite(t->grad, t->n_params))
		return isfinite(loss) ? NAN : loss;
	cwrnn_clip_grad_norm(t->grad, t->n_params, t->s.clip);
	t->opt.lr = trainer_lr(&t->s, now_seconds() - t->started);
	cwrnn_optimizer_step(&t->opt, t->params, t->grad);
	t->train_seconds += now_seconds() - t0;
	t->sample_steps += (double)steps * (double)B;
	t->updates++;
	t->last_loss = loss;
	t->epoch_loss += loss;
	return loss;
}

/* Runs one sequence of part p from the zero state over samples [from, end)
 * of its audio x (NULL: no input) and target y, and sums the errors of
 * [first, end) into sums. */
static int
eval_range(const dataset *ds, const dataset_part *p, slice *sl, const double *params,
           const double *x, const double *y, size_t from, size_t first, size_t end, double *sums)
{
	double ee = 0.0, yy = 0.0, ys = 0.0;
	cwrnn_batch_reset(sl->eval);
	for (size_t at = from; at < end; at += EVAL_CHUNK) {
		int steps = end - at < EVAL_CHUNK ? (int)(end - at) : EVAL_CHUNK;
		if (x)
			dataset_input(ds, p, x, at, steps, 0, 1, sl->ex);
		if (cwrnn_batch_forward(sl->eval, params, sl->ex, sl->ey, steps) != 0)
			return -1;
		for (int s = 0; s < steps; s++) {
			size_t i = at + (size_t)s;
			if (i < first)
				continue;
			double e = sl->ey[s] - y[i];
			ee += e * e;
			yy += y[i] * y[i];
			ys += y[i];
		}
	}
	sums[0] = ee;
	sums[1] = yy;
	sums[2] = ys;
	return 0;
}

/* Runs note k of an instrument's set from the zero state over all its steps
 * and sums its errors into sums. */
static int
eval_note(const dataset *ds, slice *sl, const double *params, int k, double *sums)
{
	double ee = 0.0, yy = 0.0, ys = 0.0;
	size_t m = (size_t)ds->m, B = (size_t)ds->n_seq;
	cwrnn_batch_reset(sl->eval);
	for (size_t at = 0; at < ds->n; at += EVAL_CHUNK) {
		int steps = ds->n - at < EVAL_CHUNK ? (int)(ds->n - at) : EVAL_CHUNK;
		for (int s = 0; s < steps; s++)
			memcpy(sl->ex + (size_t)s * m, ds->seq_x + ((at + (size_t)s) * B + (size_t)k) * m,
			       m * sizeof *sl->ex);
		if (cwrnn_batch_forward(sl->eval, params, sl->ex, sl->ey, steps) != 0)
			return -1;
		for (int s = 0; s < steps; s++) {
			double y = ds->seq_y[(at + (size_t)s) * B + (size_t)k], e = sl->ey[s] - y;
			ee += e * e;
			yy += y * y;
			ys += y;
		}
	}
	sums[0] = ee;
	sums[1] = yy;
	sums[2] = ys;
	return 0;
}

typedef struct {
	trainer *t;
	const double *params;
} eval_ctx;

static void
eval_job(void *ctx, int index)
{
	eval_ctx *c = ctx;
	trainer *t = c->t;
	const dataset *ds = t->ds;
	slice *sl = &t->slices[index];
	for (size_t k = (size_t)index; k < t->eval_pieces; k += (size_t)t->n_threads) {
		double *sums = t->eval_sums + 3 * k;
		const eval_piece *pc = &t->pieces[k];
		const dataset_part *p = ds->n_parts ? &ds->parts[pc->part] : NULL;
		int rc;
		if (ds->n_seq > 0) {
			rc = eval_note(ds, sl, c->params, (int)k, sums);
		} else if (ds->task == CWRNN_TASK_GENERATE) {
			rc = eval_range(ds, p, sl, c->params, NULL, p->y, 0, p->v_start,
			                p->v_start + p->vn, sums);
		} else {
			size_t from = pc->first > TRAIN_EVAL_PREROLL ? pc->first - TRAIN_EVAL_PREROLL : 0;
			rc = eval_range(ds, p, sl, c->params, p->vx, p->vy, from, pc->first, pc->end, sums);
		}
		if (rc != 0)
			sums[0] = NAN;
	}
}

void
trainer_evaluate(trainer *t, const double *params, double *esr, double *nmse)
{
	eval_ctx c = {t, params};
	pool_run(t->workers, eval_job, &c);
	double ee = 0.0, yy = 0.0, ys = 0.0;
	for (size_t k = 0; k < t->eval_pieces; k++) {
		ee += t->eval_sums[3 * k];
		yy += t->eval_sums[3 * k + 1];
		ys += t->eval_sums[3 * k + 2];
	}
	for (size_t part = 0, k = 0; part < t->ds->n_parts; part++) {
		double part_ee = 0.0, part_yy = 0.0;
		for (; k < t->eval_pieces && t->pieces[k].part == part; k++) {
			part_ee += t->eval_sums[3 * k];
			part_yy += t->eval_sums[3 * k + 1];
		}
		t->part_esr[part] = part_yy > 0.0 ? part_ee / part_yy : INFINITY;
	}
	double n = (double)t->ds->vn * (t->ds->n_seq > 0 ? t->ds->n_seq : 1);
	double var = yy / n - (ys / n) * (ys / n);
	*esr = yy > 0.0 ? ee / yy : INFINITY;
	*nmse = var > 0.0 ? ee / n / var : INFINITY;
	if (!isfinite(ee)) {
		*esr = NAN;
		*nmse = NAN;
	}
}

double
trainer_seconds(const trainer *t)
{
	return t->seconds_before + (now_seconds() - t->started);
}

int
trainer_record(trainer *t, const train_point *p)
{
	if (t->n_history == t->cap_history) {
		size_t cap = t->cap_history ? 2 * t->cap_history : 64;
		train_point *h = realloc(t->history, cap * sizeof *h);
		if (!h)
			return -1;
		t->history = h;
		t->cap_history = cap;
	}
	t->history[t->n_history++] = *p;
	return 0;
}

/* Evaluates the current parameters, records a curve row, keeps the best. */
static void
evaluate_now(trainer *t, double epoch, long updates, const train_hooks *hooks)
{
	train_point p = {.epoch = epoch};
	p.train_loss = updates > 0 ? t->epoch_loss / (double)updates : NAN;
	trainer_evaluate(t, t->params, &p.val_esr, &p.val_nmse);
	p.seconds = trainer_seconds(t);
	trainer_record(t, &p);
	if (p.val_esr < t->best_esr) {
		t->best_esr = p.val_esr;
		t->best_nmse = p.val_nmse;
		t->best_epoch = epoch;
		t->since_best = 0;
		memcpy(t->best_part_esr, t->part_esr, t->ds->n_parts * sizeof *t->part_esr);
		memcpy(t->best, t->params, t->n_params * sizeof *t->best);
	} else {
		t->since_best++;
	}
	t->epoch_loss = 0.0;
	if (hooks && hooks->on_eval)
		hooks->on_eval(hooks->ctx, t);
}

static train_stop
limit_reached(const trainer *t, const volatile sig_atomic_t *interrupt)
{
	if (interrupt && *interrupt)
		return STOP_SIGNAL;
	if (t->s.epochs > 0 && t->epoch >= t->s.epochs)
		return STOP_EPOCHS;
	if (t->s.seconds > 0.0 && now_seconds() - t->started >= t->s.seconds)
		return STOP_TIME;
	if (t->s.patience > 0 && t->since_best >= t->s.patience)
		return STOP_PATIENCE;
	return STOP_NONE;
}

train_stop
trainer_run(trainer *t, const volatile sig_atomic_t *interrupt, const train_hooks *hooks)
{
	t->started = now_seconds();
	t->stop = STOP_NONE;
	while ((t->stop = limit_reached(t, interrupt)) == STOP_NONE) {
		double loss = trainer_update(t);
		if (!isfinite(loss)) {
			t->stop = STOP_DIVERGED;
			break;
		}
		t->update_in_epoch++;
		if (t->update_in_epoch == t->updates_per_epoch) {
			t->epoch++;
			long n = t->update_in_epoch;
			t->update_in_epoch = 0;
			evaluate_now(t, t->epoch, n, hooks);
		} else if (hooks && hooks->on_update) {
			hooks->on_update(hooks->ctx, t);
		}
	}
	/* A stop mid-epoch still counts: evaluate what the last updates made. */
	if (t->stop != STOP_DIVERGED && t->update_in_epoch > 0) {
		double part = (double)t->update_in_epoch / (double)t->updates_per_epoch;
		evaluate_now(t, t->epoch + part, t->update_in_epoch, hooks);
	}
	return t->stop;
}

cwrnn_model *
trainer_model(const trainer *t, char *msg, size_t msg_len)
{
	cwrnn_model *model = cwrnn_model_new(&t->cfg, msg, msg_len);
	if (!model)
		return NULL;
	const double *w = t->best_epoch >= 0 ? t->best : t->params;
	if (cwrnn_model_from_double(model, w) != 0) {
		cw_fail(msg, msg_len, "the trained weights do not fit in floats");
		cwrnn_model_free(model);
		return NULL;
	}
	return model;
}
