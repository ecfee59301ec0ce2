/* Checkpoints: everything needed to continue training where it stopped —
 * the network (as an embedded .cwrnn model), current and best double
 * weights, optimizer moments, epoch, updates, RNG state and the learning
 * curve. Little-endian, CRC-32 at the end, written atomically.
 *
 *   "CWRNNCKP" u32 version  u32 header fields ...  u64 model_bytes model
 *   f64 params[n] f64 best[n] f64 m[n] f64 v[n]  u64 rows  rows x 5 f64
 *   u32 crc32 of everything before it
 */
#ifndef TRAINER_CHECKPOINT_H
#define TRAINER_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "cwrnn.h"
#include "train.h"

#define CHECKPOINT_VERSION 1

typedef struct {
	cwrnn_model *model;      /* config and the current weights as floats */
	uint64_t epoch, updates, rng, opt_steps;
	int64_t since_best;
	cwrnn_optimizer_kind opt_kind;
	double lr, momentum, beta1, beta2, eps;
	double best_esr, best_nmse, best_epoch, seconds;
	size_t n_params;
	double *params, *best, *m, *v;  /* (n_params) each, owned */
	train_point *history;            /* (n_history), owned */
	size_t n_history;
} checkpoint;

/* Writes t's training state to path (temporary file, fsync, rename).
 * Returns 0 or -1 with msg. */
int checkpoint_save(const trainer *t, const char *path, char *msg, size_t msg_len);

/* Reads and validates a checkpoint. Returns 0, or -1 with msg (and ck
 * empty). */
int checkpoint_load(const char *path, checkpoint *ck, char *msg, size_t msg_len);
void checkpoint_free(checkpoint *ck);

/* Puts a checkpoint's state into a trainer built for the same config.
 * Returns 0 or -1 with msg when they do not match. */
int checkpoint_restore(trainer *t, const checkpoint *ck, char *msg, size_t msg_len);

#endif
