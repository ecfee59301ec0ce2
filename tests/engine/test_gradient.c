/* Backward pass: every parameter's gradient against central finite
 * differences in double precision, for configurations where the slowest
 * module ticks several times and held units carry gradient back. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "fixtures.h"
#include "suites.h"

/* The batch forward that the gradients are taken of plays like the float
 * engine, chunk after chunk, and refuses more steps than it was made for. */
START_TEST(batch_forward_matches_float_engine)
{
	cwrnn_config cfg = fixture_config(3, (int[]){4, 4, 4}, (uint32_t[]){1, 3, 9}, 1, 1);
	cfg.skip = 1;
	cfg.phase = 1;
	cwrnn_model *model = fixture_model(&cfg, 0.4, 25);
	double *params = malloc(model->layout.n_params * sizeof(double));
	cwrnn_model_to_double(model, params);
	enum { T = 120 };
	double x[T], y[T];
	float xf[T], yf[T];
	fixture_fill_double(x, T, 1.0, 26);
	for (int t = 0; t < T; t++)
		xf[t] = (float)x[t];
	cwrnn_batch *batch = cwrnn_batch_new(&cfg, 1, 50);
	for (int at = 0; at < T; at += 40)
		ck_assert_int_eq(cwrnn_batch_forward(batch, params, x + at, y + at, 40), 0);
	ck_assert_int_eq(cwrnn_batch_forward(batch, params, x, y, 51), -1);
	cwrnn_state *state = cwrnn_state_new(model);
	cwrnn_process(state, xf, yf, T);
	for (int t = 0; t < T; t++)
		ck_assert_double_eq_tol(y[t], yf[t], 1e-5);
	cwrnn_state_free(state);
	cwrnn_batch_free(batch);
	free(params);
	cwrnn_model_free(model);
}
END_TEST

typedef struct {
	cwrnn_config cfg;
	cwrnn_batch *batch;
	int B, steps, warmup;
	double preemph, scale;
	double *x, *target, *y, *dy, *h0;
	uint64_t t0;
} problem;

static double
loss_at(problem *pb, const double *params)
{
	cwrnn_batch_set_state(pb->batch, pb->h0, pb->t0);
	cwrnn_batch_forward(pb->batch, params, pb->x, pb->y, pb->steps);
	return cwrnn_loss(pb->y, pb->target, pb->dy, pb->steps, pb->B, pb->cfg.n_outputs, pb->warmup,
	                  pb->preemph, pb->scale);
}

/* Largest relative error |a - f| / max(|a|, |f|) over all parameters (with
 * an absolute floor so that gradients of ~0 compare absolutely). */
static double
worst_gradient_error(problem *pb, const double *params, size_t n, size_t *where)
{
	double *grad = calloc(n, sizeof *grad), *w = malloc(n * sizeof *w), worst = 0.0;
	memcpy(w, params, n * sizeof *w);
	loss_at(pb, w);
	cwrnn_batch_backward(pb->batch, w, pb->x, pb->dy, grad);
	const double eps = 1e-6;
	for (size_t i = 0; i < n; i++) {
		w[i] = params[i] + eps;
		double up = loss_at(pb, w);
		w[i] = params[i] - eps;
		double down = loss_at(pb, w);
		w[i] = params[i];
		double fd = (up - down) / (2 * eps);
		double err = fabs(fd - grad[i]) / fmax(fmax(fabs(fd), fabs(grad[i])), 1e-6);
		if (err > worst) {
			worst = err;
			*where = i;
		}
	}
	free(grad);
	free(w);
	return worst;
}

/* Builds a problem; when carried > 0 a first chunk of that many steps runs
 * to leave a nonzero carried state and clock (truncated BPTT). */
static double
check_config(cwrnn_config cfg, int B, int steps, int warmup, double preemph,
             cwrnn_loss_kind kind, int carried, uint64_t seed)
{
	problem pb = {.cfg = cfg, .B = B, .steps = steps, .warmup = warmup, .preemph = preemph};
	int m = cfg.n_inputs, p = cfg.n_outputs, max_steps = steps > carried ? steps : carried;
	cwrnn_layout L;
	cwrnn_layout_of(&cfg, &L);
	pb.batch = cwrnn_batch_new(&cfg, B, max_steps);
	ck_assert_ptr_nonnull(pb.batch);
	size_t xs = (size_t)max_steps * B * (m ? m : 1), ys = (size_t)max_steps * B * p;
	pb.x = malloc(xs * sizeof(double));
	pb.target = malloc(ys * sizeof(double));
	pb.y = malloc(ys * sizeof(double));
	pb.dy = malloc(ys * sizeof(double));
	pb.h0 = malloc((size_t)L.n * B * sizeof(double));
	double *params = malloc(L.n_params * sizeof(double));
	cwrnn_params_init(&cfg, params, 0.5, seed);
	fixture_fill_double(params + L.b[0], (size_t)cfg.sizes[0], 0.1, seed + 1);
	fixture_fill_double(pb.x, xs, 1.0, seed + 2);
	fixture_fill_double(pb.target, ys, 0.5, seed + 3);
	if (carried > 0)
		cwrnn_batch_forward(pb.batch, params, pb.x, pb.y, carried);
	cwrnn_batch_get_state(pb.batch, pb.h0, &pb.t0);
	fixture_fill_double(pb.x, xs, 1.0, seed + 4);
	pb.scale = cwrnn_loss_scale(kind, pb.target, steps, B, p, warmup, preemph);
	size_t where = 0;
	double worst = worst_gradient_error(&pb, params, L.n_params, &where);
	fprintf(stderr, "gradient check: %zu parameters, worst relative error %.2e (parameter %zu)\n",
	        L.n_params, worst, where);
	free(params);
	free(pb.x);
	free(pb.target);
	free(pb.y);
	free(pb.dy);
	free(pb.h0);
	cwrnn_batch_free(pb.batch);
	return worst;
}

