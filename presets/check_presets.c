/*
 * The bundled presets as hosts see them, through lilv: every preset listed
 * for both plugins with a label; each one restored into a running plugin
 * selects the model it is meant to, logs no error, and plays what that
 * model was trained for:
 *   transforms  the held-out guitar phrase (never trained on) through the
 *               preset comes out close to the real pedal's recording;
 *   generators  a note at the root plays the trained pitch, an octave up
 *               plays twice that;
 *   continue    runs on its own output at the trained pitch;
 *   clock bend  the same cello model, audibly not at the trained pitch;
 *   knobs       the DS-1 with drive and tone: Knob 1 at 0, 50 and 100 %
 *               plays the held-out phrase like the pedal recorded at those
 *               drives, and moves its level as the pedal's recordings do.
 * Needs LV2_PATH pointing at build/lv2 and the recordings in audio/ (or
 * CW_AUDIO_DIR). Opens the plugin as the plugin tests do (tests/plugin/host.h)
 * and measures levels as their standard deviation (a DC offset is not a sound).
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/presets/presets.h>
#include <sndfile.h>

#include "cwrnn.h"
#include "fixture.h"
#include "ports.h"
#include "signal.h"

#define MONO "https://cwrnn.org/lv2/mono"
#define STEREO "https://cwrnn.org/lv2/stereo"
#define PRESET(name) "https://cwrnn.org/lv2/presets/" name
#define RATE 48000.0
#define MAX_SIG (20 * 48000)

/* The DS-1 knob recordings (audio/ds1k_*): their rate, which the knob
 * preset's model keeps, so the test runs the plugin at it (no resampling);
 * and the pedal's latency, which cwrnn-train found in every training pair
 * (presets/README.md) and the model does not reproduce. */
#define DS1K_RATE 44100.0
#define DS1K_LATENCY 21
/* The knob preset's bounds (presets/README.md has what it measures). */
#define KNOBS_MAX_ESR 0.3
#define KNOBS_LEVEL_TOL 0.3

typedef enum { KIND_EFFECT, KIND_VOICE, KIND_DRONE, KIND_BENT, KIND_KNOBS } preset_kind;

/* What each preset must do. Effects: ESR bound against the pedal on the
 * held-out phrase (knobs: at each of three drives). Voices, drones: the
 * pitch (Hz) played at the root note, and whether the tone sustains (still
 * sounding 1 s in) or decays like a pluck (below a tenth of its early level
 * 1 s in). */
static const struct {
	const char *uri;
	const char *model; /* file name in the bundle's models/ */
	preset_kind kind;
	const char *wet;   /* effects: held-out recording through the real pedal */
	double max_esr;
	double f0;
	int sustains;
} expected[] = {
	{ PRESET("warm-overdrive"), "default.cwrnn", KIND_EFFECT, "guitar_test_ts9_48k.flac", 0.10, 0, 0 },
	{ PRESET("fuzz-face"), "fuzz.cwrnn", KIND_EFFECT, "guitar_test_fuzzface_48k.flac", 0.15, 0, 0 },
	{ PRESET("harp"), "harp.cwrnn", KIND_VOICE, NULL, 0, 220.5, 0 },
	{ PRESET("cello"), "cello.cwrnn", KIND_VOICE, NULL, 0, 110.25, 1 },
	{ PRESET("cello-drone"), "drone.cwrnn", KIND_DRONE, NULL, 0, 220.5, 1 },
	{ PRESET("clock-bend"), "cello.cwrnn", KIND_BENT, NULL, 0, 110.25, 1 },
	{ PRESET("ds1-knobs"), "knob-ds1.cwrnn", KIND_KNOBS, NULL, KNOBS_MAX_ESR, 0, 0 },
};
#define N_EXPECTED (int)(sizeof expected / sizeof expected[0])

static float in_buf[MAX_SIG], out_buf[MAX_SIG], wet_buf[MAX_SIG];
static float knob_out[3][MAX_SIG], knob_wet[3][MAX_SIG];

/* ------------------------------------------------------------- helpers */

static size_t
read_audio(const char *name, float *x, size_t max, double rate)
{
	const char *dir = getenv("CW_AUDIO_DIR");
	char path[1100];
	snprintf(path, sizeof path, "%s/%s", dir ? dir : "audio", name);
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	ck_assert_msg(f != NULL, "cannot read %s: %s", path, sf_strerror(NULL));
	ck_assert_int_eq(info.channels, 1);
	ck_assert_int_eq(info.samplerate, (int)rate);
	sf_count_t n = sf_readf_float(f, x, (sf_count_t)max);
	sf_close(f);
	return (size_t)n;
}

