/* Training data for each task: aligned, split into a training and an
 * evaluation part, and cut into batches of raw input and target. How the
 * network sees them (in_scale, out_scale, skip, the controls' ranges) is the
 * model's config, applied by the engine; dataset_scales only proposes the
 * scales.
 *
 * A dataset is one or more parts: one recording (generate, continue, a
 * dry/wet pair) or, with a pairs file, one pair per line, each with its own
 * latency, its held-out end and its knob values (constant extra inputs
 * after the audio: a batch's input is (steps, B, 1 + n_controls)). */
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
	const double *x, *y;        /* training part, aligned (x NULL for generate) */
	size_t n;
	const double *vx, *vy;      /* evaluation part */
	size_t vn;
	size_t v_start;             /* generate: index of vy[0] in the sequence from t = 0 */
	long latency;               /* transform: the target lags the input by this */
	double controls[CWRNN_MAX_CONTROLS]; /* knob values, in the knobs' own units */
	const char *name;           /* the target (transform, generate) or input file */
	int line;                   /* its line in the pairs file; 0: not from one */
} dataset_part;

typedef struct {
	cwrnn_task task;
	int rate;
	int n_controls;             /* knob inputs after the audio input */
	const char *source;         /* the first part's file, for messages */
	const char *rate_source;    /* the file that set the rate */
	const char *pairs_path;     /* the pairs file, if any (messages say FILE:LINE) */
	dataset_part *parts;        /* (n_parts), owned */
	size_t n_parts;
	size_t n, vn;               /* training and evaluation samples, all parts */
	val_source val;
	double **owned;             /* arrays made here (continue's shifted input) */
	size_t n_owned;
	/* instrument (task generate with controls): n_seq notes of n steps run in
	 * lockstep from the zero state, time-major: seq_x (n, n_seq, m) control
	 * values, seq_y (n, n_seq); evaluated on themselves; no parts. 0: parts. */
	int n_seq, m;
	const double *seq_x, *seq_y;
} dataset;

/* Builds the dataset for o->task from the files (already mono): one part.
 * steps is the length of one training sequence (warmup + segment;
 * generate: one chunk). Returns 0, or -1 with one line in msg naming the
 * file and what to do. */
int dataset_build(dataset *ds, const train_options *o, const wav_audio *input,
                  const wav_audio *target, const wav_audio *val_input,
                  const wav_audio *val_target, int steps, char *msg, size_t msg_len);

/* Building from several pairs: init, add each pair, finish. */
void dataset_init(dataset *ds, cwrnn_task task, int n_controls);

/* Adds a transform pair (mono; the audio must outlive ds): same rate as the
 * others, not silent; the latency found (DATASET_FIND_LATENCY, within
 * o->max_latency_ms) or given, removed; the last o->val of it held out.
 * controls holds ds->n_controls values (may be NULL when there are none);
 * line is its pairs-file line (0: none). Returns 0 or -1 with msg. */
#define DATASET_FIND_LATENCY (-2147483647L - 1)
int dataset_add_pair(dataset *ds, const train_options *o, const wav_audio *in, const char *pin,
                     const wav_audio *tg, const char *ptg, long latency, const double *controls,
                     int line, char *msg, size_t msg_len);

/* The latency of tg against in within o->max_latency_ms (0: off). */
long dataset_find_latency(const train_options *o, const wav_audio *in, const wav_audio *tg);

/* Checks every part has a training segment and sums the sizes. Returns 0 or
 * -1 with msg naming the part. */
int dataset_finish(dataset *ds, int steps, char *msg, size_t msg_len);

void dataset_free(dataset *ds);

/* Sets cfg's in_scale and out_scale (for cfg->skip) so that the training
 * input and what the network must output, (y - skip * x) / out_scale, peak
 * at 1 over all parts. Returns 0, or -1 with msg when the audio is too
 * quiet. */
int dataset_scales(const dataset *ds, cwrnn_config *cfg, char *msg, size_t msg_len);

/* The lag d in -max_lag..max_lag maximising the normalised cross-correlation
 * |corr(x(t), y(t + d))| over 2^18 samples of x from its first non-silent
 * one: y is x delayed by d. Ties go to the smaller |d|. */
long latency_detect(const double *x, size_t nx, const double *y, size_t ny, long max_lag);

/* Writes the network input of part p for steps samples of audio from
 * `from` into sequence b of a time-major (steps, B, 1 + n_controls) array:
 * the audio sample, then the part's knob values. */
void dataset_input(const dataset *ds, const dataset_part *p, const double *audio, size_t from,
                   int steps, int b, int B, double *x);

/* An instrument's dataset over n_seq sequences of n steps at rate (see
 * notes.h): seq_x (n, n_seq, m) control values, seq_y (n, n_seq) audio,
 * borrowed; path names the manifest. Validated on itself. */
void dataset_notes(dataset *ds, const double *seq_x, const double *seq_y, size_t n, int n_seq,
                   int m, double rate, const char *path);

/* Writes steps steps of every sequence from offset into a batch of width
 * n_seq: x (steps, n_seq, m) and the target, raw. */
void dataset_notes_chunk(const dataset *ds, size_t offset, int steps, double *x,
                         double *target);

/* Writes sequence b of a time-major batch of width B: steps samples of the
 * training part of part `part` from offset, raw input (x: (steps, B, m),
 * NULL for generate) and target ((steps, B)). */
void dataset_segment(const dataset *ds, size_t part, size_t offset, int steps, int b, int B,
                     double *x, double *target);

/* Fills a whole batch with segments at random offsets, every training
 * segment of every part equally likely (transform, continue); part (B, may
 * be NULL) receives each sequence's part. */
void dataset_random_batch(const dataset *ds, uint64_t *rng, int B, int steps, double *x,
                          double *target, size_t *part);

/* The mean energy per sample of part k's training target, pre-emphasised
 * (y(t) - preemph y(t-1)): what its ESR is relative to. */
double dataset_part_energy(const dataset *ds, size_t k, double preemph);

#endif