/* The configurations checked: module shapes, what the config adds (zero
 * fields keep the defaults: no phase, no skip, unit scales, no knobs), the
 * problem's size and loss, and a carried first chunk when carried > 0. */
typedef struct {
	const char *what;
	int g, sizes[4];
	uint32_t periods[4];
	int m, p;
	uint32_t phase;
	int skip, knobs;
	float in_scale, out_scale;
	int B, steps, warmup;
	double preemph;
	cwrnn_loss_kind loss;
	int carried;
	uint64_t seed;
} gradient_case;

static const gradient_case gradient_cases[] = {
	{"exponential periods", 4, {3, 2, 3, 2}, {1, 2, 4, 8}, 0, 1,
	 .B = 2, .steps = 45, .loss = CWRNN_LOSS_MSE, .seed = 21},
	{"odd periods, phase, two inputs and outputs, skip", 4, {2, 3, 2, 3}, {1, 3, 5, 7}, 2, 2,
	 .phase = 2, .skip = 1, .in_scale = 0.8f, .out_scale = 1.5f,
	 .B = 3, .steps = 40, .loss = CWRNN_LOSS_MSE, .seed = 22},
	{"ESR with pre-emphasis and warm-up", 3, {3, 3, 2}, {1, 4, 16}, 1, 1, .skip = 1,
	 .B = 2, .steps = 70, .warmup = 9, .preemph = 0.85, .loss = CWRNN_LOSS_ESR, .seed = 23},
	/* The second chunk starts from a nonzero state at clock 29: the gradient
	 * is cut at the boundary but the carried values still feed the output
	 * and the first ticks. */
	{"after a carried chunk", 3, {2, 2, 3}, {1, 2, 8}, 1, 1,
	 .B = 2, .steps = 37, .loss = CWRNN_LOSS_MSE, .carried = 29, .seed = 24},
	{"a single sequence", 3, {3, 2, 2}, {1, 2, 3}, 1, 1,
	 .B = 1, .steps = 31, .loss = CWRNN_LOSS_MSE, .seed = 27},
	{"a single module", 1, {4}, {1}, 1, 2,
	 .B = 2, .steps = 25, .loss = CWRNN_LOSS_MSE, .seed = 28},
	/* 1 audio input + 2 knobs (seen on 0..1), skip adds the audio input; an
	 * odd batch, and a carried chunk so the clock starts off a tick. */
	{"knobs and skip", 3, {2, 3, 2}, {1, 2, 6}, 3, 1, .phase = 1, .skip = 1, .knobs = 1,
	 .in_scale = 1.3f, .out_scale = 0.7f,
	 .B = 5, .steps = 33, .loss = CWRNN_LOSS_MSE, .carried = 7, .seed = 29},
};
enum { GRADIENT_CASES = sizeof gradient_cases / sizeof gradient_cases[0] };

START_TEST(gradients_match_finite_differences)
{
	const gradient_case *c = &gradient_cases[_i];
	cwrnn_config cfg = fixture_config(c->g, c->sizes, c->periods, c->m, c->p);
	cfg.phase = c->phase;
	cfg.skip = c->skip;
	if (c->knobs) {
		cfg.n_controls = 2;
		cfg.controls[0] = (cwrnn_control){.kind = CWRNN_CONTROL_KNOB, .name = "drive",
		                                  .min = 0.0f, .max = 10.0f, .def = 5.0f};
		cfg.controls[1] = (cwrnn_control){.kind = CWRNN_CONTROL_KNOB, .name = "tone",
		                                  .min = -2.0f, .max = 3.0f, .def = 0.0f};
	}
	if (c->in_scale != 0.0f) {
		cfg.in_scale = c->in_scale;
		cfg.out_scale = c->out_scale;
	}
	double e = check_config(cfg, c->B, c->steps, c->warmup, c->preemph, c->loss, c->carried,
	                        c->seed);
	ck_assert_msg(e < 1e-4, "%s: relative error %g", c->what, e);
}
END_TEST

Suite *
gradient_suite(void)
{
	Suite *s = suite_create("gradient");
	suite_add_tests(s, tcase_create("forward"), TESTS(batch_forward_matches_float_engine));
	TCase *fd = tcase_create("finite differences");
	tcase_set_timeout(fd, 60);
	tcase_add_loop_test(fd, gradients_match_finite_differences, 0, GRADIENT_CASES);
	suite_add_tcase(s, fd);
	return s;
}
