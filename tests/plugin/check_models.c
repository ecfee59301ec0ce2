/*
 * Model loading: patch:Set through the worker (swap, notify, cross-fade),
 * bad paths refused with the old model playing on, the model port choosing
 * each bundled model, models replaced mid-fade freed once, and a host
 * without a worker.
 */
#define _XOPEN_SOURCE 700 /* strdup */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "cwrnn.h"
#include "fixture.h"
#include "ports.h"
#include "slot.h"
#include "suites.h"
#include "uris.h"

/* ------------------------------------------------ model loading (worker) */

START_TEST(test_patch_set_swaps_the_model_and_notify_reports_it)
{
	static const double rates[2] = { 44100, 48000 };
	double rate = rates[_i];
	char path[1100];
	make_model(path, sizeof path, "swap", CWRNN_TASK_TRANSFORM, 1, 1, (float)rate, 11);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 5);
	engine_ref(path, x, ref, N_SIG, NULL);

	lh_host *h = host_open(CW_URI_MONO, rate, LH_ALL);
	lh_send_get(h, 0);
	lh_run(h, NULL, NULL, 16);
	ck_assert_int_eq(h->n_notified, 1);
	ck_assert_msg(strstr(h->notified, "default.cwrnn") != NULL, "get answered %s", h->notified);

	load_by_patch(h, path);
	ck_assert_int_eq(h->log_errors, 0);
	play_mono(h, x, y, N_SIG, plan_vary, 11);
	ck_assert_int_eq(h->n_notified, 2);
	ck_assert_str_eq(h->notified, path);
	/* after the 20 ms crossfade from the default model, exactly the new one */
	size_t fade = (size_t)(0.02 * rate) + 2;
	ck_assert_double_le(max_diff(y + fade, ref + fade, N_SIG - fade), 1e-6);
	ck_assert_double_gt(max_diff(y, ref, fade), 1e-4); /* the fade did happen */

	lh_send_get(h, 3);
	lh_run(h, NULL, NULL, 8);
	ck_assert_int_eq(h->n_notified, 3);
	ck_assert_str_eq(h->notified, path);

	/* a second swap retires the first user model through the worker */
	char path2[1100];
	make_model(path2, sizeof path2, "swap2", CWRNN_TASK_TRANSFORM, 1, 0, (float)rate, 12);
	load_by_patch(h, path2);
	play_mono(h, x, y, 4096, plan_64, 1);
	ck_assert_str_eq(h->notified, path2);
	host_free(h);
}
END_TEST

START_TEST(test_bad_model_paths_keep_the_old_model_and_log_an_error)
{
	char garbage[1100], truncated[1100], good[1100];
	snprintf(garbage, sizeof garbage, "%s/garbage.cwrnn", tmp_dir);
	FILE *f = fopen(garbage, "wb");
	for (int i = 0; i < 3000; i++)
		fputc((i * 7919) & 0xFF, f);
	fclose(f);
	make_model(good, sizeof good, "trunc", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 13);
	snprintf(truncated, sizeof truncated, "%s/truncated.cwrnn", tmp_dir);
	{
		FILE *in = fopen(good, "rb");
		FILE *out = fopen(truncated, "wb");
		char buf[100];
		size_t n = fread(buf, 1, sizeof buf, in);
		fwrite(buf, 1, n, out);
		fclose(in);
		fclose(out);
	}
	const char *bad[] = { "/nonexistent/model.cwrnn", tmp_dir, garbage, truncated };

	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	default_signal(x, ref, 6);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	size_t at = 0;
	for (int b = 0; b < 4; b++) {
		lh_send_set_path(h, 0, CW_URI_MODEL, bad[b]);
		const float *in[1] = { x + at };
		float *out[1] = { y + at };
		lh_run_blocks(h, in, out, 1000, plan_64, 1);
		at += 1000;
		ck_assert_msg(h->log_errors == b + 1, "no error logged for %s", bad[b]);
		ck_assert_msg(strstr(h->last_error, bad[b]) != NULL, "log does not name the file: %s",
		              h->last_error);
	}
	const float *in[1] = { x + at };
	float *out[1] = { y + at };
	lh_send_get(h, 0);
	lh_run_blocks(h, in, out, N_SIG - at, plan_1000, 1);
	ck_assert_msg(strstr(h->notified, "default.cwrnn") != NULL, "now playing %s", h->notified);
	/* the default model never stopped */
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(h);
}
END_TEST

