/*
 * Fuzz target for the model loader (libFuzzer entry point; replay.c runs the
 * same function over files without libFuzzer). Properties checked on every
 * input: loading never crashes or leaks; a model that loads re-encodes to the
 * very same bytes (the format has one spelling per model and version; a
 * version-1 file comes back as version 2; fuzz builds skip the checksum so
 * the fuzzer gets past it) and runs with finite output.
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

static uint32_t
u32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* again is the version-2 encoding of what data (which loaded) holds. A
 * version-1 file says the same without n_controls and root_note (zero, at
 * offsets 64..71 of version 2), so its header_bytes is 8 smaller. The
 * checksum (last 4 bytes) is not compared. */
static int
same_spelling(const uint8_t *data, size_t size, const uint8_t *again, size_t again_size)
{
	if (u32_at(data + 8) != 1)
		return again_size == size && memcmp(again, data, size - 4) == 0;
	static const uint8_t no_controls_no_root[8];
	return again_size == size + 8 && memcmp(again, data, 8) == 0 && u32_at(again + 8) == 2 &&
	       u32_at(again + 12) == u32_at(data + 12) + 8 &&
	       memcmp(again + 16, data + 16, 48) == 0 &&
	       memcmp(again + 64, no_controls_no_root, 8) == 0 &&
	       memcmp(again + 72, data + 64, size - 64 - 4) == 0;
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
	if (!again || !same_spelling(data, size, again, again_size))
		abort();
	free(again);
	/* Keep runs fast: only small models are stepped. */
	if (model->layout.n_params <= 100000)
		run_briefly(model);
	cwrnn_model_free(model);
	return 0;
}
