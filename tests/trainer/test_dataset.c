/* Datasets: latency recovered exactly, alignment, splits, batch layout and
 * refusals of data that cannot train. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "dataset.h"
#include "suites.h"

static char msg[512];

/* target(t) = f(input(t - delay)) with f a soft clipper; silence before. */
static void
make_pair(wav_audio *in, wav_audio *out, size_t n, long delay, uint64_t seed)
{
	make_audio(in, n, seed);
	make_audio(out, n + (size_t)(delay > 0 ? delay : 0), seed + 1);
	for (size_t t = 0; t < out->frames; t++) {
		long s = (long)t - delay;
		out->samples[t] = s >= 0 && (size_t)s < n ? tanh(3.0 * in->samples[s]) : 0.0;
	}
}

static train_options
transform_options(void)
{
	train_options o;
	options_defaults(&o, CWRNN_TASK_TRANSFORM);
	o.input = "in.wav";
	o.target = "out.wav";
	o.val = 0.25;
	return o;
}

/* ds: the transform dataset of make_pair's signals (steps as dataset_build takes it). */
static void
build_pair(dataset *ds, wav_audio *in, wav_audio *out, size_t n, long delay, uint64_t seed,
           int steps)
{
	make_pair(in, out, n, delay, seed);
	train_options o = transform_options();
	ck_assert_int_eq(dataset_build(ds, &o, in, out, NULL, NULL, steps, msg, sizeof msg), 0);
}

static void
free_pair(dataset *ds, wav_audio *in, wav_audio *out)
{
	dataset_free(ds);
	wav_free(in);
	wav_free(out);
}

START_TEST(known_delay_is_recovered_exactly)
{
	long delays[] = {0, 1, 37, 220, 2205, -12};
	for (size_t i = 0; i < sizeof delays / sizeof *delays; i++) {
		wav_audio in, out;
		make_pair(&in, &out, 20000, delays[i] > 0 ? delays[i] : 0, 7 + i);
		const double *x = in.samples, *y = out.samples;
		size_t nx = in.frames, ny = out.frames;
		if (delays[i] < 0) {  /* the target leads: drop its first samples */
			y += -delays[i];
			ny -= (size_t)-delays[i];
		}
		ck_assert_int_eq(latency_detect(x, nx, y, ny, 2205), delays[i]);
		wav_free(&in);
		wav_free(&out);
	}
}
END_TEST

START_TEST(leading_silence_does_not_hide_the_delay)
{
	wav_audio in, out;
	size_t lead = 400000;  /* longer than the correlation window */
	make_pair(&in, &out, lead + 20000, 57, 13);
	memset(in.samples, 0, lead * sizeof *in.samples);
	memset(out.samples, 0, (lead + 57) * sizeof *out.samples);
	ck_assert_int_eq(latency_detect(in.samples, in.frames, out.samples, out.frames, 2205), 57);
	wav_free(&in);
	wav_free(&out);
}
END_TEST

START_TEST(delay_outside_the_range_is_not_invented)
{
	wav_audio in, out;
	make_pair(&in, &out, 20000, 300, 3);
	long d = latency_detect(in.samples, in.frames, out.samples, out.frames, 100);
	ck_assert_int_le(labs(d), 100);
	wav_free(&in);
	wav_free(&out);
}
END_TEST

START_TEST(transform_aligns_and_splits)
{
	wav_audio in, out;
	dataset ds;
	build_pair(&ds, &in, &out, 40000, 123, 11, 1000);
	ck_assert_int_eq(ds.parts[0].latency, 123);
	ck_assert_uint_eq(ds.n + ds.vn, 40000);
	ck_assert_uint_eq(ds.vn, 10000);
	ck_assert_int_eq(ds.val, VAL_HELD_OUT);
	for (size_t t = 0; t < ds.n; t += 997)
		ck_assert_double_eq(ds.parts[0].y[t], tanh(3.0 * ds.parts[0].x[t]));
	ck_assert_ptr_eq(ds.parts[0].vx, ds.parts[0].x + ds.n);
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 2, 2);
	cfg.n_inputs = 1;
	cfg.skip = 1;
	ck_assert_int_eq(dataset_scales(&ds, &cfg, msg, sizeof msg), 0);
	ck_assert_float_eq_tol(cfg.in_scale, 1.0f / (float)wav_peak(ds.parts[0].x, ds.n), 1e-6f);
	double residual = 0.0;  /* what the network must output: y - x */
	for (size_t t = 0; t < ds.n; t++)
		residual = fmax(residual, fabs(ds.parts[0].y[t] - ds.parts[0].x[t]));
	ck_assert_float_eq_tol(cfg.out_scale, (float)residual, 1e-6f);
	free_pair(&ds, &in, &out);
}
END_TEST

START_TEST(segments_are_time_major_and_raw)
{
	wav_audio in, out;
	dataset ds;
	build_pair(&ds, &in, &out, 5000, 0, 5, 100);
	enum { B = 3, S = 4 };
	double x[S * B], t[S * B];
	dataset_segment(&ds, 0, 10, S, 1, B, x, t);
	for (int s = 0; s < S; s++) {
		ck_assert_double_eq(x[s * B + 1], ds.parts[0].x[10 + s]);
		ck_assert_double_eq(t[s * B + 1], ds.parts[0].y[10 + s]);
	}
	free_pair(&ds, &in, &out);
}
END_TEST

