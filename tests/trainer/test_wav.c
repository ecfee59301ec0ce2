/* WAV files: round trip, and one clear refusal per kind of bad file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "check_cases.h"
#include "suites.h"
#include "wav.h"

static char msg[512];

static void
assert_refused(const char *p, const char *says)
{
	wav_audio w;
	ck_assert_int_eq(wav_read(p, &w, msg, sizeof msg), -1);
	ck_assert_msg(strstr(msg, says) != NULL, "message '%s' should mention '%s'", msg, says);
	ck_assert_msg(strstr(msg, p) != NULL, "message '%s' should name the file", msg);
	ck_assert_ptr_null(w.samples);
}

/* A float WAV of frames x channels samples written as scratch_dir/name;
 * returns its path (scratch_file's buffer). */
static const char *
written(const char *name, const float *data, size_t frames, int channels, int rate)
{
	const char *path = scratch_file(name);
	ck_assert_msg(wav_write_float(path, data, frames, channels, rate, msg, sizeof msg) == 0, "%s",
	              msg);
	return path;
}

START_TEST(float_round_trip_is_exact)
{
	float data[6] = {0.0f, 0.5f, -0.25f, 1.5f, -3.0f, 1e-7f};
	const char *path = written("f.wav", data, 3, 2, 48000);
	wav_audio w;
	ck_assert_int_eq(wav_read(path, &w, msg, sizeof msg), 0);
	ck_assert_uint_eq(w.frames, 3);
	ck_assert_int_eq(w.channels, 2);
	ck_assert_int_eq(w.rate, 48000);
	for (int i = 0; i < 6; i++)
		ck_assert_float_eq((float)w.samples[i], data[i]);
	ck_assert_int_eq(wav_to_mono(&w, path, 1, msg, sizeof msg), 0);
	ck_assert_int_eq(w.channels, 1);
	ck_assert_double_eq(w.samples[0], 0.25);
	ck_assert_double_eq(w.samples[1], 0.625);
	wav_free(&w);
}
END_TEST

START_TEST(stereo_needs_mixdown)
{
	float data[4] = {0.1f, 0.2f, 0.3f, 0.4f};
	const char *path = written("s.wav", data, 2, 2, 44100);
	wav_audio w;
	ck_assert_int_eq(wav_read(path, &w, msg, sizeof msg), 0);
	ck_assert_int_eq(wav_to_mono(&w, path, 0, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "--mixdown"));
	ck_assert_ptr_nonnull(strstr(msg, "2 channels"));
	wav_free(&w);
}
END_TEST

START_TEST(missing_file)
{
	assert_refused(scratch_file("nothing.wav"), "cannot open");
}
END_TEST

START_TEST(text_is_not_audio)
{
	const char *path = scratch_file("notes.wav");
	FILE *f = fopen(path, "w");
	fputs("these are not samples\n", f);
	fclose(f);
	assert_refused(path, "is not a WAV file");
}
END_TEST

START_TEST(empty_audio)
{
	assert_refused(written("empty.wav", NULL, 0, 1, 44100), "contains no audio");
}
END_TEST

START_TEST(nan_samples)
{
	float data[4] = {0.1f, NAN, 0.3f, 0.0f};
	assert_refused(written("nan.wav", data, 4, 1, 44100), "NaN or infinite sample at frame 1");
	float inf[2] = {0.0f, INFINITY};
	assert_refused(written("inf.wav", inf, 2, 1, 44100), "at frame 1");
}
END_TEST

START_TEST(rate_the_engine_cannot_run)
{
	float data[2] = {0.1f, 0.2f};
	assert_refused(written("slow.wav", data, 2, 1, 500), "500 Hz");
}
END_TEST

START_TEST(write_leaves_no_partial_file)
{
	float data[2] = {0.1f, 0.2f};
	const char *path = scratch_file("missing-dir/out.wav");
	ck_assert_int_eq(wav_write_float(path, data, 2, 1, 44100, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "out.wav"));
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_null(f);
}
END_TEST

Suite *
wav_suite(void)
{
	Suite *s = suite_create("wav");
	suite_add_tests(s, scratch_tcase("reading and writing"),
	                TESTS(float_round_trip_is_exact, stereo_needs_mixdown,
	                      write_leaves_no_partial_file));
	suite_add_tests(s, scratch_tcase("bad files"),
	                TESTS(missing_file, text_is_not_audio, empty_audio, nan_samples,
	                      rate_the_engine_cannot_run));
	return s;
}
