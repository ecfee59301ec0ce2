/* Pairs files: parsing, paths, knobs, ranges, and one message naming the
 * line for every bad one; the capture signal and its checks; a dataset of
 * several pairs with their knob values as inputs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "check_cases.h"
#include "pairs.h"
#include "suites.h"

static char msg[512];

static int
parse(const char *text, pairs_file *pf)
{
	msg[0] = '\0';
	return pairs_parse("dir/p.txt", text, strlen(text), pf, msg, sizeof msg);
}

static void
assert_refused(const char *text, const char *says)
{
	pairs_file pf;
	ck_assert_int_eq(parse(text, &pf), -1);
	ck_assert_msg(strstr(msg, says) != NULL, "message '%s' should say '%s'", msg, says);
	ck_assert_ptr_null(strchr(msg, '\n'));
	ck_assert_uint_eq(pf.n_lines, 0);
}

START_TEST(lines_comments_paths_and_knobs)
{
	pairs_file pf;
	const char *text = "# DS-1 at three drives\n"
	                   "dry.wav  wet_2.wav drive=2 tone=5   # low\n"
	                   "\n"
	                   "/abs/dry.wav\twet_5.wav tone=5 drive=5\r\n"
	                   "capture rec.wav drive=8 tone=-1.5\n";
	ck_assert_msg(parse(text, &pf) == 0, "%s", msg);
	ck_assert_uint_eq(pf.n_lines, 3);
	ck_assert_int_eq(pf.n_knobs, 2);
	ck_assert_str_eq(pf.names[0], "drive");
	ck_assert_str_eq(pf.names[1], "tone");
	ck_assert_int_eq(pf.lines[0].line, 2);
	ck_assert_str_eq(pf.lines[0].dry, "dir/dry.wav");
	ck_assert_str_eq(pf.lines[0].wet, "dir/wet_2.wav");
	ck_assert_str_eq(pf.lines[1].dry, "/abs/dry.wav");
	ck_assert_double_eq(pf.lines[1].values[0], 5.0);  /* any order on the line */
	ck_assert_ptr_null(pf.lines[2].dry);              /* the capture signal */
	ck_assert_int_eq(pf.lines[2].line, 5);
	ck_assert_double_eq(pf.lines[2].values[1], -1.5);
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 2, 2);
	cfg.n_inputs = 1;
	ck_assert_int_eq(pairs_controls(&pf, NULL, 0, &cfg, msg, sizeof msg), 0);
	ck_assert_int_eq(cfg.n_inputs, 3);
	ck_assert_int_eq(cfg.n_controls, 2);
	ck_assert_int_eq(cfg.controls[0].kind, CWRNN_CONTROL_KNOB);
	ck_assert_float_eq(cfg.controls[0].min, 2.0f);  /* the range seen */
	ck_assert_float_eq(cfg.controls[0].max, 8.0f);
	ck_assert_float_eq(cfg.controls[0].def, 5.0f);  /* the value seen nearest the middle */
	ck_assert_int_eq(cwrnn_config_check(&cfg, msg, sizeof msg), 0);
	knob_range r;
	ck_assert_int_eq(knob_range_parse("drive:0:10", &r, msg, sizeof msg), 0);
	cwrnn_config_default(&cfg, 2, 2);
	cfg.n_inputs = 1;
	ck_assert_int_eq(pairs_controls(&pf, &r, 1, &cfg, msg, sizeof msg), 0);
	ck_assert_float_eq(cfg.controls[0].min, 0.0f);  /* declared */
	ck_assert_float_eq(cfg.controls[0].max, 10.0f);
	pairs_free(&pf);
}
END_TEST

START_TEST(a_file_without_knobs_is_fine)
{
	pairs_file pf;
	ck_assert_int_eq(parse("a.wav b.wav\nc.wav d.wav\n", &pf), 0);
	ck_assert_int_eq(pf.n_knobs, 0);
	ck_assert_uint_eq(pf.n_lines, 2);
	pairs_free(&pf);
}
END_TEST