/* Error-to-signal ratio of y against the target t. */
static double
esr(const float *y, const float *t, size_t n)
{
	double e = 0, s = 0;
	for (size_t i = 0; i < n; i++) {
		e += ((double)y[i] - t[i]) * ((double)y[i] - t[i]);
		s += (double)t[i] * t[i];
	}
	return e / s;
}

/* Fundamental frequency by normalised autocorrelation: the first lag whose
 * peak reaches 0.8 of the best one between 50 and 1000 Hz. */
static double
pitch(const float *x, size_t n)
{
	int lo = (int)(RATE / 1000), hi = (int)(RATE / 50);
	static double r[1000];
	ck_assert((size_t)hi + 1 < n && hi < 1000);
	double best = 0;
	for (int l = lo; l <= hi; l++) {
		double s = 0, e0 = 0, e1 = 0;
		for (size_t i = 0; i + (size_t)l < n; i++) {
			s += (double)x[i] * x[i + (size_t)l];
			e0 += (double)x[i] * x[i];
			e1 += (double)x[i + (size_t)l] * x[i + (size_t)l];
		}
		r[l] = s / sqrt(e0 * e1 + 1e-30);
		if (r[l] > best)
			best = r[l];
	}
	for (int l = lo + 1; l < hi; l++)
		if (r[l] >= 0.8 * best && r[l] >= r[l - 1] && r[l] >= r[l + 1]) {
			double a = r[l - 1], b = r[l], c = r[l + 1];
			double d = a - 2 * b + c != 0 ? 0.5 * (a - c) / (a - 2 * b + c) : 0;
			return RATE / (l + d);
		}
	return 0;
}

static float
preset_port(lh_host *h, int port)
{
	return h->controls[port];
}

/* The bundled model the model port selects: the default, then the other
 * files of models/ by name, as the port's scale points list them. */
