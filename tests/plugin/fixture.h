/* What the plugin test files (check_*.c) share: a scratch directory around
 * each test, the bundled default model, seeded signals and models, the
 * engine's output to compare the plugin with, and block-size plans. */
#ifndef TH_FIXTURE_H
#define TH_FIXTURE_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "cwrnn.h"
#include "host.h"

#define N_SIG 12000 /* frames in a test signal */

extern char tmp_dir[1024];        /* made before each test, removed after
                                   * (kept with CW_TEST_KEEP); under CW_TEST_TMP */
extern char bundle_default[1024]; /* the bundle's default.cwrnn (LV2_PATH) */

/* A test case whose tests each run inside the scratch-directory fixture. */
TCase *fixture_tcase(const char *name);

/* Block sizes for lh_run_blocks: one size, or a varied plan with 0 and 1. */
extern const uint32_t plan_1[1], plan_64[1], plan_1000[1], plan_4096[1], plan_vary[11];

/* A seeded generator: uniform on [0, 1), and roughly normal (sum of 12). */
void rng_seed(uint64_t seed);
double rng_uniform(void);
double rng_gauss(void);

/* A small random model (4 modules of 3 units) saved as tmp_dir/NAME.cwrnn,
 * its path in out. Generators get a limit cycle so that they keep playing. */
void make_model(char *out, size_t out_len, const char *name, cwrnn_task task, int n_in, int skip,
                float rate, uint64_t seed);

/* An instrument model saved as tmp_dir/NAME.cwrnn, with controls velocity
 * 20..100 (default 100), gate, note 48..72 (default 60) and a knob "tone"
 * 0..2 (default 1): a limit-cycle generator with no biases that only control
 * `driver` (0..3 in that order) drives, so it is silent while that control
 * is fed its minimum. */
void make_instrument(char *out, size_t out_len, const char *name, int driver, float rate,
                     uint64_t seed);

/* A seeded test signal: a slow sine and noise. */
void make_signal(float *x, size_t n, uint64_t seed);

/* A test signal of N_SIG frames (make_signal) and the engine's output for
 * it with the bundled default model (engine_ref). */
void default_signal(float *x, float *ref, uint64_t seed);

/* The engine's output for a model file on a fresh state, its controls (if
 * any) at their defaults. periods: module overrides (NULL: none). */
void engine_ref(const char *path, const float *in, float *out, size_t n, const uint32_t *periods);

double max_diff(const float *a, const float *b, size_t n); /* NaN if either has one */
double spread(const float *a, size_t n);                   /* standard deviation */
double rms(const float *a, size_t n);

/* Both paths name the same file (lilv saves an external file as a link). */
void assert_same_file(const char *a, const char *b);

/* lh_run_blocks for a plugin with one input and one output. */
void play_mono(lh_host *h, const float *x, float *y, size_t n, const uint32_t *sizes, int n_sizes);

/* Plays N_SIG frames of x through a mono plugin in the block plan and
 * asserts that it gives ref (within 1e-6). */
void assert_plays(lh_host *h, const float *x, const float *ref, const uint32_t *sizes,
                  int n_sizes);

/* Asks the plugin what it plays (patch:Get, then a run of 16 frames of
 * silence) and asserts the path it answers contains name. */
void assert_playing(lh_host *h, const char *name);

/* Sends a patch:Set and runs one frame of silence, after which the worker
 * has delivered the new model: the next run plays it from its start. */
void load_by_patch(lh_host *h, const char *path);

#endif