START_TEST(every_bad_line_is_named)
{
	assert_refused("a.wav b.wav drive=1\nc.wav d.wav\n", "dir/p.txt:2: knob 'drive' is missing");
	assert_refused("a.wav b.wav drive=1\nc.wav d.wav drive=2 tone=3\n",
	               "dir/p.txt:2: unknown knob 'tone'");
	assert_refused("a.wav b.wav drive=1\nc.wav d.wav drive=high\n",
	               "dir/p.txt:2: drive: 'high' is not a number");
	assert_refused("a.wav b.wav drive\n", "dir/p.txt:1: 'drive' is not NAME=VALUE");
	assert_refused("\n\na.wav\n", "dir/p.txt:3: a line is DRY WET");
	assert_refused("a.wav b.wav drive=1 drive=2\n", "dir/p.txt:1: knob 'drive' given twice");
	assert_refused("a b k1=1 k2=1 k3=1 k4=1 k5=1\n", "dir/p.txt:1: more than 4 knobs");
	assert_refused("a b k1=1 k2=1 k3=1 k4=1 k5=1 k6=1\n", "dir/p.txt:1: too many words");
	assert_refused("a.wav b.wav dr!ve=1\n", "dir/p.txt:1: knob name 'dr!ve'");
	assert_refused("# nothing\n", "dir/p.txt: no pairs");
	pairs_file pf;
	ck_assert_int_eq(parse("a b drive=3\nc d drive=3\n", &pf), 0);
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 2, 2);
	ck_assert_int_eq(pairs_controls(&pf, NULL, 0, &cfg, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "dir/p.txt:1: knob 'drive' is 3 on every line"));
	knob_range r;
	ck_assert_int_eq(knob_range_parse("drive:0:2", &r, msg, sizeof msg), 0);
	pairs_free(&pf);
	ck_assert_int_eq(parse("a b drive=1\nc d drive=3\n", &pf), 0);
	ck_assert_int_eq(pairs_controls(&pf, &r, 1, &cfg, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "dir/p.txt:2: drive=3 is outside --knob drive:0:2"));
	ck_assert_int_eq(knob_range_parse("tone:0:1", &r, msg, sizeof msg), 0);
	ck_assert_int_eq(pairs_controls(&pf, &r, 1, &cfg, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "names no knob called 'tone'"));
	ck_assert_int_eq(knob_range_parse("tone:1:1", &r, msg, sizeof msg), -1);
	ck_assert_int_eq(knob_range_parse("tone:1", &r, msg, sizeof msg), -1);
	pairs_free(&pf);
}
END_TEST

/* Two pairs at two knob settings: each keeps its own latency and held-out
 * end, and the knob value rides along as the second input. */
