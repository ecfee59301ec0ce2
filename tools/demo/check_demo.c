/* Tests of the demo's analysis: the FFT against a direct DFT, spectra of
 * known sines, error ratios, envelopes, reading the trainer's report, and
 * the picture being one whole SVG. */
#define _XOPEN_SOURCE 700 /* mkstemp */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_cases.h"
#include "fft.h"
#include "figure.h"
#include "history.h"
#include "signal.h"
#include "smf.h"

#define PI 3.14159265358979323846

/* --------------------------------------------------------------- fft */

static double
lcg(unsigned *s)
{
	*s = *s * 1664525u + 1013904223u;
	return (double)(*s >> 8) / (double)(1u << 24) - 0.5;
}

START_TEST(fft_matches_a_direct_dft)
{
	static const size_t sizes[] = {1, 2, 4, 8, 64, 512};
	unsigned seed = 7;
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		size_t n = sizes[s];
		double re[512], im[512], xr[512], xi[512];
		for (size_t i = 0; i < n; i++) {
			xr[i] = re[i] = lcg(&seed);
			xi[i] = im[i] = lcg(&seed);
		}
		ck_assert_int_eq(fft_forward(re, im, n), 0);
		double worst = 0.0;
		for (size_t k = 0; k < n; k++) {
			double sr = 0.0, si = 0.0;
			for (size_t t = 0; t < n; t++) {
				double a = -2.0 * PI * (double)((k * t) % n) / (double)n;
				sr += xr[t] * cos(a) - xi[t] * sin(a);
				si += xr[t] * sin(a) + xi[t] * cos(a);
			}
			worst = fmax(worst, fmax(fabs(sr - re[k]), fabs(si - im[k])));
		}
		ck_assert_msg(worst < 1e-11, "n=%zu: worst difference %g", n, worst);
	}
}
END_TEST

START_TEST(fft_refuses_sizes_not_powers_of_two)
{
	double re[6] = {0}, im[6] = {0};
	ck_assert_int_eq(fft_forward(re, im, 6), -1);
	ck_assert_int_eq(fft_forward(re, im, 0), -1);
}
END_TEST

/* ----------------------------------------------------------- spectrum */

/* A sine of amplitude amp at bin `bin` of an fft_n spectrum, n samples. */
static float *
sine(size_t n, size_t fft_n, double bin, double amp)
{
	float *x = malloc(n * sizeof *x);
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(amp * sin(2.0 * PI * bin * (double)i / (double)fft_n + 0.3));
	return x;
}

START_TEST(spectrum_reads_a_full_scale_sine_as_0_db)
{
	enum { N = 4096, FFT = 512 };
	static double power[FFT / 2 + 1];
	const double amps[2] = {1.0, 0.5}, want_db[2] = {0.0, -6.0206};
	for (int i = 0; i < 2; i++) {
		float *x = sine(N, FFT, 40.0, amps[i]);
		ck_assert_int_eq(sig_power_spectrum(x, N, FFT, power), 0);
		ck_assert_double_eq_tol(10.0 * log10(power[40]), want_db[i], 0.01);
		/* Hann leakage stays in the neighbouring bins: far bins are empty. */
		ck_assert_double_lt(power[80], 1e-9);
		ck_assert_double_lt(power[10], 1e-9);
		free(x);
	}
}
END_TEST

START_TEST(spectrum_of_a_short_signal_is_one_padded_frame)
{
	static double power[257];
	float x[100];
	for (int i = 0; i < 100; i++)
		x[i] = 0.0f;
	x[50] = 1.0f;
	ck_assert_int_eq(sig_power_spectrum(x, 100, 512, power), 0);
	for (int k = 0; k <= 256; k++)  /* an impulse: flat, every bin alike */
		ck_assert_double_eq_tol(power[k], power[0], 1e-12);
	ck_assert_int_eq(sig_power_spectrum(x, 100, 500, power), -1);
}
END_TEST

/* -------------------------------------------------------------- ratios */

