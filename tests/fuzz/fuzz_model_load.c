/*
 * Fuzz target for the model loader (libFuzzer entry point; replay.c runs the
 * same function over files without libFuzzer). Properties checked on every
 * input: loading never crashes or leaks; a model that loads re-encodes to the
 * very same bytes (the format has one spelling per model; fuzz builds skip
 * the checksum so the fuzzer gets past it) and runs with finite output.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cwrnn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
run_briefly(const cwrnn_model *model)
{
	cwrnn_state *state = cwrnn_state_new(model);
	if (!state)
		abort();
	float in[CWRNN_MAX_INPUTS] = {0.5f}, out[CWRNN_MAX_OUTPUTS];
	for (int t = 0; t < 64; t++) {
		cwrnn_step(state, in, out);
		for (int o = 0; o < model->config.n_outputs; o++)
			if (!isfinite(out[o]))
				abort();
	}
	cwrnn_state_free(state);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cwrnn_model *model = NULL;
	char msg[512];
	cwrnn_status status = cwrnn_model_load_buffer(data, size, &model, msg, sizeof msg);
	if (status != CWRNN_OK) {
		if (model || msg[0] == '\0')
			abort(); /* a failure must say why and return nothing */
		return 0;
	}
	size_t again_size = 0;
	uint8_t *again = cwrnn_model_encode(model, &again_size);
	/* Fuzz builds accept any checksum, so compare all but its 4 bytes. */
	if (!again || again_size != size || memcmp(again, data, size - 4) != 0)
		abort();
	free(again);
	/* Keep runs fast: only small models are stepped. */
	if (model->layout.n_params <= 100000)
		run_briefly(model);
	cwrnn_model_free(model);
	return 0;
}