/* A model of the other kind (an instrument's in mono, an effect in the
 * instrument) is refused with one error naming it, and the old model plays
 * on, untouched. */
START_TEST(test_a_model_of_the_other_kind_is_refused_and_the_old_one_plays_on)
{
	char organ[1200], effect[1100];
	snprintf(organ, sizeof organ, "%s/cwrnn.lv2/models/inst-organ.cwrnn", getenv("LV2_PATH"));
	make_model(effect, sizeof effect, "effect", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 14);

	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	default_signal(x, ref, 9);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	lh_send_set_path(h, 0, CW_URI_MODEL, organ);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, N_SIG, plan_64, 1);
	ck_assert_int_eq(h->log_errors, 1);
	ck_assert_msg(strstr(h->last_error, "inst-organ") && strstr(h->last_error, "cannot play"),
	              "log: %s", h->last_error);
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(h);

	h = host_open(CW_URI_INSTRUMENT, 48000, LH_ALL);
	const uint8_t on[3] = { 0x90, 60, 100 };
	lh_send_midi(h, 0, on, 3);
	static float l[N_SIG], r[N_SIG];
	float *lr[2] = { l, r };
	lh_run_blocks(h, NULL, lr, 2400, plan_64, 1);
	lh_send_set_path(h, 0, CW_URI_MODEL, effect);
	lr[0] = l + 2400;
	lr[1] = r + 2400;
	lh_run_blocks(h, NULL, lr, N_SIG - 2400, plan_64, 1);
	ck_assert_int_eq(h->log_errors, 1);
	ck_assert_msg(strstr(h->last_error, "effect.cwrnn") && strstr(h->last_error, "cannot play"),
	              "log: %s", h->last_error);
	ck_assert_double_gt(rms(l + N_SIG - 4800, 4800), 1e-3); /* the note plays on */
	ck_assert_int_eq(h->n_notified, 0);
	host_free(h);
}
END_TEST

/* ------------------------------------------------------- bundled models */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bundled models in the model port's order: default first, then by name. */
/* Whether a bundled model is an instrument's (the mono and stereo plugins
 * do not list those). */
