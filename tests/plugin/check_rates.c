/*
 * Session rates: a model keeps its own rate (level and phase of tones
 * through the resampler, the latency it reports), and unusual rates play.
 */
#define _XOPEN_SOURCE 700 /* M_PI */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cwrnn.h"
#include "fixture.h"
#include "ports.h"
#include "slot.h"
#include "suites.h"
#include "uris.h"

/* ---------------------------------------------------------- sample rates */

/* Amplitude and phase of the component at f cycles/sample of x[0..n), by a
 * Hann-windowed projection. */
static void
sine_fit(const float *x, size_t n, double f, double *amp, double *phase)
{
	double c = 0, s = 0, wsum = 0;
	for (size_t i = 0; i < n; i++) {
		double w = 0.5 - 0.5 * cos(2 * M_PI * (double)i / (double)n);
		c += w * x[i] * cos(2 * M_PI * f * (double)i);
		s += w * x[i] * sin(2 * M_PI * f * (double)i);
		wsum += w;
	}
	*amp = 2 * hypot(c, s) / wsum;
	*phase = atan2(-s, c); /* x ~ amp cos(2 pi f i + phase) */
}

static double
wrap(double a)
{
	return a - 2 * M_PI * floor((a + M_PI) / (2 * M_PI));
}

/* A 44.1 kHz transform model at other session rates. A CW-RNN is not time
 * invariant (its modules tick on a fixed clock), so the reference is the
 * engine at 44.1 kHz fed what the network should see: the host's tone at the
 * host time of each step, step k at host sample (k + 1) / inc - 1 - d_in.
 * The host must then play each tone with the reference's level (within
 * 0.1 dB) and the phase of reading the step stream at (n + 1) inc - 2 - d_out
 * (within 0.02 rad); the latency port reports d_in + (1 + d_out) / inc. At
 * 44.1 kHz the output is the engine's, bit for bit. */
START_TEST(test_a_model_keeps_its_own_rate_at_other_session_rates)
{
	static const double rates[4] = { 44100, 48000, 88200, 96000 };
	static const double tones[4] = { 440, 3000, 9000, 15000 };
	const double rate = rates[_i], model_rate = 44100, inc = model_rate / rate;
	char path[1100];
	make_model(path, sizeof path, "rate", CWRNN_TASK_TRANSFORM, 1, 1, (float)model_rate, 41);
	static cw_rs_kernel kernel;
	cw_rs_kernel_init(&kernel);
	cw_drive d;
	cw_drive_set_rate(&d, &kernel, inc);

	enum { N = 16384, SKIP = 2048 };
	static float xn[N], yn[N], xh[2 * N + 4096], yh[2 * N + 4096];
	const size_t nh = (size_t)((double)(N - 64) / inc);
	for (int t = 0; t < 4; t++) {
		const double f = tones[t];
		for (size_t i = 0; i < nh; i++)
			xh[i] = (float)(0.3 * sin(2 * M_PI * f * (double)i / rate));
		for (size_t k = 0; k < N; k++) {
			double at = inc == 1.0 ? (double)k : ((double)k + 1) / inc - 1 - d.d_in;
			xn[k] = at < 0 ? 0.0f : (float)(0.3 * sin(2 * M_PI * f * at / rate));
		}
		engine_ref(path, xn, yn, N, NULL);

		lh_host *h = host_open(CW_URI_MONO, rate, LH_ALL);
		load_by_patch(h, path); /* plays from its initial state from xh[0] on */
		const float *in[1] = { xh };
		float *out[1] = { yh };
		lh_run_blocks(h, in, out, nh, plan_vary, 11);
		ck_assert_float_eq(h->controls[CW_PORT_LATENCY], (float)rint(cw_drive_latency(&d)));
		host_free(h);

		if (inc == 1.0) {
			ck_assert_double_le(max_diff(yh + 1000, yn + 1000, nh - 1000), 1e-6);
			continue;
		}
		size_t n0 = (size_t)((double)SKIP / inc);
		double an, pn, ah, ph;
		sine_fit(yn + SKIP, N - 64 - SKIP, f / model_rate, &an, &pn);
		sine_fit(yh + n0, nh - n0, f / rate, &ah, &ph);
		double db = 20 * log10(ah / an);
		double want = pn + 2 * M_PI * f * (((double)n0 + 1) / rate - (2 + d.d_out + SKIP) / model_rate);
		ck_assert_msg(fabs(db) < 0.1, "%g Hz tone at %g Hz: level %+.3f dB", f, rate, db);
		ck_assert_msg(fabs(wrap(ph - want)) < 0.02, "%g Hz tone at %g Hz: phase off by %g rad",
		              f, rate, wrap(ph - want));
	}
}
END_TEST

START_TEST(test_unusual_session_rates_play_finite_audio)
{
	static const double rates[] = { 8000, 22050, 192000, 384000 };
	static float x[N_SIG], y[N_SIG];
	make_signal(x, N_SIG, 19);
	lh_host *h = host_open(CW_URI_STEREO, rates[_i], LH_ALL);
	const float *in[2] = { x, x };
	float *out[2] = { y, y };
	lh_run_blocks(h, in, out, N_SIG, plan_vary, 11);
	for (int i = 0; i < N_SIG; i++)
		ck_assert(isfinite(y[i]));
	ck_assert_double_gt(rms(y + N_SIG / 2, N_SIG / 2), 0.01);
	ck_assert_float_ge(h->controls[CW_PORT_LATENCY], 1.0f);
	host_free(h);
}
END_TEST

void
rates_tcases(Suite *s)
{
	TCase *tc = fixture_tcase("sample rates");
	tcase_add_loop_test(tc, test_a_model_keeps_its_own_rate_at_other_session_rates, 0, 4);
	tcase_add_loop_test(tc, test_unusual_session_rates_play_finite_audio, 0, 4);
	suite_add_tcase(s, tc);
}
