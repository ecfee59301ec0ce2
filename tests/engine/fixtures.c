/* Models and data for the engine tests. */
#include "fixtures.h"

#include <check.h>
#include <stdlib.h>

static double
next_uniform(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(*s >> 11) / 9007199254740992.0;
}

cwrnn_config
fixture_config(int g, const int *sizes, const uint32_t *periods, int m, int p)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, g, 1);
	for (int i = 0; i < g; i++) {
		cfg.sizes[i] = sizes[i];
		cfg.periods[i] = periods[i];
	}
	cfg.n_inputs = m;
	cfg.n_outputs = p;
	cfg.task = m ? CWRNN_TASK_TRANSFORM : CWRNN_TASK_GENERATE;
	return cfg;
}

cwrnn_model *
fixture_model(const cwrnn_config *cfg, double sigma, uint64_t seed)
{
	char msg[256];
	cwrnn_model *model = cwrnn_model_new(cfg, msg, sizeof msg);
	ck_assert_msg(model != NULL, "%s", msg);
	double *w = malloc(model->layout.n_params * sizeof *w);
	cwrnn_params_init(cfg, w, sigma, seed);
	/* Biases too, so the tests see them matter. */
	uint64_t s = seed ^ 0x5bd1e995u;
	for (int i = 0; i < cfg->n_modules; i++)
		for (int r = 0; r < cfg->sizes[i]; r++)
			w[model->layout.b[i] + (size_t)r] = 0.2 * (next_uniform(&s) - 0.5);
	ck_assert_int_eq(cwrnn_model_from_double(model, w), 0);
	free(w);
	return model;
}

void
fixture_fill_double(double *v, size_t n, double amp, uint64_t seed)
{
	uint64_t s = seed;
	for (size_t i = 0; i < n; i++)
		v[i] = amp * (2.0 * next_uniform(&s) - 1.0);
}

void
fixture_fill(float *v, size_t n, float amp, uint64_t seed)
{
	uint64_t s = seed;
	for (size_t i = 0; i < n; i++)
		v[i] = (float)(amp * (2.0 * next_uniform(&s) - 1.0));
}
