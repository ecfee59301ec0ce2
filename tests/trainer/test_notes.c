/* The instrument task's notes: the manifest (every bad line named), the
 * resampler, and the sequences (gate, padding, rates). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "notes.h"
#include "suites.h"

static char msg[2048];

static int
parse(const char *text, note_manifest *m)
{
	return notes_parse(text, strlen(text), "dir/NOTES.txt", m, msg, sizeof msg);
}

static int
count_lines(const char *s)
{
	int n = *s ? 1 : 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

START_TEST(manifest_reads_notes_comments_and_paths)
{
	note_manifest m;
	ck_assert_int_eq(parse("# an instrument\n"
	                       "\n"
	                       "c4.wav note=60 velocity=100 release=0.5  # the middle C\n"
	                       "  /abs/e4.flac\trelease=1.25 velocity=1 note=64\r\n"
	                       "sub/g4.wav velocity=127 note=0 release=0",
	                       &m),
	                 0);
	ck_assert_int_eq(m.n, 3);
	ck_assert_str_eq(m.notes[0].path, "dir/c4.wav");
	ck_assert_int_eq(m.notes[0].line, 3);
	ck_assert_int_eq(m.notes[0].note, 60);
	ck_assert_int_eq(m.notes[0].velocity, 100);
	ck_assert_double_eq(m.notes[0].release, 0.5);
	ck_assert_str_eq(m.notes[1].path, "/abs/e4.flac");
	ck_assert_int_eq(m.notes[1].velocity, 1);
	ck_assert_double_eq(m.notes[1].release, 1.25);
	ck_assert_str_eq(m.notes[2].path, "dir/sub/g4.wav");
	ck_assert_int_eq(m.notes[2].line, 5);
	notes_free(&m);
}
END_TEST

START_TEST(every_bad_line_gets_one_message_naming_it)
{
	note_manifest m;
	ck_assert_int_eq(parse("ok.wav note=60 velocity=100 release=0.5\n"
	                       "a.wav note=128 velocity=100 release=0.5\n"
	                       "b.wav note=60 velocity=0 release=0.5\n"
	                       "c.wav note=60 velocity=100 release=-1\n"
	                       "d.wav note=60 velocity=100\n"
	                       "e.wav note=60 velocity=100 release=0.5 pedal=1\n"
	                       "f.wav note=60 velocity=100 release=abc\n"
	                       "g.wav note=sixty velocity=100 release=1\n"
	                       "h.wav 60 100 0.5\n"
	                       "# fine\n"
	                       "i.wav velocity=100 release=1\n",
	                       &m),
	                 -1);
	ck_assert_int_eq(m.n, 0);
	ck_assert_ptr_null(m.notes);
	ck_assert_int_eq(count_lines(msg), 9);  /* 8 shown, then "and 1 more" */
	const char *want[] = {"dir/NOTES.txt:2: note=128", "dir/NOTES.txt:3: velocity=0",
	                      "dir/NOTES.txt:4: release=-1", "dir/NOTES.txt:5: 'd.wav' has no release=",
	                      "dir/NOTES.txt:6: unknown key 'pedal'", "dir/NOTES.txt:7: release=abc",
	                      "dir/NOTES.txt:8: note=sixty", "dir/NOTES.txt:9: '60' is not key=value",
	                      "and 1 more bad lines"};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		ck_assert_msg(strstr(msg, want[i]), "missing '%s' in:\n%s", want[i], msg);
	ck_assert_ptr_null(strstr(msg, ":1:"));
}
END_TEST

START_TEST(empty_or_binary_manifests_are_refused)
{
	note_manifest m;
	ck_assert_int_eq(parse("# nothing\n\n   \n", &m), -1);
	ck_assert_ptr_nonnull(strstr(msg, "lists no notes"));
	static const char bin[] = "a.wav note=1\0 velocity=1 release=0\n";
	ck_assert_int_eq(notes_parse(bin, sizeof bin - 1, "x", &m, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "x:1: contains a NUL byte"));
	ck_assert_int_eq(notes_read("/nonexistent/NOTES.txt", &m, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "/nonexistent/NOTES.txt"));
}
END_TEST

