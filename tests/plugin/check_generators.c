/*
 * Generators and continue models: free running, notes that restart and
 * release them, a note an octave up, a model fed its own output.
 */
#include <check.h>
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

/* ------------------------------------------------------------ generators */

START_TEST(test_generator_free_runs_and_notes_restart_and_release)
{
	char path[1100];
	make_model(path, sizeof path, "gen", CWRNN_TASK_GENERATE, 0, 0, 44100, 31);
	static float y[N_SIG], ref[N_SIG];
	engine_ref(path, NULL, ref, N_SIG, NULL);
	ck_assert_double_gt(spread(ref + N_SIG / 2, N_SIG / 2), 0.01);

	lh_host *h = host_open(CW_URI_MONO, 44100, LH_ALL);
	h->controls[CW_PORT_DRY_WET] = 100.0f;
	load_by_patch(h, path);
	/* free-running: after the crossfade, the engine's output, input ignored */
	static float x[N_SIG];
	make_signal(x, N_SIG, 13);
	play_mono(h, x, y, 4000, plan_64, 1);
	ck_assert_double_le(max_diff(y + 1000, ref + 1000, 3000), 1e-6);

	/* note on at the root, velocity 127, while it sounds: it fades out over
	 * 2 ms, restarts from the initial state at zero and fades in over 2 ms */
	float *out[1] = { y };
	lh_send_midi(h, 10, (const uint8_t[]){ 0x90, 60, 127 }, 3);
	lh_run(h, NULL, out, 10 + 4000);
	size_t attack = 89; /* 2 ms */
	size_t start = 0;
	for (size_t o = 10; o <= 10 + 2 * attack && !start; o++)
		if (max_diff(y + o + attack, ref + attack, 3000) <= 1e-6)
			start = o;
	ck_assert_msg(start > 10 && start <= 10 + attack + 1, "restart at %zu", start);
	ck_assert_float_eq(y[start], 0.0f); /* restarted at zero level */
	for (size_t i = 11; i < start; i++) /* fading out: no jump */
		ck_assert_double_le(fabs(y[i]), fabs(y[9]) + 2 * spread(ref, N_SIG));
	ck_assert_double_le(fabs(y[start - 1]), 0.05 * (fabs(y[9]) + spread(ref, N_SIG)));

	/* note off: a 30 ms release, then silence */
	lh_send_midi(h, 0, (const uint8_t[]){ 0x80, 60, 0 }, 3);
	lh_run(h, NULL, out, 3000);
	ck_assert_double_eq(rms(y + 1400, 1600), 0.0);
	ck_assert_double_gt(rms(y, 100), 1e-4);

	/* the trigger control restarts it too */
	h->controls[CW_PORT_TRIGGER] = 1.0f;
	lh_run(h, NULL, out, 4000);
	ck_assert_double_le(max_diff(y + attack, ref + attack, 4000 - attack), 1e-6);
	host_free(h);
}
END_TEST

/* All notes off (released: silent), then with the Root port at root a
 * note-on at full velocity, which restarts at once; N_SIG frames into y. */
static void
play_from_silence(lh_host *h, float root, uint8_t note, float *y)
{
	lh_send_midi(h, 0, (const uint8_t[]){ 0xB0, 123, 0 }, 3);
	lh_run(h, NULL, NULL, 2000);
	h->controls[CW_PORT_ROOT] = root;
	lh_send_midi(h, 0, (const uint8_t[]){ 0x90, note, 127 }, 3);
	float *out[1] = { y };
	lh_run_blocks(h, NULL, out, N_SIG, plan_64, 1);
}

