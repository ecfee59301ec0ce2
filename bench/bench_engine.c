/*
 * Engine benchmark: cost per sample of cwrnn_process for the paper's model,
 * the bundled default model and an effect-sized model, against a dense
 * baseline (a plain RNN of the same width: one module, period 1) stepped by
 * the same engine, on the same kernel, in the same run.
 *
 *   bench_engine [ISA...]          timing lines for each ISA (default: the
 *                                  one the CPU gets); each is forced with
 *                                  CWRNN_ISA, and a state reports what runs
 *   bench_engine --ir MODEL FRAMES runs MODEL (paper, default, effect, or
 *                                  dense-paper, ...) for FRAMES samples and
 *                                  nothing else: bench/bench_ir.sh counts
 *                                  its instructions under callgrind
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

/* The benchmarked models, and a dense one of the same width and inputs. */
typedef struct {
	const char *name;
	int g;
	int sizes[CWRNN_MAX_MODULES];
	int inputs;
	const char *path; /* a model file instead of g, sizes, inputs */
} model_spec;

static const model_spec MODELS[] = {
	{"paper_40u_9m", 9, {5, 5, 5, 5, 4, 4, 4, 4, 4}, 0, NULL}, /* periods 1..256 */
	{"default_48u_6m", 0, {0}, 0, "presets/models/default.cwrnn"},
	{"effect_128u_8m", 8, {16, 16, 16, 16, 16, 16, 16, 16}, 1, NULL},
};
enum { N_MODELS = sizeof MODELS / sizeof MODELS[0] };

static cwrnn_model *
load_spec(const model_spec *spec, int dense)
{
	cwrnn_model *model = NULL;
	if (spec->path) {
		char msg[256];
		if (cwrnn_model_load(spec->path, &model, msg, sizeof msg) != CWRNN_OK) {
			fprintf(stderr, "bench: %s (run from the source tree)\n", msg);
			exit(1);
		}
	} else {
		model = make_model(spec->g, spec->sizes, spec->inputs, 1);
	}
	if (!dense)
		return model;
	int n = model->layout.n, inputs = model->config.n_inputs;
	cwrnn_model_free(model);
	return make_model(1, &n, inputs, 2);
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
bench(const model_spec *spec, const float *in)
{
	cwrnn_model *cw = load_spec(spec, 0), *dense = load_spec(spec, 1);
	cwrnn_state *probe = cwrnn_state_new(cw);
	const char *isa = cwrnn_state_isa(probe);
	timing a = time_model(cw, in), d = time_model(dense, in);
	printf("bench: %s ns_per_sample=%.1f dense_ns_per_sample=%.1f ratio=%.2f "
	       "worst_block256_ns=%.0f mean_block256_ns=%.0f worst_over_mean=%.2f params=%zu "
	       "dense_params=%zu isa=%s\n",
	       spec->name, a.ns_per_sample, d.ns_per_sample, d.ns_per_sample / a.ns_per_sample,
	       a.worst_block_ns, a.mean_block_ns, a.worst_block_ns / a.mean_block_ns,
	       cw->layout.n_params, dense->layout.n_params, isa);
	fflush(stdout);
	cwrnn_state_free(probe);
	cwrnn_model_free(cw);
	cwrnn_model_free(dense);
}

/* --ir: one model, FRAMES samples, nothing else worth counting. */
static int
run_for_ir(const char *name, long frames, const float *in)
{
	int dense = strncmp(name, "dense-", 6) == 0;
	const char *base = dense ? name + 6 : name;
	for (int i = 0; i < N_MODELS; i++) {
		if (strncmp(MODELS[i].name, base, strlen(base)) != 0 || MODELS[i].name[strlen(base)] != '_')
			continue;
		cwrnn_model *model = load_spec(&MODELS[i], dense);
		cwrnn_state *state = cwrnn_state_new(model);
		int m = model->config.n_inputs;
		float out[BLOCK * CWRNN_MAX_OUTPUTS];
		for (long f = 0; f < frames; f += BLOCK) {
			size_t block = (size_t)(frames - f < BLOCK ? frames - f : BLOCK);
			size_t at = (size_t)(f / BLOCK % BLOCKS) * BLOCK * (size_t)m;
			cwrnn_process(state, m ? in + at : NULL, out, block);
		}
		printf("name=%s isa=%s params=%zu\n", MODELS[i].name, cwrnn_state_isa(state),
		       model->layout.n_params);
		cwrnn_state_free(state);
		cwrnn_model_free(model);
		return 0;
	}
	fprintf(stderr, "bench: unknown model '%s' (paper, default, effect, dense-...)\n", name);
	return 1;
}

int
main(int argc, char **argv)
{
	float *in = malloc((size_t)BLOCKS * BLOCK * sizeof *in);
	unsigned s = 1;
	for (int i = 0; i < BLOCKS * BLOCK; i++) {
		s = s * 1103515245u + 12345u;
		in[i] = (float)((s >> 8) & 0xffff) / 32768.0f - 1.0f;
	}
	int status = 0;
	if (argc == 4 && strcmp(argv[1], "--ir") == 0) {
		status = run_for_ir(argv[2], atol(argv[3]), in);
	} else {
		for (int a = 1; a < argc || a == 1; a++) {
			if (a < argc && setenv("CWRNN_ISA", argv[a], 1) != 0)
				return 1;
			for (int i = 0; i < N_MODELS; i++)
				bench(&MODELS[i], in);
		}
	}
	free(in);
	return status;
}