/* A sine resampled to 32 samples per cycle is that sine at the new rate. */
START_TEST(resampling_keeps_the_waveform)
{
	size_t n = 22050;
	double f = notes_rate(60, 32) / 32.0, r = notes_rate(60, 32) / 22050.0;
	double *in = malloc(n * sizeof *in);
	for (size_t t = 0; t < n; t++)
		in[t] = 0.5 * sin(2.0 * 3.14159265358979323846 * f * (double)t / 22050.0);
	size_t len = notes_resampled_length(n, r);
	ck_assert_uint_eq(len, (size_t)ceil((double)n * r));
	double *out = malloc(n * sizeof *out), worst = 0.0;
	notes_resample(in, n, r, out);
	for (size_t j = 100; j + 100 < len; j++) {
		double e = fabs(out[j] - 0.5 * sin(2.0 * 3.14159265358979323846 * (double)j / 32.0));
		worst = e > worst ? e : worst;
	}
	ck_assert_double_lt(worst, 1e-3);
	/* A downsampled tone above the new Nyquist is removed. */
	for (size_t t = 0; t < n; t++)
		in[t] = 0.5 * sin(2.0 * 3.14159265358979323846 * 9000.0 * (double)t / 22050.0);
	notes_resample(in, n, 0.5, out);
	worst = 0.0;
	for (size_t j = 100; j + 100 < notes_resampled_length(n, 0.5); j++)
		worst = fabs(out[j]) > worst ? fabs(out[j]) : worst;
	ck_assert_double_lt(worst, 0.01);
	free(in);
	free(out);
}
END_TEST

static void
write_note(const char *dir, const char *name, size_t frames, int rate)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	float *x = malloc(frames * sizeof *x);
	for (size_t t = 0; t < frames; t++)
		x[t] = 0.25f * (float)sin(0.05 * (double)t);
	ck_assert_int_eq(wav_write_float(path, x, frames, 1, rate, msg, sizeof msg), 0);
	free(x);
}

START_TEST(notes_become_gated_sequences_in_lockstep)
{
	char dir[64], manifest[128], text[256];
	ck_assert_ptr_nonnull(make_temp_dir(dir, sizeof dir));
	write_note(dir, "low.wav", 4410, 44100);   /* 0.1 s */
	write_note(dir, "high.wav", 2205, 22050);  /* 0.1 s */
	snprintf(manifest, sizeof manifest, "%s/NOTES.txt", dir);
	snprintf(text, sizeof text, "low.wav note=57 velocity=40 release=0.05\n"
	                            "high.wav note=69 velocity=127 release=0.025\n");
	note_manifest m;
	note_set set;
	ck_assert_int_eq(notes_parse(text, strlen(text), manifest, &m, msg, sizeof msg), 0);
	ck_assert_int_eq(notes_load(&m, manifest, 32, 0, &set, msg, sizeof msg), 0);
	ck_assert_int_eq(set.n, 2);
	ck_assert_double_eq(set.rate, 14080.0);
	/* A3 runs at 7040 Hz, A4 at 14080 Hz: 0.1 s is 704 and 1408 steps. */
	ck_assert_uint_eq(set.length[0], 704);
	ck_assert_uint_eq(set.length[1], 1408);
	ck_assert_uint_eq(set.steps, 1408);
	ck_assert_uint_eq(set.release[0], 352);
	ck_assert_uint_eq(set.release[1], 352);
	for (size_t t = 0; t < set.steps; t++) {
		const double *x0 = set.x + (t * 2) * NOTES_INPUTS, *x1 = x0 + NOTES_INPUTS;
		ck_assert_double_eq(x0[NOTES_VELOCITY], 40.0);
		ck_assert_double_eq(x1[NOTES_VELOCITY], 127.0);
		ck_assert_double_eq(x0[NOTES_NOTE], 57.0);
		ck_assert_double_eq(x1[NOTES_NOTE], 69.0);
		ck_assert_double_eq(x0[NOTES_GATE], t < 352 ? 1.0 : 0.0);
		ck_assert_double_eq(x1[NOTES_GATE], t < 352 ? 1.0 : 0.0);
		if (t >= 704)
			ck_assert_double_eq(set.y[t * 2], 0.0);  /* padding */
	}
	notes_set_free(&set);
	notes_free(&m);

	/* A release past the end names the line and the file. */
	snprintf(text, sizeof text, "low.wav note=57 velocity=40 release=0.05\n"
	                            "high.wav note=69 velocity=127 release=0.2\n");
	ck_assert_int_eq(notes_parse(text, strlen(text), manifest, &m, msg, sizeof msg), 0);
	ck_assert_int_eq(notes_load(&m, manifest, 32, 0, &set, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "NOTES.txt:2: release=0.2 is past the end"));
	ck_assert_ptr_nonnull(strstr(msg, "high.wav"));
	notes_free(&m);
	/* So does a file that is missing. */
	snprintf(text, sizeof text, "gone.wav note=57 velocity=40 release=0.05\n");
	ck_assert_int_eq(notes_parse(text, strlen(text), manifest, &m, msg, sizeof msg), 0);
	ck_assert_int_eq(notes_load(&m, manifest, 32, 0, &set, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "NOTES.txt:1: "));
	ck_assert_ptr_nonnull(strstr(msg, "gone.wav"));
	notes_free(&m);
	cleanup_dir(dir);
}
END_TEST