START_TEST(esr_is_error_energy_over_target_energy)
{
	const float t[4] = {1, -1, 1, -1}, y[4] = {0.5f, -0.5f, 0.5f, -0.5f};
	ck_assert_double_eq_tol(sig_esr(y, t, 4), 0.25, 1e-12);
	ck_assert_double_eq(sig_esr(t, t, 4), 0.0);
	const float zero[4] = {0};
	ck_assert(isinf(sig_esr(y, zero, 4)));
	ck_assert_double_eq_tol(sig_max_abs_diff(y, t, 4), 0.5, 1e-12);
}
END_TEST

START_TEST(envelope_and_loudest_window)
{
	float x[100] = {0};
	x[10] = 1.0f;
	x[11] = -2.0f;
	for (int i = 60; i < 80; i++)
		x[i] = (i % 2) ? 0.9f : -0.9f;
	float lo[4], hi[4];
	sig_envelope(x, 100, 4, lo, hi);
	ck_assert_float_eq(lo[0], -2.0f);
	ck_assert_float_eq(hi[0], 1.0f);
	ck_assert_float_eq(hi[1], 0.0f);
	ck_assert_float_eq(lo[2], -0.9f);
	ck_assert_float_eq(hi[3], 0.9f);
	size_t at = sig_loudest(x, 100, 20);
	ck_assert_uint_eq(at, 60);
}
END_TEST

/* -------------------------------------------------------------- report */

/* The shape cwrnn-train --report writes (trainer/report.c), shortened. */
static const char *REPORT =
	"{\n  \"task\": \"transform\",\n  \"params\": 673,\n  \"seconds\": 32.5,\n"
	"  \"epochs\": 3,\n  \"updates\": 10,\n  \"train_loss\": 0.05,\n  \"val_esr\": 0.0165,\n"
	"  \"val_nmse\": 0.0165,\n  \"best_epoch\": 3,\n  \"latency_samples\": 32,\n"
	"  \"latency_ms\": 0.72,\n  \"data\": {\"rate\": 44100, \"train_samples\": 10},\n"
	"  \"model\": {\"hidden\": 32, \"modules\": 8, \"sizes\": [4, 4], \"params\": 673, "
	"\"sample_rate\": 44100, \"name\": \"m\"},\n"
	"  \"config\": {\"epochs\": 15, \"seconds\": 0, \"loss\": \"esr\", \"command\": \"x\"},\n"
	"  \"history\": [\n"
	"    {\"epoch\": 1, \"train_loss\": null, \"val_esr\": 0.13, \"val_nmse\": 0.13, "
	"\"seconds\": 2},\n"
	"    {\"epoch\": 2, \"train_loss\": 0.2, \"val_esr\": 0.1, \"val_nmse\": 0.1, \"seconds\": 4},\n"
	"    {\"epoch\": 3, \"train_loss\": 0.1, \"val_esr\": 0.0165, \"val_nmse\": 0.0165, "
	"\"seconds\": 6}\n  ]\n}\n";

START_TEST(report_gives_totals_model_and_curve)
{
	train_report r;
	char msg[256];
	ck_assert_int_eq(history_parse(REPORT, &r, msg, sizeof msg), 0);
	ck_assert_str_eq(r.task, "transform");
	ck_assert_str_eq(r.loss, "esr");
	ck_assert_double_eq(r.seconds, 32.5);   /* the total, not the config's 0 */
	ck_assert_double_eq(r.epochs, 3.0);     /* not the config's 15 */
	ck_assert_double_eq(r.val_esr, 0.0165);
	ck_assert_double_eq(r.latency, 32.0);
	ck_assert_double_eq(r.params, 673.0);
	ck_assert_double_eq(r.hidden, 32.0);
	ck_assert_double_eq(r.modules, 8.0);
	ck_assert_double_eq(r.rate, 44100.0);
	ck_assert_uint_eq(r.n_points, 3);
	ck_assert(isnan(r.points[0].train_loss));
	ck_assert_double_eq(r.points[1].epoch, 2.0);
	ck_assert_double_eq(r.points[2].val_esr, 0.0165);
	ck_assert_double_eq(r.points[2].seconds, 6.0);
	history_free(&r);
}
END_TEST

/* The same report with its keys in another order (history first, a
 * "seconds" inside config before the total): read by key, not by place. */
