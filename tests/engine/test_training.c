/* Training core: losses, optimizers, initialisation, and one small model
 * that must learn a short fixed sequence. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "fixtures.h"
#include "suites.h"
#include "tanh_double.h"

START_TEST(mse_scale_counts_terms_after_warmup)
{
	double target[12] = {0};
	ck_assert_double_eq_tol(cwrnn_loss_scale(CWRNN_LOSS_MSE, target, 6, 2, 1, 2, 0.0), 1.0 / 8,
	                        1e-15);
}
END_TEST

START_TEST(esr_of_a_zero_output_is_one)
{
	enum { T = 50 };
	double target[T], y[T] = {0}, dy[T];
	fixture_fill_double(target, T, 1.0, 31);
	for (int k = 0; k < 2; k++) {
		double a = k ? 0.85 : 0.0;
		double scale = cwrnn_loss_scale(CWRNN_LOSS_ESR, target, T, 1, 1, 5, a);
		ck_assert_double_eq_tol(cwrnn_loss(y, target, dy, T, 1, 1, 5, a, scale), 1.0, 1e-12);
		for (int t = 0; t < 5; t++)
			ck_assert_double_eq(dy[t], 0.0);
	}
}
END_TEST

START_TEST(adam_first_step_moves_each_weight_by_lr)
{
	cwrnn_optimizer opt;
	ck_assert_int_eq(cwrnn_optimizer_init(&opt, CWRNN_OPT_ADAM, 3, 0.01), 0);
	double p[3] = {1, 2, 3}, g[3] = {0.5, -4, 1e-3};
	cwrnn_optimizer_step(&opt, p, g);
	ck_assert_double_eq_tol(p[0], 0.99, 1e-6);
	ck_assert_double_eq_tol(p[1], 2.01, 1e-6);
	ck_assert_double_eq_tol(p[2], 2.99, 1e-4);
	cwrnn_optimizer_free(&opt);
}
END_TEST

START_TEST(nesterov_matches_its_recurrence)
{
	cwrnn_optimizer opt;
	ck_assert_int_eq(cwrnn_optimizer_init(&opt, CWRNN_OPT_NESTEROV, 1, 0.1), 0);
	double p = 1.0, v = 0.0, q = 1.0;
	for (int k = 0; k < 5; k++) {
		double g = 2 * p; /* d/dp of p^2 */
		cwrnn_optimizer_step(&opt, &p, &g);
		double gq = 2 * q;
		v = 0.95 * v + gq;
		q -= 0.1 * (gq + 0.95 * v);
		ck_assert_double_eq_tol(p, q, 1e-15);
	}
	cwrnn_optimizer_free(&opt);
}
END_TEST

START_TEST(clipping_bounds_the_norm)
{
	double g[2] = {3, 4};
	ck_assert_double_eq_tol(cwrnn_clip_grad_norm(g, 2, 1.0), 5.0, 1e-12);
	ck_assert_double_eq_tol(sqrt(g[0] * g[0] + g[1] * g[1]), 1.0, 1e-12);
	ck_assert_double_eq_tol(cwrnn_clip_grad_norm(g, 2, 0.0), 1.0, 1e-12);
}
END_TEST

START_TEST(init_is_deterministic_and_uses_sigma)
{
	int sizes[] = {20, 20};
	uint32_t periods[] = {1, 2};
	cwrnn_config cfg = fixture_config(2, sizes, periods, 1, 1);
	cwrnn_layout L;
	cwrnn_layout_of(&cfg, &L);
	double *a = malloc(L.n_params * sizeof(double)), *b = malloc(L.n_params * sizeof(double));
	cwrnn_params_init(&cfg, a, 0.1, 7);
	cwrnn_params_init(&cfg, b, 0.1, 7);
	ck_assert_mem_eq(a, b, L.n_params * sizeof(double));
	double sq = 0;
	size_t count = L.b[0] - L.w_h[0];
	for (size_t i = L.w_h[0]; i < L.b[0]; i++)
		sq += a[i] * a[i];
	ck_assert_double_eq_tol(sqrt(sq / count), 0.1, 0.01);
	ck_assert_double_eq(a[L.b[0]], 0.0);
	cwrnn_params_init(&cfg, b, 0.1, 8);
	ck_assert(memcmp(a, b, L.n_params * sizeof(double)) != 0);
	free(a);
	free(b);
}
END_TEST