START_TEST(test_a_note_an_octave_up_steps_the_network_twice_per_sample)
{
	char path[1100];
	make_model(path, sizeof path, "gen8", CWRNN_TASK_GENERATE, 0, 0, 44100, 32);
	static float y[N_SIG], ref[2 * N_SIG + 2];
	engine_ref(path, NULL, ref, 2 * N_SIG + 2, NULL);
	ck_assert_double_gt(spread(ref + N_SIG, N_SIG), 0.01); /* it keeps moving */
	lh_host *h = host_open(CW_URI_MONO, 44100, LH_ALL);
	load_by_patch(h, path);
	play_from_silence(h, 48.0f, 60, y);
	/* host sample n has run steps 0 .. 2n + 1 and plays the step stream,
	 * low-passed at the host's Nyquist, 1 + d_out steps before the newest */
	static cw_rs_kernel kernel;
	static cw_rs_stream ys;
	cw_rs_kernel_init(&kernel);
	cw_rs_clear(&ys);
	cw_drive d;
	cw_drive_set_rate(&d, &kernel, 2.0);
	double worst = 0;
	for (size_t n = 0; n < N_SIG; n++) {
		cw_rs_push(&ys, ref[2 * n]);
		cw_rs_push(&ys, ref[2 * n + 1]);
		if (n >= 100) /* after the attack */
			worst = fmax(worst, fabs(y[n] - cw_rs_read(&ys, &kernel, 1.0 + d.d_out, d.c_out)));
	}
	ck_assert_msg(worst <= 1e-5, "max error %g", worst);
	host_free(h);
}
END_TEST

/* A generator whose model records its root note plays that note at the
 * model's own rate whatever the Root port says (the port is for models
 * that record none): A4 on a model rooted at A4, with Root at C4, is the
 * engine's output, sample for sample. */
START_TEST(test_a_recorded_root_note_overrides_the_root_port)
{
	char path[1100], msg[256];
	make_model(path, sizeof path, "rooted", CWRNN_TASK_GENERATE, 0, 0, 44100, 31);
	cwrnn_model *m = NULL;
	ck_assert_msg(cwrnn_model_load(path, &m, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	m->config.root_note = 69.0f;
	ck_assert_int_eq(cwrnn_model_save(m, path, msg, sizeof msg), CWRNN_OK);
	cwrnn_model_free(m);
	static float y[N_SIG], ref[N_SIG];
	engine_ref(path, NULL, ref, N_SIG, NULL);
	ck_assert_double_gt(spread(ref + N_SIG / 2, N_SIG / 2), 0.01);

	lh_host *h = host_open(CW_URI_MONO, 44100, LH_ALL);
	load_by_patch(h, path);
	play_from_silence(h, 60.0f, 69, y);
	ck_assert_double_le(max_diff(y + 100, ref + 100, N_SIG - 100), 1e-6); /* after the attack */
	host_free(h);
}
END_TEST

START_TEST(test_continue_model_runs_on_its_own_output)
{
	char path[1100];
	make_model(path, sizeof path, "cont", CWRNN_TASK_CONTINUE, 1, 0, 48000, 33);
	/* reference: x(t) = y(t - 1), x(0) = 0 */
	static float y[N_SIG], ref[N_SIG];
	char msg[256];
	cwrnn_model *m = NULL;
	ck_assert(cwrnn_model_load(path, &m, msg, sizeof msg) == CWRNN_OK);
	cwrnn_state *s = cwrnn_state_new(m);
	float xin = 0.0f;
	for (int t = 0; t < N_SIG; t++) {
		cwrnn_step(s, &xin, &ref[t]);
		xin = ref[t];
	}
	cwrnn_state_free(s);
	cwrnn_model_free(m);

	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	load_by_patch(h, path);
	static float x[N_SIG];
	make_signal(x, N_SIG, 14);
	play_mono(h, x, y, N_SIG, plan_vary, 11);
	ck_assert_double_le(max_diff(y + 1000, ref + 1000, N_SIG - 1000), 1e-6);

	/* input mix and noise change what it plays */
	h->controls[CW_PORT_INPUT_MIX] = 50.0f;
	h->controls[CW_PORT_NOISE] = 0.05f;
	h->controls[CW_PORT_TRIGGER] = 1.0f;
	play_mono(h, x, y, N_SIG, plan_1000, 1);
	ck_assert_double_gt(max_diff(y + 1000, ref + 1000, N_SIG - 1000), 1e-3);
	host_free(h);
}
END_TEST

void
generators_tcases(Suite *s)
{
	suite_add_tests(s, fixture_tcase("generators"),
	                TESTS(test_generator_free_runs_and_notes_restart_and_release,
	                      test_a_note_an_octave_up_steps_the_network_twice_per_sample,
	                      test_a_recorded_root_note_overrides_the_root_port,
	                      test_continue_model_runs_on_its_own_output));
}