START_TEST(report_is_read_by_key_not_by_order)
{
	static const char *shuffled =
		"{\"history\": [{\"seconds\": 2, \"val_esr\": 0.5, \"epoch\": 1, \"train_loss\": 1}],\n"
		" \"config\": {\"seconds\": 0, \"loss\": \"mse\", \"epochs\": 15},\n"
		" \"model\": {\"sample_rate\": 48000, \"modules\": 6, \"hidden\": 48, \"params\": 1489},\n"
		" \"latency_samples\": null, \"val_esr\": 0.5, \"epochs\": 1, \"seconds\": 2.5,\n"
		" \"task\": \"transform\"}";
	train_report r;
	char msg[256];
	ck_assert_msg(history_parse(shuffled, &r, msg, sizeof msg) == 0, "%s", msg);
	ck_assert_double_eq(r.seconds, 2.5);
	ck_assert_double_eq(r.epochs, 1.0);
	ck_assert(isnan(r.latency));
	ck_assert_double_eq(r.params, 1489.0);
	ck_assert_str_eq(r.loss, "mse");
	ck_assert_uint_eq(r.n_points, 1);
	ck_assert_double_eq(r.points[0].train_loss, 1.0);
	history_free(&r);
}
END_TEST

START_TEST(report_refuses_other_json)
{
	train_report r;
	char msg[256];
	ck_assert_int_eq(history_parse("{\"a\": 1}", &r, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "not a cwrnn-train report"));
	ck_assert_int_eq(history_parse("{\"model\": [", &r, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "not JSON"));
	char *cut = strdup(REPORT);
	*strstr(cut, "latency_samples") = 'X';  /* a key gone (renamed) */
	ck_assert_int_eq(history_parse(cut, &r, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "missing"));
	free(cut);
	ck_assert_int_eq(history_read("/nonexistent/r.json", &r, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "cannot open"));
}
END_TEST

/* -------------------------------------------------------------- figure */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

START_TEST(figure_is_one_whole_svg_with_every_panel)
{
	enum { N = 44100 };
	float *dry = sine(N, 441, 5.0, 0.5), *tgt = sine(N, 441, 5.0, 0.3);
	float *out = sine(N, 441, 5.0, 0.29);
	train_report r;
	char msg[256], path[] = "/tmp/cwrnn-demo-test-XXXXXX";
	ck_assert_int_eq(history_parse(REPORT, &r, msg, sizeof msg), 0);
	figure_data d = {
		.dry = dry, .target = tgt, .output = out, .n = N, .rate = 44100, .latency = 32,
		.report = &r, .test_esr = sig_esr(out, tgt, N), .test_esr_raw = 1.5, .max_diff = 0.0,
		.render_seconds = 0.01, .title = "A <title> & more", .caption = NULL,
		.names = {"dry", "target", "output"},
	};
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(figure_write(&d, path, msg, sizeof msg), 0);
	char *svg = slurp(path);
	ck_assert_int_eq(strncmp(svg, "<svg ", 5), 0);
	ck_assert_ptr_nonnull(strstr(svg, "</svg>\n"));
	ck_assert_ptr_nonnull(strstr(svg, "A &lt;title&gt; &amp; more"));
	ck_assert_ptr_null(strstr(svg, "nan"));
	ck_assert_ptr_null(strstr(svg, "inf"));
	ck_assert_uint_eq(count(svg, "<clipPath "), 4);  /* four plots */
	ck_assert_ptr_nonnull(strstr(svg, "frequency (Hz, log)"));
	ck_assert_ptr_nonnull(strstr(svg, "identical (max |diff| 0)"));
	ck_assert_ptr_nonnull(strstr(svg, "0.0011"));    /* ESR of 0.29 vs 0.3: (1/30)^2 */
	free(svg);
	unlink(path);
	history_free(&r);
	free(dry);
	free(tgt);
	free(out);
}
END_TEST

/* A type 1 file: a conductor track (tempo 120 then 60 bpm at tick 960) and
 * a track with running status, a SysEx and a program change; 480 ticks per
 * quarter. */
