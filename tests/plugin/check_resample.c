/* The band-limited fractional reader of fractional stepping (resample.h),
 * against analytic signals. */
#include <math.h>
#include <stdlib.h>

#include "check_cases.h"
#include "resample.h"
#include "suites.h"

#define PI 3.14159265358979323846

static cw_rs_kernel kernel;
static cw_rs_poly poly;
static cw_rs_stream stream;

static void
setup(void)
{
	cw_rs_kernel_init(&kernel);
	cw_rs_poly_init(&poly);
	cw_rs_clear(&stream);
}

/* Fills the stream with f(i) for i = 0 .. n-1 (newest: n - 1). */
static void
fill_sine(double freq, double phase, int n)
{
	for (int i = 0; i < n; i++)
		cw_rs_push(&stream, (float)sin(2 * PI * freq * i + phase));
}

START_TEST(test_integer_positions_return_the_samples)
{
	srand(1);
	for (int i = 0; i < 1000; i++)
		cw_rs_push(&stream, (float)rand() / RAND_MAX - 0.5f);
	for (int back = 16; back < 900; back += 7) {
		float want = stream.ring[(stream.head - (uint32_t)back) & (CW_RS_RING - 1)];
		ck_assert_float_eq_tol(cw_rs_read(&stream, &kernel, back, 0.5), want, 1e-6f);
	}
}
END_TEST

START_TEST(test_constant_passes_exactly_at_any_position_and_cutoff)
{
	for (int i = 0; i < CW_RS_RING; i++)
		cw_rs_push(&stream, 0.75f);
	const double cutoffs[] = { 0.5, 0.3, 0.1, 1.0 / 64 };
	for (int k = 0; k < 4; k++)
		for (double back = cw_rs_half(cutoffs[k]); back < cw_rs_half(cutoffs[k]) + 3; back += 0.137)
			ck_assert_float_eq_tol(cw_rs_read(&stream, &kernel, back, cutoffs[k]), 0.75f, 4e-6f);
}
END_TEST

/* Reading a sine between its samples gives the sine, up to 0.42 of the
 * sample rate, within 0.1 dB. */
START_TEST(test_fractional_positions_of_a_passband_sine)
{
	const double freqs[] = { 0.01, 0.1, 0.25, 0.35, 0.42 };
	for (int k = 0; k < 5; k++) {
		cw_rs_clear(&stream);
		const int n = 1500;
		fill_sine(freqs[k], 0.3, n);
		double worst = 0;
		for (double back = 20; back < 1000; back += 0.371) {
			double t = (n - 1) - back;
			double want = sin(2 * PI * freqs[k] * t + 0.3);
			worst = fmax(worst, fabs(cw_rs_read(&stream, &kernel, back, 0.5) - want));
		}
		ck_assert_msg(worst < 0.012, "f = %g: error %g", freqs[k], worst);
	}
}
END_TEST

/* Below the cutoff a sine passes; well above it, it is gone. */
START_TEST(test_a_lower_cutoff_removes_what_would_alias)
{
	const double c = 0.2;
	double half = cw_rs_half(c);
	cw_rs_clear(&stream);
	fill_sine(0.05, 0.0, 1800);
	double worst = 0;
	for (double back = half; back < half + 200; back += 0.29) {
		double t = 1799 - back;
		worst = fmax(worst, fabs(cw_rs_read(&stream, &kernel, back, c) - sin(2 * PI * 0.05 * t)));
	}
	ck_assert_msg(worst < 0.01, "passband error %g", worst);
	cw_rs_clear(&stream);
	fill_sine(0.35, 0.0, 1800);
	double peak = 0;
	for (double back = half; back < half + 200; back += 0.29)
		peak = fmax(peak, fabs(cw_rs_read(&stream, &kernel, back, c)));
	ck_assert_msg(peak < 0.003, "stop band peak %g", peak);
}
END_TEST

/* The instrument's polyphase reader is cw_rs_read at c = 0.5: at every
 * fraction, wherever the window falls in the ring (across its wrap too). */
START_TEST(test_polyphase_reads_as_the_prototype)
{
	srand(2);
	double worst = 0;
	for (int i = 0; i < 3 * CW_RS_RING + 17; i++) {
		cw_rs_push(&stream, (float)rand() / RAND_MAX - 0.5f);
		double back = CW_RS_ZEROS + (i % 997) / 997.0 * 40.0;
		if (i >= CW_RS_RING)
			worst = fmax(worst, fabs(cw_rs_interp(&stream, &poly, back) -
			                         cw_rs_read(&stream, &kernel, back, 0.5)));
	}
	ck_assert_msg(worst < 2e-6, "largest difference %g", worst);
}
END_TEST

/* Its rows sum to 1: a constant passes. A sine read between its samples in
 * steps of an upsampling voice's is the sine (its pitch): what is left, the
 * images and the pass band's ripple, is below -60 dB up to 0.1 of the rate
 * and within 0.1 dB up to 0.42. */
START_TEST(test_polyphase_upsamples_a_sine)
{
	for (int i = 0; i < CW_RS_RING; i++)
		cw_rs_push(&stream, 0.75f);
	for (double back = CW_RS_ZEROS; back < CW_RS_ZEROS + 2; back += 0.0173)
		ck_assert_float_eq_tol(cw_rs_interp(&stream, &poly, back), 0.75f, 2e-6f);
	const double freqs[] = { 0.01, 0.1, 0.25, 0.35, 0.42 };
	const double bound[] = { 1e-3, 1e-3, 0.012, 0.012, 0.012 };
	for (int k = 0; k < 5; k++) {
		cw_rs_clear(&stream);
		double worst = 0, inc = 0.2933; /* A4's network rate in a 48 kHz host */
		fill_sine(freqs[k], 0.3, 1500);
		for (double at = 30; at < 1400; at += inc) {
			double want = sin(2 * PI * freqs[k] * at + 0.3);
			worst = fmax(worst, fabs(cw_rs_interp(&stream, &poly, 1499 - at) - want));
		}
		ck_assert_msg(worst < bound[k], "f = %g: error %g", freqs[k], worst);
	}
}
END_TEST

Suite *
resample_suite(void)
{
	Suite *s = suite_create("resample");
	TCase *tc = suite_add_tests(s, tcase_create("windowed sinc"),
	                            TESTS(test_integer_positions_return_the_samples,
	                                  test_constant_passes_exactly_at_any_position_and_cutoff,
	                                  test_fractional_positions_of_a_passband_sine,
	                                  test_a_lower_cutoff_removes_what_would_alias,
	                                  test_polyphase_reads_as_the_prototype,
	                                  test_polyphase_upsamples_a_sine));
	tcase_add_checked_fixture(tc, setup, NULL);
	return s;
}
