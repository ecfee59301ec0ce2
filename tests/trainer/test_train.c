/* The training loop: determinism across runs and thread counts, evaluation
 * that agrees with the float engine, learning, and stop rules. */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "suites.h"

static char msg[512];

void
fixture_init(fixture *f, int threads, uint64_t seed)
{
	fixture_init_len(f, threads, seed, 6000);
}

void
fixture_init_len(fixture *f, int threads, uint64_t seed, size_t n)
{
	memset(f, 0, sizeof *f);
	make_audio(&f->in, n, 21);
	make_audio(&f->out, n, 22);
	for (size_t t = 0; t < n; t++)  /* a soft clipper with a one-sample memory */
		f->out.samples[t] = tanh(2.0 * f->in.samples[t] + (t ? f->in.samples[t - 1] : 0.0));
	train_options o;
	options_defaults(&o, CWRNN_TASK_TRANSFORM);
	o.input = "in.wav";
	o.target = "out.wav";
	o.val = 0.2;
	o.max_latency_ms = 0.0;
	ck_assert_int_eq(dataset_build(&f->ds, &o, &f->in, &f->out, NULL, NULL, 80, msg, sizeof msg),
	                 0);
	cwrnn_config_default(&f->cfg, 3, 4);
	f->cfg.n_inputs = 1;
	f->cfg.skip = 1;
	f->cfg.task = CWRNN_TASK_TRANSFORM;
	ck_assert_int_eq(dataset_scales(&f->ds, &f->cfg, msg, sizeof msg), 0);
	train_setup s = {.batch = 4, .steps = 80, .warmup = 16, .threads = threads,
	                 .loss = TRAIN_LOSS_ESR, .preemph = 0.5, .clip = 1.0, .epochs = 3,
	                 .optimizer = CWRNN_OPT_ADAM, .lr = 1e-2, .momentum = 0.9, .seed = seed};
	f->setup = s;
	f->t = trainer_new(&f->setup, &f->ds, &f->cfg, msg, sizeof msg);
	ck_assert_msg(f->t != NULL, "%s", msg);
}

void
fixture_free(fixture *f)
{
	trainer_free(f->t);
	dataset_free(&f->ds);
	wav_free(&f->in);
	wav_free(&f->out);
}

static void
updates(trainer *t, int n)
{
	for (int i = 0; i < n; i++)
		ck_assert(isfinite(trainer_update(t)));
}

START_TEST(same_seed_and_threads_same_weights)
{
	fixture a, b;
	fixture_init(&a, 2, 5);
	fixture_init(&b, 2, 5);
	updates(a.t, 10);
	updates(b.t, 10);
	ck_assert_int_eq(memcmp(a.t->params, b.t->params, a.t->n_params * sizeof(double)), 0);
	fixture_free(&a);
	fixture_free(&b);
}
END_TEST

START_TEST(thread_count_changes_only_rounding)
{
	fixture a, b;
	fixture_init(&a, 1, 5);
	fixture_init(&b, 3, 5);
	ck_assert_int_eq(b.t->n_threads, 3);
	updates(a.t, 5);
	updates(b.t, 5);
	for (size_t i = 0; i < a.t->n_params; i++)
		ck_assert_double_eq_tol(a.t->params[i], b.t->params[i], 1e-9);
	fixture_free(&a);
	fixture_free(&b);
}
END_TEST

START_TEST(different_seeds_differ)
{
	fixture a, b;
	fixture_init(&a, 1, 5);
	fixture_init(&b, 1, 6);
	ck_assert_int_ne(memcmp(a.t->params, b.t->params, a.t->n_params * sizeof(double)), 0);
	fixture_free(&a);
	fixture_free(&b);
}
END_TEST

/* What trainer_evaluate measures in double precision is what the float
 * engine (what users hear) produces, scales and skip included. */
