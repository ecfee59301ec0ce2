/*
 * State through lilv: the model path saved and restored (before activation
 * and while running), a restored file that is gone, and every bundled preset.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_cases.h"
#include "cwrnn.h"
#include "fixture.h"
#include "ports.h"
#include "suites.h"
#include "uris.h"

/* ---------------------------------------------------------------- state */

START_TEST(test_state_save_and_restore_keep_the_model_path)
{
	char path[1100], dir[1100];
	make_model(path, sizeof path, "saved", CWRNN_TASK_TRANSFORM, 1, 1, 44100, 21);
	snprintf(dir, sizeof dir, "%s/state", tmp_dir);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 7);
	engine_ref(path, x, ref, N_SIG, NULL);

	lh_host *a = host_open(CW_URI_MONO, 44100, LH_ALL);
	load_by_patch(a, path);
	lh_run(a, NULL, NULL, 256);
	ck_assert_int_eq(lh_save_state(a, dir), 0);
	ck_assert_msg(access(path, R_OK) == 0, "saving the state removed %s", path);
	host_free(a);

	/* restored before activation: loaded at once, plays from sample 0 */
	lh_host *b = host_open(CW_URI_MONO, 44100, LH_ALL | LH_DEFER_ACTIVATE);
	ck_assert_int_eq(lh_restore_state(b, dir), 0);
	ck_assert_msg(b->log_errors == 0, "restore logged: %s", b->last_error);
	lh_activate(b);
	play_mono(b, x, y, N_SIG, plan_vary, 11);
	assert_same_file(b->notified, path);
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(b);

	/* restored while running: through the worker, then a crossfade */
	lh_host *c = host_open(CW_URI_MONO, 44100, LH_ALL);
	lh_run(c, NULL, NULL, 64);
	ck_assert_int_eq(lh_restore_state(c, dir), 0);
	ck_assert_int_eq(c->n_requests, 1);
	lh_run(c, NULL, NULL, 1); /* the worker loads it after this run */
	play_mono(c, x, y, N_SIG, plan_1000, 1);
	assert_same_file(c->notified, path);
	size_t fade = (size_t)(0.02 * 44100) + 2;
	ck_assert_double_le(max_diff(y + fade, ref + fade, N_SIG - fade), 1e-6);
	host_free(c);
}
END_TEST

START_TEST(test_restore_of_a_missing_file_logs_and_keeps_playing)
{
	char path[1100], dir[1100];
	make_model(path, sizeof path, "vanishing", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 22);
	snprintf(dir, sizeof dir, "%s/state2", tmp_dir);
	lh_host *a = host_open(CW_URI_MONO, 48000, LH_ALL);
	load_by_patch(a, path);
	ck_assert_int_eq(lh_save_state(a, dir), 0);
	host_free(a);
	ck_assert_msg(unlink(path) == 0, "cannot remove %s", path);

	static float x[N_SIG], ref[N_SIG];
	default_signal(x, ref, 8);
	lh_host *b = host_open(CW_URI_MONO, 48000, LH_ALL | LH_DEFER_ACTIVATE);
	lh_restore_state(b, dir);
	ck_assert_int_eq(b->log_errors, 1);
	ck_assert_msg(strstr(b->last_error, "vanishing") != NULL, "log: %s", b->last_error);
	lh_activate(b);
	assert_plays(b, x, ref, plan_64, 1);
	host_free(b);
}
END_TEST

/* A saved model path that now names an instrument's model is refused in the
 * mono plugin, before activation and through the worker: one error, and the
 * model playing before plays on. */
START_TEST(test_restore_of_a_model_of_the_other_kind_logs_and_keeps_playing)
{
	char path[1100], dir[1100], organ[1200];
	make_model(path, sizeof path, "turned", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 23);
	snprintf(dir, sizeof dir, "%s/state3", tmp_dir);
	snprintf(organ, sizeof organ, "%s/cwrnn.lv2/models/inst-organ.cwrnn", getenv("LV2_PATH"));
	lh_host *a = host_open(CW_URI_MONO, 48000, LH_ALL);
	load_by_patch(a, path);
	ck_assert_int_eq(lh_save_state(a, dir), 0);
	host_free(a);
	ck_assert_msg(unlink(path) == 0 && symlink(organ, path) == 0, "cannot replace %s", path);

	static float x[N_SIG], ref[N_SIG];
	default_signal(x, ref, 10);
	for (int running = 0; running < 2; running++) {
		lh_host *b = host_open(CW_URI_MONO, 48000, LH_ALL | (running ? 0 : LH_DEFER_ACTIVATE));
		lh_restore_state(b, dir);
		if (!running)
			lh_activate(b);
		assert_plays(b, x, ref, plan_64, 1);
		ck_assert_int_eq(b->log_errors, 1);
		ck_assert_msg(strstr(b->last_error, "cannot play"), "log: %s", b->last_error);
		host_free(b);
	}
}
END_TEST

/* Every preset in the bundle restores without an error (while running, so
 * through the worker) and plays finite, non-silent audio. */
START_TEST(test_every_bundled_preset_restores_and_plays)
{
	static float x[N_SIG], y[N_SIG];
	make_signal(x, N_SIG, 20);
	const char *uris[2] = { CW_URI_MONO, CW_URI_STEREO };
	int n_presets = 0;
	for (int p = 0; p < 2; p++) {
		lh_host *h = host_open(uris[p], 48000, LH_ALL);
		LilvNode *preset_class = lilv_new_uri(h->world, "http://lv2plug.in/ns/ext/presets#Preset");
		LilvNodes *presets = lilv_plugin_get_related(h->plugin, preset_class);
		lilv_node_free(preset_class);
		LILV_FOREACH (nodes, i, presets) {
			const char *uri = lilv_node_as_uri(lilv_nodes_get(presets, i));
			ck_assert_msg(lh_apply_preset(h, uri) == 0, "preset %s not found", uri);
			const float *in[2] = { x, x };
			float *out[2] = { y, y };
			lh_run_blocks(h, in, out, N_SIG, plan_1000, 1);
			ck_assert_msg(h->log_errors == 0, "preset %s: %s", uri, h->last_error);
			for (int k = 0; k < N_SIG; k++)
				ck_assert(isfinite(y[k]));
			ck_assert_msg(rms(y + N_SIG / 2, N_SIG / 2) > 1e-4, "preset %s is silent", uri);
			n_presets++;
		}
		lilv_nodes_free(presets);
		host_free(h);
	}
	fprintf(stderr, "check_plugin: %d bundled presets restored\n", n_presets);
}
END_TEST

void
state_tcases(Suite *s)
{
	suite_add_tests(s, fixture_tcase("state"),
	                TESTS(test_state_save_and_restore_keep_the_model_path,
	                      test_restore_of_a_missing_file_logs_and_keeps_playing,
	                      test_restore_of_a_model_of_the_other_kind_logs_and_keeps_playing,
	                      test_every_bundled_preset_restores_and_plays));
}
