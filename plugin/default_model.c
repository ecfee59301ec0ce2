/*
 * Build tool: writes the bundle's default model, so the plugin makes sound
 * the moment it is inserted.
 *
 *   default_model OUT.cwrnn
 *
 * It is not trained: a small transform model with a skip connection and
 * fixed pseudo-random weights (a seeded generator, so the file is the same on
 * every build), which adds a soft, slowly modulated saturation to the dry
 * signal. Silence in gives silence out (all biases are zero). Replace it with
 * a trained model by pointing DEFAULT_MODEL in plugin.mk at one.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cwrnn.h"

static uint64_t rng = 0x2545F4914F6CDD1Dull;

/* Roughly N(0, 1): sum of 12 uniforms minus 6. */
static float
gauss(void)
{
	double s = 0.0;
	for (int i = 0; i < 12; i++) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		s += (double)(rng >> 11) * (1.0 / 9007199254740992.0);
	}
	return (float)(s - 6.0);
}

static void
fill(float *w, size_t n, float sigma)
{
	for (size_t i = 0; i < n; i++)
		w[i] = sigma * gauss();
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: default_model OUT.cwrnn\n");
		return 2;
	}
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 6, 4); /* periods 1, 2, 4, ..., 32 */
	cfg.n_inputs = 1;
	cfg.n_outputs = 1;
	cfg.skip = 1;
	cfg.task = CWRNN_TASK_TRANSFORM;
	cfg.sample_rate = 48000.0f;
	cfg.in_scale = 2.0f;
	cfg.out_scale = 0.25f;
	snprintf(cfg.name, sizeof cfg.name, "Default (untrained saturator)");

	char msg[512];
	cwrnn_model *model = cwrnn_model_new(&cfg, msg, sizeof msg);
	if (!model) {
		fprintf(stderr, "default_model: %s\n", msg);
		return 1;
	}
	const cwrnn_layout *l = &model->layout;
	for (int i = 0; i < cfg.n_modules; i++) {
		size_t k = (size_t)cfg.sizes[i], cols = (size_t)(l->n - l->unit_offset[i]);
		fill(model->params + l->w_h[i], k * cols, 0.6f / sqrtf((float)cols));
		fill(model->params + l->w_i[i], k, 1.0f);
	}
	fill(model->params + l->w_o, (size_t)l->n, 1.0f / sqrtf((float)l->n));
	cwrnn_model_set_summary(model, "untrained default: seeded random weights, skip connection");
	cwrnn_status st = cwrnn_model_save(model, argv[1], msg, sizeof msg);
	cwrnn_model_free(model);
	if (st != CWRNN_OK) {
		fprintf(stderr, "default_model: %s: %s\n", argv[1], msg);
		return 1;
	}
	return 0;
}