static const uint8_t song[] = {
	'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1, 0, 2, 0x01, 0xE0,
	'M', 'T', 'r', 'k', 0, 0, 0, 19,
	0x00, 0xFF, 0x51, 3, 0x07, 0xA1, 0x20,       /* 500000 us per quarter */
	0x87, 0x40, 0xFF, 0x51, 3, 0x0F, 0x42, 0x40, /* at 960: 1000000 us */
	0x00, 0xFF, 0x2F, 0,
	'M', 'T', 'r', 'k', 0, 0, 0, 29,
	0x00, 0xC0, 5,                               /* program change: 2 bytes */
	0x00, 0x90, 60, 100,
	0x00, 64, 90,                                /* running status */
	0x00, 0xF0, 2, 0x7E, 0xF7,                   /* SysEx, skipped */
	0x87, 0x40, 0x80, 60, 0,                     /* tick 960: 1.0 s */
	0x83, 0x60, 0x80, 64, 0,                     /* tick 1440: 2.0 s (60 bpm) */
	0x00, 0xFF, 0x2F, 0,
};

START_TEST(midi_file_events_in_time_order_through_the_tempo_map)
{
	smf_song sg;
	char msg[256];
	ck_assert_int_eq(smf_parse(song, sizeof song, "song.mid", &sg, msg, sizeof msg), 0);
	ck_assert_uint_eq(sg.n, 5);
	ck_assert_int_eq(sg.events[0].size, 2);
	ck_assert_int_eq(sg.events[0].msg[0], 0xC0);
	ck_assert_int_eq(sg.events[2].msg[0], 0x90);
	ck_assert_int_eq(sg.events[2].msg[1], 64);
	ck_assert_double_eq_tol(sg.events[2].seconds, 0.0, 1e-12);
	ck_assert_double_eq_tol(sg.events[3].seconds, 1.0, 1e-12);
	ck_assert_double_eq_tol(sg.events[4].seconds, 2.0, 1e-12);
	smf_free(&sg);
}
END_TEST

START_TEST(bad_midi_files_are_refused_with_where)
{
	smf_song sg;
	char msg[256];
	uint8_t b[sizeof song];
	ck_assert_int_eq(smf_parse((const uint8_t *)"RIFF", 4, "x.mid", &sg, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "not a standard MIDI file"));
	memcpy(b, song, sizeof b);
	b[9] = 2; /* type 2 */
	ck_assert_int_eq(smf_parse(b, sizeof b, "x.mid", &sg, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "type 2"));
	memcpy(b, song, sizeof b);
	b[12] = 0xE7; /* SMPTE */
	ck_assert_int_eq(smf_parse(b, sizeof b, "x.mid", &sg, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "SMPTE"));
	for (size_t cut = 14; cut < sizeof song; cut++) /* every truncation */
		ck_assert_int_eq(smf_parse(song, cut, "x.mid", &sg, msg, sizeof msg), -1);
	memcpy(b, song, sizeof b);
	b[sizeof b - 6] = 0xF0; /* a data byte above 127 */
	ck_assert_int_eq(smf_parse(b, sizeof b, "x.mid", &sg, msg, sizeof msg), -1);
}
END_TEST

static Suite *
demo_suite(void)
{
	Suite *s = suite_create("demo");
	suite_add_tests(s, tcase_create("fft"),
	                TESTS(fft_matches_a_direct_dft, fft_refuses_sizes_not_powers_of_two));
	suite_add_tests(s, tcase_create("signal"),
	                TESTS(spectrum_reads_a_full_scale_sine_as_0_db,
	                      spectrum_of_a_short_signal_is_one_padded_frame,
	                      esr_is_error_energy_over_target_energy, envelope_and_loudest_window));
	suite_add_tests(s, tcase_create("report"),
	                TESTS(report_gives_totals_model_and_curve, report_is_read_by_key_not_by_order,
	                      report_refuses_other_json));
	suite_add_tests(s, tcase_create("midi"),
	                TESTS(midi_file_events_in_time_order_through_the_tempo_map,
	                      bad_midi_files_are_refused_with_where));
	suite_add_tests(s, tcase_create("figure"), TESTS(figure_is_one_whole_svg_with_every_panel));
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(demo_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
