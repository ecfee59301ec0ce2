/*
 * Training benchmark, through the trainer's own loop (trainer/train.c):
 *
 *   train_transform_1k   throughput of a ~1000-parameter effect model (40
 *                        hidden units in 8 modules of 5, periods 1..128, one
 *                        input with skip, one output) on 2 threads, batch 16 x
 *                        2048 steps (256 of them warm-up), ESR loss, Adam;
 *                        sample_steps_per_s = batch x steps x updates / s
 *   train_plain_rnn      the same with one module of 40 at period 1 (a plain
 *                        RNN of the same width), and the ratio
 *   paper_2000_epochs    the paper's generation setup: 320 samples, 40 hidden
 *                        units in 9 modules (periods 1..256), Nesterov 0.95,
 *                        lr 3e-4, 0.5 x sum of squared errors, N(0, 0.1^2)
 *                        weights, 2000 epochs; the seconds, and the NMSE the
 *                        run reaches (on audio/paper_music_320.flac when
 *                        present, else a synthetic two-tone sequence)
 *
 * The machine is shared and noisy: every figure is the median of repeats.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "options.h"
#include "train.h"
#include "wav.h"
#include "timing.h"

enum { REPEATS = 5, PAPER_REPEATS = 3, UPDATES = 30, BATCH = 16, STEPS = 2048, WARMUP = 256 };




static void
die(const char *msg)
{
	fprintf(stderr, "bench: %s\n", msg);
	exit(1);
}

/* Noise through a soft clipper: 4 s at 44.1 kHz, no latency. */
static void
make_effect_data(wav_audio *in, wav_audio *out)
{
	size_t n = 4 * 44100;
	uint64_t s = 12345;
	in->samples = malloc(n * sizeof(double));
	out->samples = malloc(n * sizeof(double));
	if (!in->samples || !out->samples)
		die("out of memory");
	for (size_t t = 0; t < n; t++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		in->samples[t] = (double)(s >> 11) / 9007199254740992.0 - 0.5;
		out->samples[t] = tanh(3.0 * in->samples[t]);
	}
	in->frames = out->frames = n;
	in->channels = out->channels = 1;
	in->rate = out->rate = 44100;
}

/* Median sample-steps per second of UPDATES updates, over REPEATS runs. */
static double
throughput(const dataset *ds, int g, const int *sizes, size_t *n_params)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, g, 1);
	for (int i = 0; i < g; i++)
		cfg.sizes[i] = sizes[i];
	cfg.n_inputs = 1;
	cfg.skip = 1;
	cfg.task = CWRNN_TASK_TRANSFORM;
	char why[256];
	if (dataset_scales(ds, &cfg, why, sizeof why) != 0)
		die(why);
	train_setup s = {.batch = BATCH, .steps = STEPS, .warmup = WARMUP, .threads = 2,
	                 .loss = TRAIN_LOSS_ESR, .preemph = 0.85, .clip = 1.0, .epochs = 1,
	                 .optimizer = CWRNN_OPT_ADAM, .lr = 5e-3, .seed = 1};
	double rate[REPEATS];
	char msg[256];
	for (int r = 0; r < REPEATS; r++) {
		trainer *t = trainer_new(&s, ds, &cfg, msg, sizeof msg);
		if (!t)
			die(msg);
		*n_params = t->n_params;
		trainer_update(t);  /* warm caches and threads */
		double t0 = bench_seconds();
		for (int u = 0; u < UPDATES; u++)
			if (!isfinite(trainer_update(t)))
				die("training diverged");
		rate[r] = (double)BATCH * STEPS * UPDATES / (bench_seconds() - t0);
		trainer_free(t);
	}
	return bench_median(rate, REPEATS);
}

