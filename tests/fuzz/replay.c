/* Runs a fuzz target once over each file named on the command line (or every
 * file in each directory named), without libFuzzer: the seed corpus and every
 * input that once crashed become regression tests in `make check`. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	rewind(f);
	uint8_t *data = malloc(size > 0 ? (size_t)size : 1);
	size_t got = data ? fread(data, 1, (size_t)size, f) : 0;
	fclose(f);
	if (!data || got != (size_t)size) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(data);
		return -1;
	}
	LLVMFuzzerTestOneInput(data, got);
	free(data);
	return 0;
}

static int
replay_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return replay_file(dir) == 0 ? (++*count, 0) : -1;
	struct dirent *e;
	char path[4096];
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (replay_file(path) != 0)
			rc = -1;
		else
			++*count;
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	int count = 0, rc = 0;
	for (int i = 1; i < argc; i++)
		if (replay_dir(argv[i], &count) != 0)
			rc = 1;
	printf("replay: %d inputs ran without a crash\n", count);
	return rc;
}
