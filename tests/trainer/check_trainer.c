/* Runs every trainer suite. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rng.h"
#include "suites.h"

const char *
make_temp_dir(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/cwrnn-test-XXXXXX");
	return mkdtemp(buf);
}

void
cleanup_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char path[4096];
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

char scratch_dir[64];

static void
scratch_setup(void)
{
	ck_assert_ptr_nonnull(make_temp_dir(scratch_dir, sizeof scratch_dir));
}

static void
scratch_teardown(void)
{
	cleanup_dir(scratch_dir);
}

TCase *
scratch_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
	return tc;
}

const char *
scratch_file(const char *name)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", scratch_dir, name);
	return path;
}

void
make_audio(wav_audio *w, size_t n, uint64_t seed)
{
	w->samples = malloc(n * sizeof *w->samples);
	w->frames = n;
	w->channels = 1;
	w->rate = 44100;
	for (size_t i = 0; i < n; i++)
		w->samples[i] = (double)(rng_next(&seed) >> 11) / 9007199254740992.0 - 0.5;
}

int
main(void)
{
	SRunner *sr = srunner_create(options_suite());
	srunner_add_suite(sr, wav_suite());
	srunner_add_suite(sr, dataset_suite());
	srunner_add_suite(sr, train_suite());
	srunner_add_suite(sr, checkpoint_suite());
	srunner_add_suite(sr, report_suite());
	srunner_add_suite(sr, notes_suite());
	srunner_add_suite(sr, pairs_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