static void
assert_selects(lh_host *h, const char *model)
{
	const LilvPort *port = lilv_plugin_get_port_by_index(h->plugin, CW_PORT_MODEL);
	LilvScalePoints *points = lilv_port_get_scale_points(h->plugin, port);
	int index = (int)preset_port(h, CW_PORT_MODEL), found = 0;
	char path[1200];
	snprintf(path, sizeof path, "%s/cwrnn.lv2/models/%s", getenv("LV2_PATH"), model);
	char msg[256];
	cwrnn_model *m = NULL;
	ck_assert_msg(cwrnn_model_load(path, &m, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	LILV_FOREACH (scale_points, i, points) {
		const LilvScalePoint *p = lilv_scale_points_get(points, i);
		if (lilv_node_as_float(lilv_scale_point_get_value(p)) == (float)index) {
			found = 1;
			ck_assert_str_eq(lilv_node_as_string(lilv_scale_point_get_label(p)),
			                 m->config.name);
		}
	}
	ck_assert_msg(found, "model port value %d is not a bundled model", index);
	lilv_scale_points_free(points);
	cwrnn_model_free(m);
}

static lh_host *
open_with_preset(int k, double rate)
{
	lh_host *h = host_open(MONO, rate, LH_ALL);
	lh_run(h, NULL, NULL, 64); /* running: the preset's model comes in live */
	ck_assert_msg(lh_apply_preset(h, expected[k].uri) == 0, "no preset %s", expected[k].uri);
	assert_selects(h, expected[k].model);
	return h;
}

static void
run_signal(lh_host *h, const float *x, float *y, size_t n)
{
	static const uint32_t blocks[] = { 256, 1000, 64, 4096 };
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, n, blocks, 4);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(isfinite(y[i]), "non-finite output at %zu", i);
}

static void
close_host(lh_host *h, int k)
{
	ck_assert_msg(h->log_errors == 0, "%s: %s", expected[k].uri, h->last_error);
	host_free(h);
}

/* Plays a note (or, note < 0, nothing: the network started at the preset
 * change) for n samples of silence; returns the pitch from 0.1 to 0.4 s. */
static double
note_pitch(lh_host *h, int note, size_t n)
{
	size_t a = (size_t)(0.1 * RATE), b = (size_t)(0.4 * RATE);
	ck_assert(n >= b);
	if (note >= 0)
		lh_send_midi(h, 0, (const uint8_t[]){ 0x90, (uint8_t)note, 100 }, 3);
	run_signal(h, NULL, out_buf, n);
	double level = spread(out_buf + a, b - a);
	ck_assert_msg(level > 0.01, "silent: rms %g", level);
	return pitch(out_buf + a, b - a);
}

/* After note_pitch over 1.5 s: the level from 1 to 1.5 s against 0.1-0.4 s. */
static void
assert_envelope(int k)
{
	double early = spread(out_buf + (size_t)(0.1 * RATE), (size_t)(0.3 * RATE));
	double late = spread(out_buf + (size_t)(1.0 * RATE), (size_t)(0.5 * RATE));
	fprintf(stderr, "check_presets: %s: level %.4f early, %.4f after 1 s\n", expected[k].uri,
	        early, late);
	if (expected[k].sustains)
		ck_assert_msg(late > 0.3 * early, "%s dies away: %g then %g", expected[k].uri, early, late);
	else
		ck_assert_msg(late < 0.1 * early, "%s does not decay: %g then %g", expected[k].uri, early,
		              late);
}

/* Knob 1 of the DS-1 preset at 0, 50 (the preset's own setting) and 100 %:
 * drive 0, 0.25 and 0.5, tone 0.5 (Knob 2 at 50 %). The held-out nylon
 * phrase at each comes out within the ESR bound of the pedal recorded at
 * that drive (the pedal's latency removed, the first 0.1 s skipped) and
 * nearer that recording than the pedal at the other two drives; Knob 1 0 ->
 * 100 % scales the level as the recordings' drive 0 -> 0.5 does (within
 * KNOBS_LEVEL_TOL). The spectral centroids' ratio is printed, not bounded:
 * the model does not follow the pedal's (presets/README.md). h has the
 * preset restored; the other positions get a host each. */
static void
assert_knob_moves_the_pedal(lh_host *h, int k)
{
	static const float position[3] = { 0.0f, 50.0f, 100.0f };
	static const char *const wet[3] = { "ds1k_test_d000_t500.flac", "ds1k_test_d250_t500.flac",
		                                "ds1k_test_d500_t500.flac" };
	size_t n = read_audio("ds1k_test_dry.flac", in_buf, MAX_SIG, DS1K_RATE);
	size_t skip = (size_t)(0.1 * DS1K_RATE), len = n - skip - DS1K_LATENCY;
	ck_assert_float_eq(preset_port(h, CW_PORT_KNOB_1), 50.0f);
	ck_assert_float_eq(preset_port(h, CW_PORT_KNOB_2), 50.0f);
	for (int p = 0; p < 3; p++) {
		ck_assert_uint_eq(read_audio(wet[p], knob_wet[p], MAX_SIG, DS1K_RATE), n);
		lh_host *at = p == 1 ? h : open_with_preset(k, DS1K_RATE);
		at->controls[CW_PORT_KNOB_1] = position[p];
		run_signal(at, in_buf, knob_out[p], n);
		if (at != h)
			close_host(at, k);
	}
	double e[3][3]; /* e[p][q]: the output at position p against recording q */
	for (int p = 0; p < 3; p++) {
		for (int q = 0; q < 3; q++)
			e[p][q] = esr(knob_out[p] + skip, knob_wet[q] + skip + DS1K_LATENCY, len);
		fprintf(stderr,
		        "check_presets: %s: Knob 1 at %3.0f %%: held-out ESR %.4f against the pedal "
		        "at its drive (%.4f, %.4f, %.4f against drive 0, 0.25, 0.5)\n",
		        expected[k].uri, position[p], e[p][p], e[p][0], e[p][1], e[p][2]);
		ck_assert_double_le(e[p][p], expected[k].max_esr);
	}
	for (int p = 0; p < 3; p++)
		for (int q = 0; q < 3; q++)
			ck_assert_msg(q == p || e[p][p] < e[p][q],
			              "Knob 1 at %.0f %% is nearer the pedal at another drive (%g, own %g)",
			              position[p], e[p][q], e[p][p]);
	double level[2], centroid[2]; /* [0]: the plugin, [1]: the recordings */
	const float *ends[2][2] = { { knob_out[0], knob_out[2] }, { knob_wet[0], knob_wet[2] } };
	for (int r = 0; r < 2; r++) {
		size_t from = skip + (r ? DS1K_LATENCY : 0);
		level[r] = spread(ends[r][1] + from, len) / spread(ends[r][0] + from, len);
		centroid[r] = sig_centroid(ends[r][1] + from, len, 4096, DS1K_RATE) /
		              sig_centroid(ends[r][0] + from, len, 4096, DS1K_RATE);
	}
	fprintf(stderr,
	        "check_presets: %s: Knob 1 0 -> 100 %%: level x%.3f (pedal x%.3f), spectral "
	        "centroid x%.3f (pedal x%.3f)\n",
	        expected[k].uri, level[0], level[1], centroid[0], centroid[1]);
	ck_assert_double_eq_tol(level[0] / level[1], 1.0, KNOBS_LEVEL_TOL);
}

/* --------------------------------------------------------------- tests */

START_TEST(test_every_preset_is_listed_with_a_label)
{
	const char *uris[2] = { MONO, STEREO };
	for (int p = 0; p < 2; p++) {
		lh_host *h = host_open(uris[p], RATE, LH_ALL);
		LilvNode *cls = lilv_new_uri(h->world, LV2_PRESETS__Preset);
		LilvNode *label = lilv_new_uri(h->world, "http://www.w3.org/2000/01/rdf-schema#label");
		LilvNodes *presets = lilv_plugin_get_related(h->plugin, cls);
		ck_assert_int_eq(lilv_nodes_size(presets), N_EXPECTED);
		for (int k = 0; k < N_EXPECTED; k++) {
			LilvNode *u = lilv_new_uri(h->world, expected[k].uri);
			ck_assert_msg(lilv_nodes_contains(presets, u), "%s not listed for %s",
			              expected[k].uri, uris[p]);
			lilv_world_load_resource(h->world, u);
			LilvNode *l = lilv_world_get(h->world, u, label, NULL);
			ck_assert_msg(l && strlen(lilv_node_as_string(l)) > 0, "%s has no label",
			              expected[k].uri);
			/* a host that offers presets by label finds this one */
			ck_assert_msg(lh_apply_preset(h, lilv_node_as_string(l)) == 0, "no preset '%s'",
			              lilv_node_as_string(l));
			assert_selects(h, expected[k].model);
			lilv_node_free(l);
			lilv_node_free(u);
		}
		lilv_nodes_free(presets);
		lilv_node_free(label);
		lilv_node_free(cls);
		host_free(h);
	}
}
END_TEST

START_TEST(test_each_preset_plays_what_its_model_learned)
{
	int k = _i;
	lh_host *h = open_with_preset(k, expected[k].kind == KIND_KNOBS ? DS1K_RATE : RATE);
	double f;
	switch (expected[k].kind) {
	case KIND_EFFECT: {
		size_t n = read_audio("guitar_test_dry_48k.flac", in_buf, MAX_SIG, RATE);
		ck_assert_uint_eq(read_audio(expected[k].wet, wet_buf, MAX_SIG, RATE), n);
		run_signal(h, in_buf, out_buf, n);
		/* compare with the pedal at unity output gain, past the 20 ms
		 * crossfade from the model that was playing */
		float g = powf(10.0f, preset_port(h, CW_PORT_OUT_GAIN) / 20.0f);
		for (size_t i = 0; i < n; i++)
			out_buf[i] /= g;
		size_t skip = (size_t)(0.1 * RATE);
		double e = esr(out_buf + skip, wet_buf + skip, n - skip);
		fprintf(stderr, "check_presets: %s: held-out ESR against the pedal %.4f\n",
		        expected[k].uri, e);
		ck_assert_double_le(e, expected[k].max_esr);
		break;
	}
	case KIND_VOICE:
		f = note_pitch(h, (int)preset_port(h, CW_PORT_ROOT), 72000);
		fprintf(stderr, "check_presets: %s: root plays %.2f Hz\n", expected[k].uri, f);
		ck_assert_double_eq_tol(f, expected[k].f0, 0.01 * expected[k].f0);
		assert_envelope(k);
		lh_send_midi(h, 0, (const uint8_t[]){ 0x80, (uint8_t)preset_port(h, CW_PORT_ROOT), 0 }, 3);
		f = note_pitch(h, (int)preset_port(h, CW_PORT_ROOT) + 12, 19200);
		ck_assert_double_eq_tol(f, 2 * expected[k].f0, 0.02 * expected[k].f0);
		break;
	case KIND_DRONE:
		f = note_pitch(h, -1, 72000);
		fprintf(stderr, "check_presets: %s: runs on at %.2f Hz\n", expected[k].uri, f);
		ck_assert_double_eq_tol(f, expected[k].f0, 0.01 * expected[k].f0);
		assert_envelope(k);
		break;
	case KIND_BENT:
		f = note_pitch(h, (int)preset_port(h, CW_PORT_ROOT), 72000);
		fprintf(stderr, "check_presets: %s: root plays %.2f Hz (trained %.2f)\n",
		        expected[k].uri, f, expected[k].f0);
		assert_envelope(k);
		ck_assert_msg(fabs(f - expected[k].f0) > 0.1 * expected[k].f0,
		              "bent clocks still play the trained %.2f Hz", f);
		break;
	case KIND_KNOBS:
		assert_knob_moves_the_pedal(h, k);
		break;
	}
	close_host(h, k);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("presets");
	TCase *tc = tcase_create("bundled presets");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_every_preset_is_listed_with_a_label);
	tcase_add_loop_test(tc, test_each_preset_plays_what_its_model_learned, 0, N_EXPECTED);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