START_TEST(evaluation_agrees_with_the_float_engine)
{
	fixture f;
	fixture_init(&f, 2, 3);
	updates(f.t, 20);
	double esr, nmse;
	trainer_evaluate(f.t, f.t->params, &esr, &nmse);
	cwrnn_model *m = trainer_model(f.t, msg, sizeof msg);
	ck_assert_ptr_nonnull(m);
	cwrnn_state *st = cwrnn_state_new(m);
	double ee = 0.0, yy = 0.0;
	for (size_t t = 0; t < f.ds.vn; t++) {
		float x = (float)f.ds.parts[0].vx[t], y;
		cwrnn_step(st, &x, &y);
		ee += ((double)y - f.ds.parts[0].vy[t]) * ((double)y - f.ds.parts[0].vy[t]);
		yy += f.ds.parts[0].vy[t] * f.ds.parts[0].vy[t];
	}
	ck_assert_double_eq_tol(ee / yy, esr, 1e-4 * esr + 1e-7);
	ck_assert(esr < 1.0);
	cwrnn_state_free(st);
	cwrnn_model_free(m);
	fixture_free(&f);
}
END_TEST

/* A long evaluation part is cut into pieces spread over the threads: the
 * result does not depend on the thread count and stays close to one
 * sequential run of the float engine over the whole part. */
START_TEST(long_evaluation_is_the_same_on_any_thread_count)
{
	fixture a, b;
	fixture_init_len(&a, 1, 3, 1000000);
	fixture_init_len(&b, 3, 3, 1000000);
	ck_assert_uint_eq(a.t->eval_pieces, 4);
	updates(a.t, 3);
	double esr_a, nmse_a, esr_b, nmse_b;
	trainer_evaluate(a.t, a.t->params, &esr_a, &nmse_a);
	trainer_evaluate(b.t, a.t->params, &esr_b, &nmse_b);
	ck_assert_double_eq(esr_a, esr_b);
	ck_assert_double_eq(nmse_a, nmse_b);
	cwrnn_model *m = trainer_model(a.t, msg, sizeof msg);
	cwrnn_state *st = cwrnn_state_new(m);
	double ee = 0.0, yy = 0.0;
	for (size_t t = 0; t < a.ds.vn; t++) {
		float x = (float)a.ds.parts[0].vx[t], y;
		cwrnn_step(st, &x, &y);
		ee += ((double)y - a.ds.parts[0].vy[t]) * ((double)y - a.ds.parts[0].vy[t]);
		yy += a.ds.parts[0].vy[t] * a.ds.parts[0].vy[t];
	}
	ck_assert_double_eq_tol(ee / yy, esr_a, 1e-3 * esr_a);
	cwrnn_state_free(st);
	cwrnn_model_free(m);
	fixture_free(&a);
	fixture_free(&b);
}
END_TEST

START_TEST(training_reduces_the_validation_error)
{
	fixture f;
	fixture_init(&f, 2, 1);
	double before, after, nmse;
	trainer_evaluate(f.t, f.t->params, &before, &nmse);
	updates(f.t, 150);
	trainer_evaluate(f.t, f.t->params, &after, &nmse);
	ck_assert_msg(after < 0.5 * before, "ESR %g -> %g", before, after);
	fixture_free(&f);
}
END_TEST

START_TEST(epoch_limit_stops_with_a_curve_and_a_best_model)
{
	fixture f;
	fixture_init(&f, 2, 1);
	ck_assert_int_eq(trainer_run(f.t, NULL, NULL), STOP_EPOCHS);
	ck_assert_int_eq(f.t->epoch, 3);
	ck_assert_uint_eq(f.t->n_history, 3);
	ck_assert_uint_eq(f.t->updates, 3 * (uint64_t)f.t->updates_per_epoch);
	ck_assert(f.t->best_epoch >= 1.0);
	ck_assert(f.t->best_esr <= f.t->history[0].val_esr);
	fixture_free(&f);
}
END_TEST

