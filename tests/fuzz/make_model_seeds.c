/* Writes the seed corpus for the model-loader fuzzer: valid models of
 * several shapes (with and without controls, in format version 2), the
 * version-1 spelling of those without controls, and a few damaged copies.
 * Usage: make_model_seeds DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cwrnn.h"

static void
write_file(const char *dir, const char *name, const void *data, size_t size)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		fprintf(stderr, "make_model_seeds: cannot write %s\n", path);
		exit(1);
	}
}

/* The version-1 spelling of a version-2 file without controls or root note:
 * no n_controls and root_note (offsets 64..71), header_bytes 8 smaller. */
static void
write_version_1(const char *dir, const char *name, const unsigned char *v2, size_t size)
{
	unsigned char *v1 = malloc(size - 8);
	if (!v1)
		exit(1);
	memcpy(v1, v2, 64);
	memcpy(v1 + 64, v2 + 72, size - 72);
	v1[8] = 1;
	uint32_t header_bytes = (uint32_t)v2[12] | (uint32_t)v2[13] << 8 | (uint32_t)v2[14] << 16 |
	                        (uint32_t)v2[15] << 24;
	header_bytes -= 8;
	for (int i = 0; i < 4; i++)
		v1[12 + i] = (unsigned char)(header_bytes >> (8 * i));
	uint32_t crc = cwrnn_crc32(0, v1, size - 12);
	for (int i = 0; i < 4; i++)
		v1[size - 12 + i] = (unsigned char)(crc >> (8 * i));
	char file[256];
	snprintf(file, sizeof file, "%s.v1.cwrnn", name);
	write_file(dir, file, v1, size - 8);
	free(v1);
}

/* m audio inputs, then `knobs` knobs; `instrument` adds velocity and gate
 * and a root note. */
static void
seed(const char *dir, const char *name, int g, int k, int m, int p, int skip, uint32_t phase,
     int knobs, int instrument)
{
	static const char *const knob_names[] = {"drive", "tone", "level", "bias"};
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, g, k);
	cfg.n_inputs = m;
	cfg.n_outputs = p;
	cfg.skip = skip;
	cfg.phase = phase;
	cfg.task = m ? CWRNN_TASK_TRANSFORM : CWRNN_TASK_GENERATE;
	for (int c = 0; c < knobs; c++)
		cwrnn_config_add_control(&cfg, CWRNN_CONTROL_KNOB, knob_names[c], -1.0f + (float)c,
		                         10.0f, 2.5f, NULL, 0);
	if (instrument) {
		cwrnn_config_add_control(&cfg, CWRNN_CONTROL_VELOCITY, "velocity", 1.0f, 127.0f,
		                         100.0f, NULL, 0);
		cwrnn_config_add_control(&cfg, CWRNN_CONTROL_GATE, "gate", 0.0f, 1.0f, 1.0f, NULL, 0);
		cfg.root_note = 60.0f;
	}
	snprintf(cfg.name, sizeof cfg.name, "%s", name);
	cwrnn_model *model = cwrnn_model_new(&cfg, NULL, 0);
	double *w = malloc(model->layout.n_params * sizeof *w);
	cwrnn_params_init(&cfg, w, 0.0, (uint64_t)g * 31 + (uint64_t)k);
	cwrnn_model_from_double(model, w);
	cwrnn_model_set_summary(model, "seed corpus");
	size_t size;
	unsigned char *bytes = cwrnn_model_encode(model, &size);
	char file[256];
	snprintf(file, sizeof file, "%s.cwrnn", name);
	write_file(dir, file, bytes, size);
	if (cfg.n_controls == 0 && cfg.root_note == 0.0f)
		write_version_1(dir, name, bytes, size);
	snprintf(file, sizeof file, "%s.truncated", name);
	write_file(dir, file, bytes, size / 2);
	bytes[size / 2] ^= 0x40;
	snprintf(file, sizeof file, "%s.flipped", name);
	write_file(dir, file, bytes, size);
	free(bytes);
	free(w);
	cwrnn_model_free(model);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_model_seeds DIR\n");
		return 2;
	}
	seed(argv[1], "tiny", 1, 1, 0, 1, 0, 0, 0, 0);
	seed(argv[1], "generator", 4, 3, 0, 1, 0, 0, 0, 0);
	seed(argv[1], "effect", 3, 4, 1, 1, 1, 2, 0, 0);
	seed(argv[1], "stereo", 2, 2, 2, 2, 0, 0, 0, 0);
	seed(argv[1], "knobs", 3, 3, 1, 1, 1, 0, 2, 0);
	seed(argv[1], "four-knobs", 2, 2, 2, 2, 1, 1, 4, 0);
	seed(argv[1], "instrument", 4, 2, 0, 1, 0, 0, 0, 1);
	return 0;
}