START_TEST(small_model_learns_a_fixed_sequence)
{
	/* A generator (no input) must reproduce 64 samples of a two-tone
	 * signal from its zero state: the loss has to fall by 100x. */
	int sizes[] = {4, 4, 4, 4};
	uint32_t periods[] = {1, 2, 4, 8};
	cwrnn_config cfg = fixture_config(4, sizes, periods, 0, 1);
	cwrnn_layout L;
	cwrnn_layout_of(&cfg, &L);
	enum { T = 64 };
	double target[T], y[T], dy[T];
	for (int t = 0; t < T; t++)
		target[t] = 0.5 * sin(0.3 * t) + 0.3 * sin(0.05 * t);
	double *w = malloc(L.n_params * sizeof(double)), *grad = malloc(L.n_params * sizeof(double));
	cwrnn_params_init(&cfg, w, 0.0, 3);
	cwrnn_batch *batch = cwrnn_batch_new(&cfg, 1, T);
	cwrnn_optimizer opt;
	cwrnn_optimizer_init(&opt, CWRNN_OPT_ADAM, L.n_params, 0.01);
	double scale = cwrnn_loss_scale(CWRNN_LOSS_MSE, target, T, 1, 1, 0, 0.0), first = 0, last = 0;
	for (int epoch = 0; epoch < 1500; epoch++) {
		cwrnn_batch_reset(batch);
		cwrnn_batch_forward(batch, w, NULL, y, T);
		last = cwrnn_loss(y, target, dy, T, 1, 1, 0, 0.0, scale);
		if (epoch == 0)
			first = last;
		memset(grad, 0, L.n_params * sizeof(double));
		cwrnn_batch_backward(batch, w, NULL, dy, grad);
		cwrnn_clip_grad_norm(grad, L.n_params, 1.0);
		cwrnn_optimizer_step(&opt, w, grad);
	}
	ck_assert_msg(last < first / 100, "loss %g -> %g", first, last);
	cwrnn_optimizer_free(&opt);
	cwrnn_batch_free(batch);
	free(w);
	free(grad);
}
END_TEST

/* Distance in units in the last place of the libm value. */
static double
ulps(double a, double ref)
{
	if (a == ref)
		return 0.0;
	return fabs(a - ref) / (nextafter(fabs(ref), INFINITY) - fabs(ref));
}

START_TEST(tanh_double_is_within_3_ulp_of_libm)
{
	enum { N = 200000 };
	double *v = malloc(N * sizeof *v), *x = malloc(N * sizeof *x), worst = 0.0;
	ck_assert(v && x);
	/* From the smallest subnormal to past the clamp, both signs, geometric
	 * steps. */
	double lo = log(4.9e-324), hi = log(30.0);
	for (int i = 0; i < N; i++) {
		x[i] = exp(lo + (hi - lo) * (double)(i / 2) / (N / 2));
		x[i] = i % 2 ? -x[i] : x[i];
		v[i] = x[i];
	}
	cw_tanh_d_array(v, N);
	for (int i = 0; i < N; i++)
		worst = fmax(worst, ulps(v[i], tanh(x[i])));
	free(v);
	free(x);
	ck_assert_msg(worst <= 3.0, "worst error %g ulp", worst);
	double special[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 1e300, -1e300};
	cw_tanh_d_array(special, 7);
	ck_assert(special[0] == 0.0 && !signbit(special[0]));
	ck_assert(special[1] == 0.0 && signbit(special[1]));
	ck_assert(special[2] == 1.0 && special[3] == -1.0);
	ck_assert(isnan(special[4]));
	ck_assert(special[5] == 1.0 && special[6] == -1.0);
}
END_TEST

Suite *
training_suite(void)
{
	Suite *s = suite_create("training");
	suite_add_tests(s, tcase_create("loss"),
	                TESTS(mse_scale_counts_terms_after_warmup, esr_of_a_zero_output_is_one));
	suite_add_tests(s, tcase_create("activation"), TESTS(tanh_double_is_within_3_ulp_of_libm));
	suite_add_tests(s, tcase_create("optimizer"),
	                TESTS(adam_first_step_moves_each_weight_by_lr, nesterov_matches_its_recurrence,
	                      clipping_bounds_the_norm, init_is_deterministic_and_uses_sigma));
	TCase *learn = suite_add_tests(s, tcase_create("learning"),
	                               TESTS(small_model_learns_a_fixed_sequence));
	tcase_set_timeout(learn, 60);
	return s;
}
