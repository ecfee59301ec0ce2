/*
 * A program that embeds the installed engine (tests/install/check_install.sh
 * builds it through pkg-config, against libcwrnn.a and libcwrnn.so): builds
 * a small effect model, plays a sine through it, and prints a checksum of
 * the output, so the static and the shared build can be compared.
 */
#include <cwrnn.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define FRAMES 4800

int
main(void)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 4, 6);
	cfg.task = CWRNN_TASK_TRANSFORM;
	cfg.n_inputs = 1;
	cfg.sample_rate = 48000.0f;
	char msg[256];
	cwrnn_model *model = cwrnn_model_new(&cfg, msg, sizeof msg);
	if (!model) {
		fprintf(stderr, "smoke: %s\n", msg);
		return 1;
	}
	double *params = malloc(model->layout.n_params * sizeof *params);
	if (!params)
		return 1;
	cwrnn_params_init(&cfg, params, 0.0, 7);
	if (cwrnn_model_from_double(model, params) != 0)
		return 1;
	free(params);

	cwrnn_state *state = cwrnn_state_new(model);
	static float in[FRAMES], out[FRAMES];
	for (int i = 0; i < FRAMES; i++)
		in[i] = (float)(0.5 * sin(2.0 * 3.14159265358979 * 440.0 * i / 48000.0));
	cwrnn_process(state, in, out, FRAMES);
	double sum = 0.0, energy = 0.0;
	for (int i = 0; i < FRAMES; i++) {
		sum += out[i];
		energy += (double)out[i] * out[i];
	}
	cwrnn_state_free(state);
	cwrnn_model_free(model);
	if (!isfinite(energy) || energy == 0.0) {
		fprintf(stderr, "smoke: the model played %s\n", isfinite(energy) ? "silence" : "NaN");
		return 1;
	}
	printf("smoke: %d frames, sum %.9g, energy %.9g\n", FRAMES, sum, energy);
	return 0;
}