static int
is_instrument(const char *dir, const char *file)
{
	char path[1400], msg[256];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	cwrnn_model *m = NULL;
	ck_assert_msg(cwrnn_model_load(path, &m, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	int yes = cw_mode_of(&m->config) == CW_MODE_INSTRUMENT;
	cwrnn_model_free(m);
	return yes;
}

static int
bundled_models(char names[][1200], int max)
{
	char dir[1100];
	snprintf(dir, sizeof dir, "%s/cwrnn.lv2/models", getenv("LV2_PATH"));
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	char *list[64];
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) && n < 64;) {
		size_t len = strlen(e->d_name);
		if (len > 6 && !strcmp(e->d_name + len - 6, ".cwrnn") &&
		    strcmp(e->d_name, "default.cwrnn") && !is_instrument(dir, e->d_name))
			list[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(list, (size_t)n, sizeof *list, cmp_str);
	int k = 0;
	snprintf(names[k++], 1200, "%s/default.cwrnn", dir);
	for (int i = 0; i < n; i++) {
		if (k < max)
			snprintf(names[k++], 1200, "%s/%s", dir, list[i]);
		free(list[i]);
	}
	return k;
}

START_TEST(test_model_port_selects_each_bundled_model)
{
	static char names[16][1200];
	int n = bundled_models(names, 16);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 16);
	lh_host *h = host_open(CW_URI_MONO, 48000, 0); /* no worker needed: all preloaded */
	h->controls[CW_PORT_MODEL] = 40.0f; /* out of range: the last model */
	for (int m = n - 1; m >= 0; m--) {
		char msg[256];
		cwrnn_model *model = NULL;
		ck_assert(cwrnn_model_load(names[m], &model, msg, sizeof msg) == CWRNN_OK);
		int generator = model->config.n_inputs == 0;
		int own_rate = model->config.sample_rate == 48000.0f;
		cwrnn_model_free(model);
		engine_ref(names[m], generator ? NULL : x, ref, N_SIG, NULL);
		play_mono(h, x, y, N_SIG, plan_64, 1);
		/* the selected model starts from its initial state at the switch
		 * (or at the start for the last one) and plays alone after 20 ms;
		 * a model at another rate is resampled (not comparable sample by
		 * sample: presets/check_presets.c checks what the bundled ones play) */
		size_t fade = n == 1 ? 0 : 962;
		if (own_rate)
			ck_assert_msg(max_diff(y + fade, ref + fade, N_SIG - fade) <= 1e-6,
			              "model %d (%s): max diff %g", m, names[m],
			              max_diff(y + fade, ref + fade, N_SIG - fade));
		else
			ck_assert_msg(spread(y + fade, N_SIG - fade) > 1e-3, "model %d (%s) is silent",
			              m, names[m]);
		h->controls[CW_PORT_MODEL] = (float)(m - 1);
	}
	host_free(h);
}
END_TEST

/* Every way a user model can be replaced while models cross-fade: each
 * retired model is freed exactly once (a double free aborts the test, or
 * shows under SANITIZE=1) and the last choice plays. */
START_TEST(test_models_replaced_during_crossfades_are_freed_once)
{
	static char names[16][1200];
	int n = bundled_models(names, 16);
	char u[1100], v[1100], w[1100];
	make_model(u, sizeof u, "u", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 51);
	make_model(v, sizeof v, "v", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 52);
	make_model(w, sizeof w, "w", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 53);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 17);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	const float *in[1] = { x };
	float *out[1] = { y };
	load_by_patch(h, u);
	lh_run(h, in, out, 100);  /* u fading in */
	load_by_patch(h, v);      /* u replaced while fading in */
	lh_run(h, in, out, 2000); /* v alone */
	if (n > 1) {
		h->controls[CW_PORT_MODEL] = 1.0f; /* v fades out, still the user model */
		lh_run(h, in, out, 100);
		load_by_patch(h, w);           /* v replaced while fading out */
		lh_run(h, in, out, 100);
		h->controls[CW_PORT_MODEL] = 0.0f; /* w fades out, then back */
		lh_run(h, in, out, 100);
		h->controls[CW_PORT_MODEL] = 1.0f;
		lh_run(h, in, out, 2000);
	}
	load_by_patch(h, w);
	lh_run(h, in, out, 2000);
	engine_ref(w, x, ref, N_SIG, NULL);
	lh_run_blocks(h, in, out, N_SIG, plan_64, 1);
	ck_assert_double_le(max_diff(y + 1000, ref + 1000, N_SIG - 1000), 1e-6);
	host_free(h);
}
END_TEST

/* Atom ports but no worker: a patch:Set cannot be honoured, and is ignored;
 * MIDI notes do not touch a transform model. */
START_TEST(test_without_a_worker_patch_set_is_ignored)
{
	char path[1100];
	make_model(path, sizeof path, "nowork", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 61);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	default_signal(x, ref, 18);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_WITH_ATOMS | LH_WITH_LOG);
	lh_send_set_path(h, 0, CW_URI_MODEL, path);
	lh_send_midi(h, 5, (const uint8_t[]){ 0x90, 72, 100 }, 3);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run(h, in, out, 512);
	in[0] = x + 512;
	out[0] = y + 512;
	lh_send_get(h, 0);
	lh_run_blocks(h, in, out, N_SIG - 512, plan_1000, 1);
	ck_assert_msg(strstr(h->notified, "default.cwrnn") != NULL, "playing %s", h->notified);
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(h);
}
END_TEST

void
models_tcases(Suite *s)
{
	TCase *tc = fixture_tcase("model loading");
	tcase_add_loop_test(tc, test_patch_set_swaps_the_model_and_notify_reports_it, 0, 2);
	suite_add_tests(s, tc, TESTS(test_bad_model_paths_keep_the_old_model_and_log_an_error,
	                             test_a_model_of_the_other_kind_is_refused_and_the_old_one_plays_on,
	                             test_model_port_selects_each_bundled_model,
	                             test_models_replaced_during_crossfades_are_freed_once,
	                             test_without_a_worker_patch_set_is_ignored));
}