/* The paper's 320-sample target, or a stand-in with the same length. */
static void
paper_target(wav_audio *w, const char **source)
{
	char msg[512];
	*source = "audio/paper_music_320.flac";
	if (wav_read(*source, w, msg, sizeof msg) == 0 &&
	    wav_to_mono(w, *source, 1, msg, sizeof msg) == 0)
		return;
	*source = "synthetic";
	w->samples = malloc(320 * sizeof(double));
	if (!w->samples)
		die("out of memory");
	for (int t = 0; t < 320; t++)
		w->samples[t] = 0.6 * sin(0.05 * t) + 0.3 * sin(0.31 * t);
	w->frames = 320;
	w->channels = 1;
	w->rate = 44100;
}

static void
paper(void)
{
	wav_audio target;
	const char *source;
	paper_target(&target, &source);
	train_options o;
	options_defaults(&o, CWRNN_TASK_GENERATE);
	o.target = source;
	o.val = 0.0;
	dataset ds;
	char msg[512];
	if (dataset_build(&ds, &o, NULL, &target, NULL, NULL, 1, msg, sizeof msg) != 0)
		die(msg);
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 9, 4);
	for (int i = 0; i < 4; i++)
		cfg.sizes[i] = 5;  /* 4 x 5 + 5 x 4 = 40 units */
	if (dataset_scales(&ds, &cfg, msg, sizeof msg) != 0)
		die(msg);
	int steps = (int)(ds.n < 320 ? ds.n : 320);
	train_setup s = {.batch = 1, .steps = steps, .threads = 1, .loss = TRAIN_LOSS_SSE,
	                 .clip = 0.0, .epochs = 2000, .optimizer = CWRNN_OPT_NESTEROV,
	                 .lr = 3e-4, .momentum = 0.95, .init_sigma = 0.1, .seed = 1};
	double secs[PAPER_REPEATS], nmse[PAPER_REPEATS];
	size_t n_params = 0;
	for (int r = 0; r < PAPER_REPEATS; r++) {
		s.seed = (uint64_t)r + 1;
		trainer *t = trainer_new(&s, &ds, &cfg, msg, sizeof msg);
		if (!t)
			die(msg);
		n_params = t->n_params;
		double t0 = bench_seconds();
		trainer_run(t, NULL, NULL);
		secs[r] = bench_seconds() - t0;
		nmse[r] = t->best_nmse;
		trainer_free(t);
	}
	printf("bench: paper_2000_epochs seconds=%.3f params=%zu nmse=%.4g data=%s "
	       "(medians of %d runs, seeds 1..%d)\n", bench_median(secs, PAPER_REPEATS), n_params,
	       bench_median(nmse, PAPER_REPEATS), source, PAPER_REPEATS, PAPER_REPEATS);
	dataset_free(&ds);
	wav_free(&target);
}

int
main(void)
{
	wav_audio in, out;
	make_effect_data(&in, &out);
	train_options o;
	options_defaults(&o, CWRNN_TASK_TRANSFORM);
	o.input = "noise";
	o.target = "clipped noise";
	o.max_latency_ms = 0.0;
	dataset ds;
	char msg[512];
	if (dataset_build(&ds, &o, &in, &out, NULL, NULL, STEPS, msg, sizeof msg) != 0)
		die(msg);
	int cw_sizes[8] = {5, 5, 5, 5, 5, 5, 5, 5}, rnn_sizes[1] = {40};
	size_t cw_params, rnn_params;
	double cw = throughput(&ds, 8, cw_sizes, &cw_params);
	printf("bench: train_transform_1k sample_steps_per_s=%.0f params=%zu threads=2 "
	       "batch=%dx%d\n", cw, cw_params, BATCH, STEPS);
	fflush(stdout);
	double rnn = throughput(&ds, 1, rnn_sizes, &rnn_params);
	printf("bench: train_plain_rnn sample_steps_per_s=%.0f params=%zu threads=2 batch=%dx%d\n",
	       rnn, rnn_params, BATCH, STEPS);
	printf("bench: train_transform_1k_vs_plain_rnn ratio=%.2f\n", cw / rnn);
	fflush(stdout);
	paper();
	dataset_free(&ds);
	wav_free(&in);
	wav_free(&out);
	return 0;
}