START_TEST(interrupt_stops_before_the_next_update)
{
	fixture f;
	fixture_init(&f, 1, 1);
	volatile sig_atomic_t flag = 1;
	ck_assert_int_eq(trainer_run(f.t, &flag, NULL), STOP_SIGNAL);
	ck_assert_uint_eq(f.t->updates, 0);
	fixture_free(&f);
}
END_TEST

START_TEST(patience_stops_when_validation_stalls)
{
	fixture f;
	fixture_init(&f, 1, 1);
	f.t->s.lr = 1e-12;  /* nothing can improve */
	f.t->opt.lr = 1e-12;
	f.t->s.epochs = 100;
	f.t->s.patience = 2;
	f.t->best_esr = 0.0;  /* pretend an unbeatable earlier result */
	f.t->best_epoch = 0.0;
	ck_assert_int_eq(trainer_run(f.t, NULL, NULL), STOP_PATIENCE);
	ck_assert_int_eq(f.t->epoch, 2);
	fixture_free(&f);
}
END_TEST

/* With a time budget the learning rate falls from --lr to --lr / 100 along a
 * cosine; without one it stays. */
START_TEST(learning_rate_anneals_over_the_time_budget)
{
	train_setup s = {.lr = 1e-2, .seconds = 100.0};
	ck_assert_double_eq_tol(trainer_lr(&s, 0.0), 1e-2, 1e-15);
	ck_assert_double_eq_tol(trainer_lr(&s, 50.0), 0.5 * (1e-2 + 1e-4), 1e-15);
	ck_assert_double_eq_tol(trainer_lr(&s, 100.0), 1e-4, 1e-15);
	ck_assert_double_eq_tol(trainer_lr(&s, 500.0), 1e-4, 1e-15);
	for (double e = 0.0; e < 100.0; e += 7.0)
		ck_assert(trainer_lr(&s, e + 7.0) < trainer_lr(&s, e));
	s.seconds = 0.0;
	ck_assert_double_eq(trainer_lr(&s, 1e6), 1e-2);
}
END_TEST

/* The paper's loss, 0.5 * sum of squared errors in the network's own
 * units: the model's error over out_scale (item 6 of issue 12 keeps it). */
START_TEST(sse_is_half_the_squared_error_in_network_units)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 2, 2);
	cfg.out_scale = 4.0f;
	train_setup s = {.loss = TRAIN_LOSS_SSE};
	double y[3] = {1.0, -2.0, 0.5}, target[3] = {0.0, 2.0, 0.5}, dy[3];
	double scale = trainer_loss_scale(&s, &cfg, target, 3, 1, 0);
	double loss = cwrnn_loss(y, target, dy, 3, 1, 1, 0, 0.0, scale);
	double want = 0.5 * ((1.0 / 4.0) * (1.0 / 4.0) + (4.0 / 4.0) * (4.0 / 4.0));
	ck_assert_double_eq_tol(loss, want, 1e-15);
}
END_TEST

Suite *
train_suite(void)
{
	Suite *s = suite_create("train");
	suite_add_tests(s, tcase_create("determinism"),
	                TESTS(same_seed_and_threads_same_weights,
	                      thread_count_changes_only_rounding, different_seeds_differ));
	TCase *tc = suite_add_tests(s, tcase_create("evaluation and learning"),
	                            TESTS(evaluation_agrees_with_the_float_engine,
	                                  long_evaluation_is_the_same_on_any_thread_count,
	                                  training_reduces_the_validation_error));
	tcase_set_timeout(tc, 30);
	suite_add_tests(s, tcase_create("stop rules"),
	                TESTS(epoch_limit_stops_with_a_curve_and_a_best_model,
	                      interrupt_stops_before_the_next_update,
	                      patience_stops_when_validation_stalls,
	                      learning_rate_anneals_over_the_time_budget,
	                      sse_is_half_the_squared_error_in_network_units));
	return s;
}