START_TEST(random_batches_replay_from_the_seed)
{
	wav_audio in, out;
	dataset ds;
	build_pair(&ds, &in, &out, 3000, 0, 9, 64);
	enum { B = 5, S = 64 };
	double x1[S * B], r1[S * B], x2[S * B], r2[S * B];
	uint64_t a = 42, b = 42;
	dataset_random_batch(&ds, &a, B, S, x1, r1, NULL);
	dataset_random_batch(&ds, &b, B, S, x2, r2, NULL);
	ck_assert_int_eq(memcmp(x1, x2, sizeof x1), 0);
	ck_assert_int_eq(memcmp(r1, r2, sizeof r1), 0);
	ck_assert_uint_eq(a, b);
	/* Each sequence is a contiguous run of the training part. */
	for (int k = 0; k < B; k++) {
		size_t off = 0;
		while (off + S <= ds.n && ds.parts[0].y[off] != r1[k])
			off++;
		ck_assert_uint_le(off + S, ds.n);
		for (int s = 0; s < S; s++)
			ck_assert_double_eq(r1[s * B + k], ds.parts[0].y[off + (size_t)s]);
	}
	free_pair(&ds, &in, &out);
}
END_TEST

START_TEST(continue_inputs_are_the_previous_sample)
{
	wav_audio a;
	make_audio(&a, 2000, 4);
	train_options o;
	options_defaults(&o, CWRNN_TASK_CONTINUE);
	o.input = "a.wav";
	o.val = 0.1;
	dataset ds;
	ck_assert_int_eq(dataset_build(&ds, &o, &a, NULL, NULL, NULL, 100, msg, sizeof msg), 0);
	ck_assert_double_eq(ds.parts[0].x[0], 0.0);
	for (size_t t = 1; t < ds.n; t++)
		ck_assert_double_eq(ds.parts[0].x[t], ds.parts[0].y[t - 1]);
	ck_assert_double_eq(ds.parts[0].vx[0], ds.parts[0].y[ds.n - 1]);
	dataset_free(&ds);
	wav_free(&a);
}
END_TEST

START_TEST(generate_validates_on_the_whole_file_without_val)
{
	wav_audio a;
	make_audio(&a, 1000, 4);
	train_options o;
	options_defaults(&o, CWRNN_TASK_GENERATE);
	o.target = "t.wav";
	dataset ds;
	ck_assert_int_eq(dataset_build(&ds, &o, NULL, &a, NULL, NULL, 1, msg, sizeof msg), 0);
	ck_assert_int_eq(ds.val, VAL_TRAIN);
	ck_assert_uint_eq(ds.vn, 1000);
	ck_assert_uint_eq(ds.parts[0].v_start, 0);
	ck_assert_ptr_null(ds.parts[0].x);
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 2, 2);
	ck_assert_int_eq(dataset_scales(&ds, &cfg, msg, sizeof msg), 0);
	ck_assert_float_eq(cfg.out_scale, (float)wav_peak(a.samples, 1000));
	dataset_free(&ds);
	wav_free(&a);
}
END_TEST

static void
assert_refused(wav_audio *in, wav_audio *out, int steps, const char *says)
{
	train_options o = transform_options();
	dataset ds;
	ck_assert_int_eq(dataset_build(&ds, &o, in, out, NULL, NULL, steps, msg, sizeof msg), -1);
	ck_assert_msg(strstr(msg, says) != NULL, "message '%s' should mention '%s'", msg, says);
}

START_TEST(data_that_cannot_train_is_refused)
{
	wav_audio in, out;
	make_pair(&in, &out, 5000, 0, 1);
	memset(out.samples, 0, out.frames * sizeof *out.samples);
	assert_refused(&in, &out, 100, "'out.wav' is pure silence");
	wav_free(&out);
	make_audio(&out, 5000, 2);
	out.rate = 48000;
	assert_refused(&in, &out, 100, "is 44100 Hz but 'out.wav' is 48000 Hz");
	wav_free(&out);
	make_audio(&out, 9000, 2);
	assert_refused(&in, &out, 100, "trim them to the same length");
	wav_free(&out);
	make_audio(&out, 5000, 2);
	assert_refused(&in, &out, 4000, "fewer than one segment");
	wav_free(&out);
	wav_free(&in);
}
END_TEST

Suite *
dataset_suite(void)
{
	Suite *s = suite_create("dataset");
	/* Correlating 20k-sample pairs takes seconds under AddressSanitizer on a
	 * loaded machine; Check's 4 s default is not a bound we test. */
	TCase *tc = suite_add_tests(s, tcase_create("latency"),
	                            TESTS(known_delay_is_recovered_exactly,
	                                  leading_silence_does_not_hide_the_delay,
	                                  delay_outside_the_range_is_not_invented));
	tcase_set_timeout(tc, 60);
	tc = suite_add_tests(s, tcase_create("slicing"),
	                     TESTS(transform_aligns_and_splits, segments_are_time_major_and_raw,
	                           random_batches_replay_from_the_seed,
	                           continue_inputs_are_the_previous_sample,
	                           generate_validates_on_the_whole_file_without_val));
	tcase_set_timeout(tc, 60);
	suite_add_tests(s, tcase_create("refusals"), TESTS(data_that_cannot_train_is_refused));
	return s;
}