START_TEST(controls_describe_the_inputs)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 2, 4);
	notes_controls(&cfg);
	ck_assert_int_eq(cwrnn_config_check(&cfg, msg, sizeof msg), 0);
	ck_assert_int_eq(cfg.n_inputs, NOTES_INPUTS);
	ck_assert_int_eq(cfg.controls[NOTES_VELOCITY].kind, CWRNN_CONTROL_VELOCITY);
	ck_assert_int_eq(cfg.controls[NOTES_GATE].kind, CWRNN_CONTROL_GATE);
	ck_assert_int_eq(cfg.controls[NOTES_NOTE].kind, CWRNN_CONTROL_NOTE);
	double gain, offset;
	cwrnn_input_affine(&cfg, NOTES_VELOCITY, &gain, &offset);
	ck_assert_double_eq_tol(127.0 * gain + offset, 1.0, 1e-12);
	ck_assert_float_eq(cfg.root_note, 69.0f);
	/* the note's range is the recorded notes' */
	note_manifest m;
	const char *text = "a.wav note=72 velocity=1 release=0\nb.wav note=48 velocity=1 release=0\n";
	ck_assert_int_eq(notes_parse(text, strlen(text), "N", &m, msg, sizeof msg), 0);
	notes_range(&cfg, &m);
	ck_assert_float_eq(cfg.controls[NOTES_NOTE].min, 48.0f);
	ck_assert_float_eq(cfg.controls[NOTES_NOTE].max, 72.0f);
	ck_assert_int_eq(cwrnn_config_check(&cfg, msg, sizeof msg), 0);
	notes_free(&m);
	text = "a.wav note=60 velocity=1 release=0\n";
	ck_assert_int_eq(notes_parse(text, strlen(text), "N", &m, msg, sizeof msg), 0);
	notes_range(&cfg, &m);
	ck_assert_float_eq(cfg.controls[NOTES_NOTE].min, 59.5f);
	ck_assert_float_eq(cfg.controls[NOTES_NOTE].max, 60.5f);
	notes_free(&m);
}
END_TEST

Suite *
notes_suite(void)
{
	Suite *s = suite_create("notes");
	suite_add_tests(s, tcase_create("manifest"),
	                TESTS(manifest_reads_notes_comments_and_paths,
	                      every_bad_line_gets_one_message_naming_it,
	                      empty_or_binary_manifests_are_refused));
	suite_add_tests(s, tcase_create("sequences"),
	                TESTS(resampling_keeps_the_waveform,
	                      notes_become_gated_sequences_in_lockstep,
	                      controls_describe_the_inputs));
	return s;
}
