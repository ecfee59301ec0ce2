/*
 * Controls: bypass, gains and dry/wet (smoothed, clamped), the period and
 * stretch ports against the engine with the same overrides, and input that
 * is not finite.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "cwrnn.h"
#include "fixture.h"
#include "plugin.h"
#include "ports.h"
#include "suites.h"
#include "uris.h"

/* ------------------------------------------------------------- controls */

START_TEST(test_bypass_crossfades_to_the_dry_signal)
{
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	default_signal(x, ref, 9);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	play_mono(h, x, y, 2000, plan_64, 1);
	h->controls[CW_PORT_ENABLED] = 0.0f;
	play_mono(h, x + 2000, y + 2000, N_SIG - 2000, plan_64, 1);
	ck_assert_double_le(max_diff(y, ref, 2000), 1e-6);
	size_t ramp = 480 + 2; /* 10 ms */
	ck_assert_double_eq(max_diff(y + 2000 + ramp, x + 2000 + ramp, N_SIG - 2000 - ramp), 0.0);
	/* during the ramp: a linear crossfade from wet to dry */
	for (size_t j = 0; j + 2 < ramp; j++) {
		double en = 1.0 - (double)(j + 1) / 480.0;
		double want = en * ref[2000 + j] + (1.0 - en) * x[2000 + j];
		ck_assert_msg(fabs(y[2000 + j] - want) <= 1e-4, "ramp sample %zu: %g vs %g", j,
		              y[2000 + j], want);
	}
	host_free(h);
}
END_TEST

START_TEST(test_gain_and_dry_wet_scale_the_wet_signal)
{
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	default_signal(x, ref, 10);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	h->controls[CW_PORT_OUT_GAIN] = -6.0f;  /* set before the first run: no ramp */
	h->controls[CW_PORT_DRY_WET] = 75.0f;
	h->controls[CW_PORT_IN_GAIN] = 500.0f;  /* clamped to +24 dB */
	h->controls[CW_PORT_IN_GAIN] = 0.0f;
	play_mono(h, x, y, 4000, plan_1000, 1);
	double g = pow(10.0, -6.0 / 20.0);
	for (size_t i = 0; i < 4000; i++)
		ck_assert_double_le(fabs(y[i] - (0.25 * x[i] + 0.75 * g * ref[i])), 1e-5);

	/* a change is smoothed: no jump to the new gain at once */
	h->controls[CW_PORT_OUT_GAIN] = -40.0f;
	h->controls[CW_PORT_DRY_WET] = 100.0f;
	play_mono(h, x + 4000, y + 4000, N_SIG - 4000, plan_64, 1);
	double old_mix = 0.25 * x[4000] + 0.75 * g * ref[4000], new_mix = 0.01 * ref[4000];
	double first = fabs(y[4000] - old_mix), settled = 0;
	ck_assert_double_lt(first, 0.1 * fabs(new_mix - old_mix) + 1e-4);
	for (size_t i = N_SIG - 2000; i < N_SIG; i++)
		settled = fmax(settled, fabs(y[i] - 0.01 * ref[i]));
	ck_assert_double_le(settled, 1e-5);

	/* out-of-range and NaN controls are clamped */
	h->controls[CW_PORT_OUT_GAIN] = NAN;
	h->controls[CW_PORT_IN_GAIN] = 1e9f;
	h->controls[CW_PORT_STRETCH] = -3.0f;
	play_mono(h, x + 4000, y + 4000, 2000, plan_64, 1);
	for (size_t i = 4000; i < 6000; i++)
		ck_assert(isfinite(y[i]));
	host_free(h);
}
END_TEST

START_TEST(test_period_ports_and_stretch_override_the_model_periods)
{
	static float x[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 11);
	/* default model: 6 modules, periods 1..32 */
	uint32_t periods[6] = { 0, 3, 0, 0, 100, 0 };
	engine_ref(bundle_default, x, ref, N_SIG, periods);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	h->controls[CW_PORT_PERIOD_2] = 3.2f; /* integer port: rounds to 3 */
	h->controls[CW_PORT_PERIOD_5] = 100.0f;
	h->controls[CW_PORT_PERIOD_8] = 7.0f; /* no module 8: ignored */
	assert_plays(h, x, ref, plan_vary, 11);
	host_free(h);

	/* stretch 2: every period doubled, overrides included */
	uint32_t doubled[6] = { 2, 6, 8, 16, 200, 64 };
	engine_ref(bundle_default, x, ref, N_SIG, doubled);
	h = host_open(CW_URI_MONO, 48000, LH_ALL);
	h->controls[CW_PORT_PERIOD_2] = 3.0f;
	h->controls[CW_PORT_PERIOD_5] = 100.0f;
	h->controls[CW_PORT_STRETCH] = 2.0f;
	assert_plays(h, x, ref, plan_1000, 1);
	host_free(h);
}
END_TEST

START_TEST(test_nonfinite_input_never_reaches_the_output)
{
	static float x[N_SIG], y[N_SIG];
	make_signal(x, N_SIG, 12);
	x[100] = NAN;
	x[2000] = INFINITY;
	x[2001] = -INFINITY;
	for (int i = 3000; i < 3100; i++)
		x[i] = 1e-40f; /* denormals */
	lh_host *h = host_open(CW_URI_STEREO, 48000, LH_ALL);
	h->controls[CW_PORT_DRY_WET] = 50.0f;
	const float *in[2] = { x, x };
	float *out[2] = { y, y };
	lh_run_blocks(h, in, out, N_SIG, plan_vary, 11);
	for (int i = 0; i < N_SIG; i++)
		ck_assert_msg(isfinite(y[i]), "y[%d] = %g", i, y[i]);
	lh_run(h, in, out, 0);
	host_free(h);
}
END_TEST

/* The control smoother lands exactly on its target, whatever its sign and
 * size (no control smoothed today goes below -1, but the smoother must not
 * depend on that). */
START_TEST(test_the_smoother_lands_on_every_target)
{
	static const float targets[] = { 0.0f, 1.0f, -0.5f, -1.0f, -2.0f, -100.0f, 100.0f };
	for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++) {
		cw_smooth sm = { 0.3f, targets[k], 0.01f };
		int n = 0;
		while (sm.cur != sm.target && n < 100000) {
			cw_smooth_next(&sm);
			n++;
		}
		ck_assert_msg(sm.cur == sm.target, "target %g: stuck at %.9g", (double)targets[k],
		              (double)sm.cur);
	}
}
END_TEST

void
controls_tcases(Suite *s)
{
	suite_add_tests(s, fixture_tcase("controls"),
	                TESTS(test_bypass_crossfades_to_the_dry_signal,
	                      test_gain_and_dry_wet_scale_the_wet_signal,
	                      test_period_ports_and_stretch_override_the_model_periods,
	                      test_nonfinite_input_never_reaches_the_output,
	                      test_the_smoother_lands_on_every_target));
}
