/* Checkpoints: exact round trip, resume equals an uninterrupted run, and
 * damaged files are refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_cases.h"
#include "checkpoint.h"
#include "suites.h"

static const char *path; /* the checkpoint, in the scratch directory */
static char msg[512];

START_TEST(round_trip_keeps_every_number)
{
	fixture f;
	fixture_init(&f, 2, 4);
	path = scratch_file("run.ckpt");
	f.t->s.epochs = 2;
	trainer_run(f.t, NULL, NULL);
	ck_assert_int_eq(checkpoint_save(f.t, path, msg, sizeof msg), 0);
	checkpoint ck;
	ck_assert_msg(checkpoint_load(path, &ck, msg, sizeof msg) == 0, "%s", msg);
	size_t bytes = f.t->n_params * sizeof(double);
	ck_assert_uint_eq(ck.n_params, f.t->n_params);
	ck_assert_int_eq(memcmp(ck.params, f.t->params, bytes), 0);
	ck_assert_int_eq(memcmp(ck.best, f.t->best, bytes), 0);
	ck_assert_int_eq(memcmp(ck.m, f.t->opt.m, bytes), 0);
	ck_assert_int_eq(memcmp(ck.v, f.t->opt.v, bytes), 0);
	ck_assert_uint_eq(ck.epoch, 2);
	ck_assert_uint_eq(ck.updates, f.t->updates);
	ck_assert_uint_eq(ck.rng, f.t->rng);
	ck_assert_uint_eq(ck.opt_steps, f.t->opt.steps);
	ck_assert_double_eq(ck.best_esr, f.t->best_esr);
	ck_assert_uint_eq(ck.n_history, 2);
	ck_assert_double_eq(ck.history[1].val_esr, f.t->history[1].val_esr);
	ck_assert_int_eq(ck.model->config.n_modules, 3);
	ck_assert_float_eq(ck.model->config.out_scale, f.t->cfg.out_scale);
	checkpoint_free(&ck);
	fixture_free(&f);
}
END_TEST

START_TEST(resume_continues_bit_for_bit)
{
	fixture a, b;
	fixture_init(&a, 2, 8);
	fixture_init(&b, 2, 99);  /* different initial weights: all must come from the file */
	a.t->s.epochs = 2;
	trainer_run(a.t, NULL, NULL);
	path = scratch_file("run.ckpt");
	ck_assert_int_eq(checkpoint_save(a.t, path, msg, sizeof msg), 0);
	a.t->s.epochs = 4;
	trainer_run(a.t, NULL, NULL);
	checkpoint ck;
	ck_assert_int_eq(checkpoint_load(path, &ck, msg, sizeof msg), 0);
	ck_assert_int_eq(checkpoint_restore(b.t, &ck, msg, sizeof msg), 0);
	b.t->s.epochs = 4;
	trainer_run(b.t, NULL, NULL);
	ck_assert_int_eq(memcmp(a.t->params, b.t->params, a.t->n_params * sizeof(double)), 0);
	ck_assert_int_eq(memcmp(a.t->best, b.t->best, a.t->n_params * sizeof(double)), 0);
	ck_assert_uint_eq(b.t->n_history, 4);
	ck_assert_double_eq(a.t->history[3].val_esr, b.t->history[3].val_esr);
	checkpoint_free(&ck);
	fixture_free(&a);
	fixture_free(&b);
}
END_TEST

static long
file_size(void)
{
	FILE *f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fclose(f);
	return n;
}

static void
assert_refused(const char *says)
{
	checkpoint ck;
	ck_assert_int_eq(checkpoint_load(path, &ck, msg, sizeof msg), -1);
	ck_assert_msg(strstr(msg, says) != NULL, "message '%s' should mention '%s'", msg, says);
	ck_assert_ptr_null(ck.params);
}

START_TEST(damaged_files_are_refused)
{
	fixture f;
	fixture_init(&f, 1, 4);
	path = scratch_file("run.ckpt");
	ck_assert_int_eq(checkpoint_save(f.t, path, msg, sizeof msg), 0);
	long n = file_size();
	FILE *fp = fopen(path, "r+b");
	fseek(fp, n / 2, SEEK_SET);
	int c = fgetc(fp);
	fseek(fp, n / 2, SEEK_SET);
	fputc(c ^ 0x10, fp);
	fclose(fp);
	assert_refused("checksum");
	ck_assert_int_eq(checkpoint_save(f.t, path, msg, sizeof msg), 0);
	ck_assert_int_eq(truncate(path, n - 9), 0);
	assert_refused("checksum");
	fp = fopen(path, "wb");
	fputs("CWRNN model? no.", fp);
	fclose(fp);
	assert_refused("not a cwrnn checkpoint");
	path = scratch_file("none.ckpt");
	assert_refused("cannot open");
	fixture_free(&f);
}
END_TEST

Suite *
checkpoint_suite(void)
{
	Suite *s = suite_create("checkpoint");
	TCase *tc = suite_add_tests(s, scratch_tcase("files"),
	                            TESTS(round_trip_keeps_every_number, resume_continues_bit_for_bit,
	                                  damaged_files_are_refused));
	tcase_set_timeout(tc, 30);
	return s;
}