START_TEST(a_dataset_of_pairs_carries_their_knobs)
{
	wav_audio in[2], out[2];
	for (int k = 0; k < 2; k++) {
		make_audio(&in[k], 8000, 30 + (uint64_t)k);
		make_audio(&out[k], 8000, 40);
		size_t delay = k ? 37 : 5;
		memset(out[k].samples, 0, delay * sizeof(double));
		for (size_t t = delay; t < 8000; t++)
			out[k].samples[t] = tanh((2.0 + 3.0 * k) * in[k].samples[t - delay]);
	}
	train_options o;
	options_defaults(&o, CWRNN_TASK_TRANSFORM);
	o.val = 0.25;
	dataset ds;
	dataset_init(&ds, CWRNN_TASK_TRANSFORM, 1);
	double knob[2] = {2.0, 5.0};
	for (int k = 0; k < 2; k++)
		ck_assert_msg(dataset_add_pair(&ds, &o, &in[k], "in", &out[k], "out",
		                               DATASET_FIND_LATENCY, &knob[k], k + 1, msg,
		                               sizeof msg) == 0, "%s", msg);
	ck_assert_int_eq(dataset_finish(&ds, 100, msg, sizeof msg), 0);
	ck_assert_int_eq(ds.parts[0].latency, 5);
	ck_assert_int_eq(ds.parts[1].latency, 37);
	ck_assert_uint_eq(ds.parts[1].vn, (8000 - 37) / 4);
	ck_assert_uint_eq(ds.n, ds.parts[0].n + ds.parts[1].n);
	enum { B = 2, S = 3 };
	double x[S * B * 2], t[S * B];
	dataset_segment(&ds, 1, 10, S, 1, B, x, t);
	for (int s = 0; s < S; s++) {
		ck_assert_double_eq(x[(s * B + 1) * 2], ds.parts[1].x[10 + s]);
		ck_assert_double_eq(x[(s * B + 1) * 2 + 1], 5.0);
		ck_assert_double_eq(t[s * B + 1], ds.parts[1].y[10 + s]);
	}
	/* A pair at another rate is refused naming both files. */
	wav_audio odd;
	make_audio(&odd, 8000, 50);
	odd.rate = 48000;
	ck_assert_int_eq(dataset_add_pair(&ds, &o, &odd, "odd.wav", &out[0], "out", 0, knob, 3, msg,
	                                  sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "is 44100 Hz but 'odd.wav' is 48000 Hz"));
	wav_free(&odd);
	dataset_free(&ds);
	for (int k = 0; k < 2; k++) {
		wav_free(&in[k]);
		wav_free(&out[k]);
	}
}
END_TEST

/* With several pairs each counts relative to its own level: a pair 10 times
 * quieter gets 100 times the weight, and the loss of a batch is the mean of
 * its sequences' ESRs. */
START_TEST(quiet_pairs_weigh_as_much_as_loud_ones)
{
	wav_audio in[2], out[2];
	for (int k = 0; k < 2; k++) {
		make_audio(&in[k], 6000, 60);  /* the same input: only the level differs */
		make_audio(&out[k], 6000, 70);
		for (size_t t = 0; t < 6000; t++)
			out[k].samples[t] = (k ? 0.1 : 1.0) * tanh(2.0 * in[k].samples[t]);
	}
	train_options o;
	options_defaults(&o, CWRNN_TASK_TRANSFORM);
	o.val = 0.2;
	o.max_latency_ms = 0.0;
	dataset ds;
	dataset_init(&ds, CWRNN_TASK_TRANSFORM, 1);
	double knob[2] = {0.0, 1.0};
	for (int k = 0; k < 2; k++)
		ck_assert_int_eq(dataset_add_pair(&ds, &o, &in[k], "in", &out[k], "out", 0, &knob[k],
		                                  k + 1, msg, sizeof msg), 0);
	ck_assert_int_eq(dataset_finish(&ds, 80, msg, sizeof msg), 0);
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 3, 4);
	cfg.n_inputs = 1;
	cfg.skip = 1;
	cfg.task = CWRNN_TASK_TRANSFORM;
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_KNOB, "k", 0.0f, 1.0f, 0.0f,
	                                          msg, sizeof msg), 0);
	ck_assert_int_eq(dataset_scales(&ds, &cfg, msg, sizeof msg), 0);
	train_setup s = {.batch = 4, .steps = 80, .warmup = 16, .threads = 2, .loss = TRAIN_LOSS_ESR,
	                 .preemph = 0.0, .clip = 1.0, .epochs = 1, .optimizer = CWRNN_OPT_ADAM,
	                 .lr = 1e-2, .seed = 3};
	trainer *t = trainer_new(&s, &ds, &cfg, msg, sizeof msg);
	ck_assert_msg(t != NULL, "%s", msg);
	ck_assert_ptr_nonnull(t->part_weight);
	ck_assert_double_eq_tol(t->part_weight[1] / t->part_weight[0], 100.0, 1e-9);
	double loss = trainer_update(t);
	ck_assert(isfinite(loss) && loss > 0.0);
	/* Each sequence's scale: its part's weight over the batch's terms. */
	double sum = 0.0;
	for (int b = 0; b < 4; b++)
		sum += t->seq_scale[b] * 4.0 * (80 - 16) / t->part_weight[t->seq_part[b]];
	ck_assert_double_eq_tol(sum, 4.0, 1e-9);
	trainer_free(t);
	dataset_free(&ds);
	for (int k = 0; k < 2; k++) {
		wav_free(&in[k]);
		wav_free(&out[k]);
	}
}
END_TEST

