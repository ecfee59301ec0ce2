/* Writes the seed corpus for the model-loader fuzzer: valid models of
 * several shapes plus a few damaged copies. Usage: make_model_seeds DIR */
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

static void
seed(const char *dir, const char *name, int g, int k, int m, int p, int skip, uint32_t phase)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, g, k);
	cfg.n_inputs = m;
	cfg.n_outputs = p;
	cfg.skip = skip;
	cfg.phase = phase;
	cfg.task = m ? CWRNN_TASK_TRANSFORM : CWRNN_TASK_GENERATE;
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
	seed(argv[1], "tiny", 1, 1, 0, 1, 0, 0);
	seed(argv[1], "generator", 4, 3, 0, 1, 0, 0);
	seed(argv[1], "effect", 3, 4, 1, 1, 1, 2);
	seed(argv[1], "stereo", 2, 2, 2, 2, 0, 0);
	return 0;
}
