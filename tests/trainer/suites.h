/* The trainer's Check suites (one per module) and small shared helpers. */
#ifndef TESTS_TRAINER_SUITES_H
#define TESTS_TRAINER_SUITES_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "train.h"
#include "wav.h"

Suite *options_suite(void);
Suite *wav_suite(void);
Suite *dataset_suite(void);
Suite *train_suite(void);
Suite *checkpoint_suite(void);
Suite *report_suite(void);
Suite *notes_suite(void);
Suite *pairs_suite(void);

/* A fresh temporary directory (removed with its files by cleanup_dir). */
const char *make_temp_dir(char *buf, size_t len);
void cleanup_dir(const char *dir);

/* A test case whose tests each run with a fresh scratch_dir, removed after. */
TCase *scratch_tcase(const char *name);
extern char scratch_dir[64];

/* scratch_dir/name, in a buffer that the next call overwrites. */
const char *scratch_file(const char *name);

/* A mono in-memory recording of n samples at 44.1 kHz (caller frees with
 * wav_free). noise fills it with uniform noise in [-0.5, 0.5). */
void make_audio(wav_audio *w, size_t n, uint64_t seed);

/* A small transform problem (noise in, soft-clipped noise out) and a
 * trainer for it: 12 hidden units in 3 modules, batch 4 x (16 + 64). The
 * fixture owns the audio and the dataset; free with fixture_free. */
typedef struct {
	wav_audio in, out;
	dataset ds;
	train_setup setup;
	cwrnn_config cfg;
	trainer *t;
} fixture;

void fixture_init(fixture *f, int threads, uint64_t seed);
void fixture_init_len(fixture *f, int threads, uint64_t seed, size_t n);
void fixture_free(fixture *f);

#endif