/* The capture signal is the same on every call, about three minutes long
 * at any rate, and a recording of it is found wherever it starts. */
START_TEST(capture_signal_is_deterministic_and_found)
{
	wav_audio a, b;
	ck_assert_msg(capture_signal(44100, &a, msg, sizeof msg) == 0, "%s", msg);
	ck_assert_int_eq(capture_signal(44100, &b, msg, sizeof msg), 0);
	ck_assert_uint_eq(a.frames, b.frames);
	ck_assert_int_eq(memcmp(a.samples, b.samples, a.frames * sizeof(double)), 0);
	ck_assert(a.frames > 170 * 44100 && a.frames < 190 * 44100);
	ck_assert(wav_peak(a.samples, a.frames) <= 0.51);
	/* "Recorded" 1234 samples late through a soft clipper, with a tail. */
	wav_audio rec = {NULL, a.frames + 1234 + 4410, 1, 44100};
	rec.samples = calloc(rec.frames, sizeof(double));
	for (size_t i = 0; i < a.frames; i++)
		rec.samples[i + 1234] = 0.8 * tanh(3.0 * a.samples[i]);
	long latency = 0;
	ck_assert_msg(capture_locate(&rec, &a, "rec.wav", &latency, msg, sizeof msg) == 0, "%s", msg);
	ck_assert_int_eq(latency, 1234);
	/* As long as the signal, with its latency short of the end (what a
	 * plugin host writes): accepted. */
	size_t full = rec.frames;
	rec.frames = a.frames;
	ck_assert_msg(capture_locate(&rec, &a, "rec.wav", &latency, msg, sizeof msg) == 0, "%s", msg);
	ck_assert_int_eq(latency, 1234);
	rec.frames = full;
	/* Cut short: truncated. */
	rec.frames = a.frames / 2;
	ck_assert_int_eq(capture_locate(&rec, &a, "rec.wav", &latency, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "'rec.wav' is truncated"));
	/* Something else: not the capture. */
	rec.frames = a.frames;
	for (size_t i = 0; i < rec.frames; i++)
		rec.samples[i] = 0.3 * sin(0.01 * (double)i);
	ck_assert_int_eq(capture_locate(&rec, &a, "rec.wav", &latency, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "not a recording of the capture signal"));
	memset(rec.samples, 0, rec.frames * sizeof(double));
	ck_assert_int_eq(capture_locate(&rec, &a, "rec.wav", &latency, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "is silent"));
	ck_assert_str_eq(capture_verdict(0.005), "great");
	ck_assert_str_eq(capture_verdict(0.02), "good");
	ck_assert_str_eq(capture_verdict(0.08), "usable");
	ck_assert_str_eq(capture_verdict(0.3), "poor");
	wav_free(&rec);
	wav_free(&a);
	wav_free(&b);
}
END_TEST

Suite *
pairs_suite(void)
{
	Suite *s = suite_create("pairs");
	suite_add_tests(s, tcase_create("parsing"),
	                TESTS(lines_comments_paths_and_knobs, a_file_without_knobs_is_fine,
	                      every_bad_line_is_named));
	TCase *tc = suite_add_tests(s, tcase_create("data"),
	                            TESTS(a_dataset_of_pairs_carries_their_knobs,
	                                  quiet_pairs_weigh_as_much_as_loud_ones,
	                                  capture_signal_is_deterministic_and_found));
	tcase_set_timeout(tc, 60);
	return s;
}
