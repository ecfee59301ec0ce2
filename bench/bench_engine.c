/*
 * Engine benchmark: cost per sample of cwrnn_process for the paper's model and
 * an effect-sized model, against a dense baseline (a plain RNN of the same
 * width: one module, period 1) stepped by the same engine in the same run.
 *
 * The machine is shared and noisy, so every figure is a median over repeats:
 * ns_per_sample is the median of whole-run times; worst_block256_ns is, for
 * each 256-sample block position, the median over repeats, then the largest
 * of those (the cost of the worst block, not of the worst preemption).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cwrnn.h"
#include "timing.h"

enum { BLOCK = 256, BLOCKS = 256, REPEATS = 9 };




static cwrnn_model *
make_model(int g, const int *sizes, int inputs, uint64_t seed)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, g, 1);
	for (int i = 0; i < g; i++)
		cfg.sizes[i] = sizes[i];
	cfg.n_inputs = inputs;
	cfg.task = inputs ? CWRNN_TASK_TRANSFORM : CWRNN_TASK_GENERATE;
	char msg[256];
	cwrnn_model *model = cwrnn_model_new(&cfg, msg, sizeof msg);
	if (!model) {
		fprintf(stderr, "bench: %s\n", msg);
		exit(1);
	}
	double *w = malloc(model->layout.n_params * sizeof *w);
	cwrnn_params_init(&cfg, w, 0.0, seed);
	cwrnn_model_from_double(model, w);
	free(w);
	return model;
}

typedef struct {
	double ns_per_sample, worst_block_ns, mean_block_ns;
} timing;

static timing
time_model(const cwrnn_model *model, const float *in)
{
	cwrnn_state *state = cwrnn_state_new(model);
	int m = model->config.n_inputs;
	float out[BLOCK * CWRNN_MAX_OUTPUTS];
	static double block_ns[BLOCKS][REPEATS];
	double total[REPEATS], per_block[BLOCKS];
	cwrnn_process(state, in, out, BLOCK); /* warm caches */
	for (int r = 0; r < REPEATS; r++) {
		cwrnn_state_reset(state);
		double start = bench_seconds();
		for (int b = 0; b < BLOCKS; b++) {
			double t0 = bench_seconds();
			cwrnn_process(state, m ? in + (size_t)b * BLOCK * m : NULL, out, BLOCK);
			block_ns[b][r] = 1e9 * (bench_seconds() - t0);
		}
		total[r] = 1e9 * (bench_seconds() - start);
	}
	timing result = {0};
	for (int b = 0; b < BLOCKS; b++) {
		per_block[b] = bench_median(block_ns[b], REPEATS);
		if (per_block[b] > result.worst_block_ns)
			result.worst_block_ns = per_block[b];
	}
	double med = bench_median(total, REPEATS);
	result.ns_per_sample = med / (BLOCKS * BLOCK);
	result.mean_block_ns = med / BLOCKS;
	cwrnn_state_free(state);
	return result;
}

static void
bench(const char *name, int g, const int *sizes, int inputs, const float *in)
{
	int n = 0;
	for (int i = 0; i < g; i++)
		n += sizes[i];
	cwrnn_model *cw = make_model(g, sizes, inputs, 1), *dense = make_model(1, &n, inputs, 2);
	timing a = time_model(cw, in), d = time_model(dense, in);
	printf("bench: %s ns_per_sample=%.1f dense_ns_per_sample=%.1f ratio=%.2f "
	       "worst_block256_ns=%.0f mean_block256_ns=%.0f worst_over_mean=%.2f params=%zu "
	       "dense_params=%zu\n",
	       name, a.ns_per_sample, d.ns_per_sample, d.ns_per_sample / a.ns_per_sample,
	       a.worst_block_ns, a.mean_block_ns, a.worst_block_ns / a.mean_block_ns,
	       cw->layout.n_params, dense->layout.n_params);
	cwrnn_model_free(cw);
	cwrnn_model_free(dense);
}

int
main(void)
{
	float *in = malloc((size_t)BLOCKS * BLOCK * sizeof *in);
	unsigned s = 1;
	for (int i = 0; i < BLOCKS * BLOCK; i++) {
		s = s * 1103515245u + 12345u;
		in[i] = (float)((s >> 8) & 0xffff) / 32768.0f - 1.0f;
	}
	int paper[] = {5, 5, 5, 5, 4, 4, 4, 4, 4}; /* 40 units, periods 1..256 */
	int effect[] = {16, 16, 16, 16, 16, 16, 16, 16};
	bench("paper_40u_9m", 9, paper, 0, in);
	bench("effect_128u_8m", 8, effect, 1, in);
	free(in);
	return 0;
}
