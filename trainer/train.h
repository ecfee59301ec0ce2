/* The training loop over the engine: batches split across threads, exact
 * gradients summed in a fixed order (the same seed and thread count give
 * the same model bit for bit), the optimizer, evaluation, the best model
 * and the stop rules. Used by cwrnn-train and bench_train. */
#ifndef TRAINER_TRAIN_H
#define TRAINER_TRAIN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "cwrnn.h"
#include "dataset.h"
#include "pool.h"

/* Training losses: the engine's MSE and ESR of the model's output against
 * the raw target, and the paper's 0.5 * sum of squared errors in the
 * network's normalised units (trainer_loss_scale). */
typedef enum { TRAIN_LOSS_MSE = 0, TRAIN_LOSS_ESR = 1, TRAIN_LOSS_SSE = 2 } train_loss;

/* A short name for a loss ("mse", "esr", "sse"). */
const char *train_loss_name(train_loss loss);

typedef struct {
	int batch;         /* sequences per update (generate: 1) */
	int steps;         /* samples per sequence: warmup + segment (generate: chunk) */
	int warmup;        /* leading samples without loss */
	int threads;       /* at most batch */
	train_loss loss;
	double preemph;
	double clip;       /* gradient norm, 0: off */
	int epochs;        /* 0: no limit */
	double seconds;    /* 0: no limit; > 0: the learning rate anneals over it */
	int patience;      /* 0: off */
	cwrnn_optimizer_kind optimizer;
	double lr, momentum;
	double init_sigma;
	uint64_t seed;
} train_setup;

/* One row of the learning curve. */
typedef struct {
	double epoch;       /* epochs done (fractional when stopped mid-epoch) */
	double train_loss;  /* mean training loss since the previous row */
	double val_esr, val_nmse;
	double seconds;     /* training time so far, across resumes */
} train_point;

typedef enum {
	STOP_NONE = 0,
	STOP_EPOCHS,
	STOP_TIME,
	STOP_PATIENCE,
	STOP_SIGNAL,
	STOP_DIVERGED
} train_stop;

typedef struct slice slice;

/* One run of evaluation samples of one part. */
typedef struct {
	size_t part, first, end;
} eval_piece;

typedef struct {
	train_setup s;
	const dataset *ds;
	cwrnn_config cfg;      /* the model's config: what the batches run, as is */
	size_t n_params;
	double *params, *grad, *best;  /* (n_params) each */
	cwrnn_optimizer opt;
	uint64_t rng;          /* segment choice */

	int epoch;             /* completed epochs */
	long updates_per_epoch, update_in_epoch;
	uint64_t updates;      /* all updates, across resumes */
	double epoch_loss;     /* sum of update losses in this epoch */
	double last_loss;      /* the latest update's loss */
	double sample_steps;   /* sequence steps trained in this run */
	double train_seconds;  /* time in updates, this run */
	double seconds_before; /* training time of earlier runs (resume) */
	double started;        /* monotonic clock when this run started */
	double best_esr, best_nmse;
	double best_epoch;     /* -1: none yet */
	int since_best;        /* evaluations without improvement */
	train_point *history;
	size_t n_history, cap_history;
	train_stop stop;

	pool *workers;
	int n_threads;
	slice *slices;
	double *bx;              /* the whole batch's raw input, (steps, batch, m) */
	double *bt;              /* its raw target, (steps, batch, 1) */
	double loss_scale;
	double *part_weight;     /* (n_parts) or NULL: see part_weights_new in train.c */
	size_t *seq_part;        /* (batch): each sequence's part, with part_weight */
	double *seq_scale;       /* (batch): each sequence's loss scale, with part_weight */
	size_t eval_pieces;      /* evaluation pieces (see trainer_evaluate) */
	eval_piece *pieces;      /* (eval_pieces), part by part */
	double *eval_sums;       /* (eval_pieces, 3): error and target sums */
	double *part_esr;        /* (ds->n_parts): each part's ESR at the last evaluation */
	double *best_part_esr;   /* (ds->n_parts): at the best one (NaN before) */
} trainer;

/* Hooks called from the loop (any may be NULL): after every update, and
 * after every evaluation (end of an epoch or the final one). */
typedef struct {
	void (*on_update)(void *ctx, const trainer *t);
	void (*on_eval)(void *ctx, const trainer *t);
	void *ctx;
} train_hooks;

/* A trainer for cfg (the model's config: the batches run it as is, scales,
 * skip and controls included, on ds's raw input and target) with weights
 * from cwrnn_params_init. Returns NULL with msg on failure. */
trainer *trainer_new(const train_setup *s, const dataset *ds, const cwrnn_config *cfg, char *msg,
                     size_t msg_len);
void trainer_free(trainer *t);

/* The one scale of the loss: MSE 1 / terms, ESR 1 / pre-emphasised target
 * energy (cwrnn_loss_scale), SSE 0.5 / out_scale^2 (the paper's loss on the
 * network's normalised output). */
double trainer_loss_scale(const train_setup *s, const cwrnn_config *cfg, const double *target,
                          int steps, int batch, int warmup);

/* The learning rate after `elapsed` seconds of a run: s->lr, or with a
 * time budget a cosine from s->lr down to s->lr / TRAIN_ANNEAL_FLOOR at
 * the end of the budget. */
#define TRAIN_ANNEAL_FLOOR 100.0
double trainer_lr(const train_setup *s, double elapsed);

/* One optimizer update. Returns its loss (NaN or Inf when training
 * diverged; then the parameters are left as they were). */
double trainer_update(trainer *t);

/* Runs the double-precision batch forward over the evaluation parts and
 * measures what the model (scales, skip and knobs included) outputs there:
 * ESR = sum (y - target)^2 / sum target^2 over all parts (and each part's
 * own in t->part_esr) and NMSE = MSE / variance of target. Generate runs its
 * one sequence from t = 0. Transform and continue split each part's
 * evaluation samples into pieces of TRAIN_EVAL_PIECE spread over the threads;
 * the first starts from the zero state at the start of the part, each later
 * one from the zero state TRAIN_EVAL_PREROLL samples before it (those
 * samples count for nothing). The pieces do not depend on the thread count
 * and are summed in order, so neither does the result. */
#define TRAIN_EVAL_PIECE 65536
#define TRAIN_EVAL_PREROLL 4096
void trainer_evaluate(trainer *t, const double *params, double *esr, double *nmse);

/* Trains until a stop rule fires or *interrupt becomes non-zero (checked
 * between updates). Returns the reason. */
train_stop trainer_run(trainer *t, const volatile sig_atomic_t *interrupt,
                       const train_hooks *hooks);

/* Seconds since the run started plus those of earlier runs. */
double trainer_seconds(const trainer *t);

/* The best parameters (or the current ones if no evaluation ran) as a model
 * with t->cfg. Returns NULL with msg. */
cwrnn_model *trainer_model(const trainer *t, char *msg, size_t msg_len);

/* Appends a learning-curve row. Returns 0 or -1 on no memory. */
int trainer_record(trainer *t, const train_point *p);

#endif
