/* Training data for each task: aligned, split into a training and an
 * evaluation part, and cut into batches of raw input and target. How the
 * network sees them (in_scale, out_scale, skip) is the model's config,
 * applied by the engine; dataset_scales only proposes the scales. */
#ifndef TRAINER_DATASET_H
#define TRAINER_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "cwrnn.h"
#include "options.h"
#include "wav.h"

typedef enum {
	VAL_HELD_OUT = 0,  /* the end of the training files (--val) */
	VAL_FILES = 1,     /* --val-input / --val-target */
	VAL_TRAIN = 2      /* no held-out data: evaluate on the training part */
} val_source;

typedef struct {
	cwrnn_task task;
	int rate;
	const char *source;         /* the file the training audio comes from */
	const double *x, *y;        /* training part (x NULL for generate) */
	size_t n;
	const double *vx, *vy;      /* evaluation part */
	size_t vn;
	size_t v_start;             /* generate: index of vy[0] in the sequence from t = 0 */
	val_source val;
	long latency;               /* transform: the target lags the input by this */
	/* instrument (task generate with controls): n_seq notes of n steps run in
	 * lockstep from the zero state, time-major: seq_x (n, n_seq, m) control
	 * values, seq_y (n, n_seq); evaluated on themselves. 0: one sequence. */
	int n_seq, m;
	const double *seq_x, *seq_y;
	double *owned[4];
} dataset;

/* Builds the dataset for o->task from the files (already mono). steps is
 * the length of one training sequence (warmup + segment; generate: one
 * chunk). Returns 0, or -1 with one line in msg naming the file and what to
 * do. */
int dataset_build(dataset *ds, const train_options *o, const wav_audio *input,
                  const wav_audio *target, const wav_audio *val_input,
                  const wav_audio *val_target, int steps, char *msg, size_t msg_len);

/* Sets cfg's in_scale and out_scale (for cfg->skip) so that the training
 * input and what the network must output, (y - skip * x) / out_scale, peak
 * at 1. Returns 0, or -1 with msg when the audio is too quiet. */
int dataset_scales(const dataset *ds, cwrnn_config *cfg, char *msg, size_t msg_len);
void dataset_free(dataset *ds);

/* The lag d in -max_lag..max_lag maximising the normalised cross-correlation
 * |corr(x(t), y(t + d))| over 2^18 samples of x from its first non-silent
 * one: y is x delayed by d. Ties go to the smaller |d|. */
long latency_detect(const double *x, size_t nx, const double *y, size_t ny, long max_lag);

/* Writes sequence b of a time-major batch of width B: steps samples of the
 * training part's raw input and target from offset (x NULL for generate). */
void dataset_segment(const dataset *ds, size_t offset, int steps, int b, int B, double *x,
                     double *target);

/* An instrument's dataset over n_seq sequences of n steps at rate (see
 * notes.h): seq_x (n, n_seq, m) control values, seq_y (n, n_seq) audio,
 * borrowed; path names the manifest. Validated on itself. */
void dataset_notes(dataset *ds, const double *seq_x, const double *seq_y, size_t n, int n_seq,
                   int m, double rate, const char *path);

/* Writes steps steps of every sequence from offset into a batch of width
 * n_seq: x (steps, n_seq, m) and the target, raw. */
void dataset_notes_chunk(const dataset *ds, size_t offset, int steps, double *x,
                         double *target);

/* Fills a whole batch with segments at random offsets (transform, continue). */
void dataset_random_batch(const dataset *ds, uint64_t *rng, int B, int steps, double *x,
                          double *target);

#endif
