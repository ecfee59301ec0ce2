/* Options: defaults per task, parsing, and refusal of impossible values. */
#include <string.h>

#include "check_cases.h"
#include "options.h"
#include "suites.h"
#include "train.h"

static char msg[512];

#define BASE "transform", "-i", "x", "-t", "y", "-o", "m"

/* Parses a NULL-terminated argument list; returns options_parse's code. */
static int
parse(train_options *o, const char *const *args)
{
	char *argv[64];
	int argc = 0;
	argv[argc++] = (char *)"cwrnn-train";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	msg[0] = '\0';
	return options_parse(o, argc, argv, msg, sizeof msg);
}

static void
assert_refused(const char *const *args, const char *says)
{
	train_options o;
	ck_assert_int_eq(parse(&o, args), -1);
	ck_assert_msg(strstr(msg, says) != NULL, "message '%s' should mention '%s'", msg, says);
	ck_assert_ptr_null(strchr(msg, '\n'));
}

START_TEST(transform_defaults_suit_effects)
{
	train_options o;
	const char *args[] = {"transform", "-i", "x.wav", "-t", "y.wav", "-o", "m.cwrnn", NULL};
	ck_assert_int_eq(parse(&o, args), 0);
	ck_assert_int_eq(o.task, CWRNN_TASK_TRANSFORM);
	ck_assert_int_eq(o.skip, 1);
	ck_assert_int_eq(o.loss, TRAIN_LOSS_ESR);
	ck_assert_double_eq_tol(o.preemph, 0.85, 1e-12);
	ck_assert_int_eq(o.optimizer, CWRNN_OPT_ADAM);
	ck_assert_int_ge(o.threads, 1);
	ck_assert_str_eq(o.input, "x.wav");
	ck_assert_str_eq(o.output, "m.cwrnn");
}
END_TEST

START_TEST(generate_trains_one_sequence)
{
	train_options o;
	const char *args[] = {"generate", "--target=t.wav", "-o", "g.cwrnn", NULL};
	ck_assert_int_eq(parse(&o, args), 0);
	ck_assert_int_eq(o.batch, 1);
	ck_assert_int_eq(o.warmup, 0);
	ck_assert_str_eq(o.target, "t.wav");
}
END_TEST

START_TEST(values_in_both_spellings)
{
	train_options o;
	const char *args[] = {"transform", "-i", "x", "-t", "y", "-o", "m", "--hidden", "12",
	                      "--modules=3", "--lr=1e-3", "--optimizer", "nesterov", "--loss=sse",
	                      "--seed", "18446744073709551615", "--no-skip", "--mixdown", "-q", NULL};
	ck_assert_int_eq(parse(&o, args), 0);
	ck_assert_int_eq(o.hidden, 12);
	ck_assert_int_eq(o.modules, 3);
	ck_assert_double_eq_tol(o.lr, 1e-3, 1e-15);
	ck_assert_int_eq(o.optimizer, CWRNN_OPT_NESTEROV);
	ck_assert_int_eq(o.loss, TRAIN_LOSS_SSE);
	ck_assert_uint_eq(o.seed, UINT64_MAX);
	ck_assert_int_eq(o.skip, 0);
	ck_assert_int_eq(o.mixdown, 1);
	ck_assert_int_eq(o.quiet, 1);
}
END_TEST

/* getopt_long: both spellings, short options, and a parser that runs again
 * from scratch (the tests parse many command lines in one process). */
START_TEST(every_option_takes_both_spellings)
{
	train_options o;
	const char *eq[] = {"transform", "--input=x", "--target=y", "--output=m", "--epochs=7",
	                    "--seconds=2.5", "--batch=3", NULL};
	ck_assert_int_eq(parse(&o, eq), 0);
	ck_assert_int_eq(o.epochs, 7);
	ck_assert_double_eq(o.seconds, 2.5);
	ck_assert_int_eq(o.batch, 3);
	ck_assert_str_eq(o.input, "x");
	const char *space[] = {"transform", "--input", "x", "-t", "y", "-o", "m", "--epochs", "8",
	                       "--seconds", "1", NULL};
	ck_assert_int_eq(parse(&o, space), 0);
	ck_assert_int_eq(o.epochs, 8);
	ck_assert_double_eq(o.seconds, 1.0);
	ck_assert(options_given(&o, OPT_EPOCHS));
	ck_assert(!options_given(&o, OPT_BATCH));
	const char *cluster[] = {BASE, "-qh", NULL};
	ck_assert_int_eq(parse(&o, cluster), 1);
}
END_TEST

START_TEST(hidden_split_over_modules_fast_first)
{
	train_options o;
	const char *args[] = {"continue", "-i", "x", "-o", "m", "--hidden", "10", "--modules", "3",
	                      NULL};
	ck_assert_int_eq(parse(&o, args), 0);
	cwrnn_config c;
	ck_assert_int_eq(options_architecture(&o, &c, msg, sizeof msg), 0);
	ck_assert_int_eq(c.n_modules, 3);
	ck_assert_int_eq(c.sizes[0], 4);
	ck_assert_int_eq(c.sizes[1], 3);
	ck_assert_int_eq(c.sizes[2], 3);
	ck_assert_uint_eq(c.periods[0], 1);
	ck_assert_uint_eq(c.periods[1], 2);
	ck_assert_uint_eq(c.periods[2], 4);
	ck_assert_int_eq(c.n_inputs, 1);
	ck_assert_int_eq(c.skip, 0);
}
END_TEST

START_TEST(explicit_sizes_and_periods)
{
	train_options o;
	const char *args[] = {"generate", "-t", "x", "-o", "m", "--sizes", "5,4,3", "--periods",
	                      "1,3,9", NULL};
	ck_assert_int_eq(parse(&o, args), 0);
	cwrnn_config c;
	ck_assert_int_eq(options_architecture(&o, &c, msg, sizeof msg), 0);
	ck_assert_int_eq(c.n_modules, 3);
	ck_assert_int_eq(c.sizes[0] + c.sizes[1] + c.sizes[2], 12);
	ck_assert_uint_eq(c.periods[2], 9);
	ck_assert_int_eq(c.n_inputs, 0);
}
END_TEST

START_TEST(help_is_not_an_error)
{
	train_options o;
	const char *a1[] = {"--help", NULL};
	const char *a2[] = {"transform", "-h", NULL};
	ck_assert_int_eq(parse(&o, a1), 1);
	ck_assert_int_eq(parse(&o, a2), 1);
}
END_TEST


START_TEST(impossible_values_are_refused)
{
	const char *non_numeric[] = {BASE, "--hidden", "abc", NULL};
	assert_refused(non_numeric, "--hidden: 'abc' is not a whole number");
	const char *trailing[] = {BASE, "--batch", "16x", NULL};
	assert_refused(trailing, "--batch");
	const char *zero[] = {BASE, "--batch", "0", NULL};
	assert_refused(zero, "--batch: 0 is out of range");
	const char *negative[] = {BASE, "--lr", "-0.1", NULL};
	assert_refused(negative, "--lr");
	const char *nan[] = {BASE, "--lr", "nan", NULL};
	assert_refused(nan, "--lr");
	const char *val[] = {BASE, "--val", "1.5", NULL};
	assert_refused(val, "--val");
	const char *seed[] = {BASE, "--seed", "-1", NULL};
	assert_refused(seed, "--seed");
	const char *threads[] = {BASE, "--threads", "0", NULL};
	assert_refused(threads, "--threads");
	const char *segment[] = {BASE, "--segment", "-5", NULL};
	assert_refused(segment, "--segment");
	const char *loss[] = {BASE, "--loss", "l1", NULL};
	assert_refused(loss, "--loss");
	const char *opt[] = {BASE, "--optimizer", "sgd", NULL};
	assert_refused(opt, "--optimizer");
}
END_TEST

START_TEST(architectures_that_do_not_add_up)
{
	const char *periods[] = {BASE, "--modules", "3", "--periods", "1,2", NULL};
	assert_refused(periods, "--periods lists 2 periods but there are 3 modules");
	const char *decreasing[] = {BASE, "--modules", "3", "--periods", "1,4,2", NULL};
	assert_refused(decreasing, "must not decrease");
	const char *zero_period[] = {BASE, "--modules", "2", "--periods", "0,2", NULL};
	assert_refused(zero_period, "--periods");
	const char *sizes[] = {BASE, "--sizes", "4,4", "--hidden", "9", NULL};
	assert_refused(sizes, "--sizes adds up to 8 units but --hidden is 9");
	const char *count[] = {BASE, "--sizes", "4,4", "--modules", "3", NULL};
	assert_refused(count, "--sizes lists 2 modules but --modules is 3");
	const char *few[] = {BASE, "--hidden", "3", "--modules", "4", NULL};
	assert_refused(few, "fewer units");
	const char *list[] = {BASE, "--sizes", "4,,4", NULL};
	assert_refused(list, "--sizes");
}
END_TEST

START_TEST(each_task_needs_its_files)
{
	const char *no_task[] = {"train", NULL};
	assert_refused(no_task, "unknown task 'train'");
	const char *no_out[] = {"transform", "-i", "x", "-t", "y", NULL};
	assert_refused(no_out, "-o");
	const char *no_target[] = {"transform", "-i", "x", "-o", "m", NULL};
	assert_refused(no_target, "--target");
	const char *gen_input[] = {"generate", "-t", "x", "-i", "y", "-o", "m", NULL};
	assert_refused(gen_input, "generate takes no --input");
	const char *cont_target[] = {"continue", "-i", "x", "-t", "y", "-o", "m", NULL};
	assert_refused(cont_target, "no --target");
	const char *half_val[] = {BASE, "--val-input", "v", NULL};
	assert_refused(half_val, "--val-target");
	const char *forever[] = {BASE, "--epochs", "0", NULL};
	assert_refused(forever, "never stop");
	const char *unknown[] = {BASE, "--hiden", "3", NULL};
	assert_refused(unknown, "unknown option '--hiden'");
	const char *missing[] = {BASE, "--epochs", NULL};
	assert_refused(missing, "--epochs needs a value");
	const char *stray[] = {BASE, "extra", NULL};
	assert_refused(stray, "unexpected argument 'extra'");
	const char *unknown_eq[] = {BASE, "--colour=red", NULL};
	assert_refused(unknown_eq, "unknown option '--colour'");
	const char *unknown_short[] = {BASE, "-qx", NULL};
	assert_refused(unknown_short, "unknown option '-x'");
	const char *missing_short[] = {BASE, "-o", NULL};
	assert_refused(missing_short, "-o needs a value");
	const char *flag_value[] = {BASE, "--no-skip=1", NULL};
	assert_refused(flag_value, "--no-skip");
}
END_TEST

/* --resume: the checkpoint's network and optimizer stand; an option given
 * that contradicts them is refused, one that agrees is fine. */
START_TEST(resume_refuses_contradicting_options)
{
	train_options o;
	cwrnn_config net;
	const char *plain[] = {BASE, "--resume", "c.ckpt", NULL};
	ck_assert_int_eq(parse(&o, plain), 0);
	ck_assert_int_eq(options_architecture(&o, &net, msg, sizeof msg), 0);
	net.skip = 0;  /* trained with --no-skip: resuming without the flag is fine */
	ck_assert_int_eq(options_check_resume(&o, &net, CWRNN_OPT_ADAM, o.lr, o.momentum, msg,
	                                      sizeof msg), 0);
	const char *same[] = {BASE, "--resume", "c.ckpt", "--hidden", "32", "--lr", "5e-3", NULL};
	ck_assert_int_eq(parse(&o, same), 0);
	ck_assert_int_eq(options_check_resume(&o, &net, CWRNN_OPT_ADAM, 5e-3, o.momentum, msg,
	                                      sizeof msg), 0);
	struct {
		const char *opt, *value, *says;
	} cases[] = {{"--hidden", "40", "--hidden contradicts checkpoint 'c.ckpt', which has 32 "
	                                 "hidden units in 8 modules"},
	             {"--modules", "4", "--modules contradicts"},
	             {"--sizes", "4,4,4,4,4,4,4,5", "--sizes contradicts"},
	             {"--periods", "1,2,4,8,16,32,64,256", "--periods contradicts"},
	             {"--optimizer", "nesterov", "which has adam"},
	             {"--lr", "1e-4", "which has 0.005"},
	             {"--momentum", "0.5", "--momentum contradicts"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[] = {BASE, "--resume", "c.ckpt", cases[i].opt, cases[i].value, NULL};
		ck_assert_int_eq(parse(&o, args), 0);
		ck_assert_int_eq(options_check_resume(&o, &net, CWRNN_OPT_ADAM, 5e-3, 0.95, msg,
		                                      sizeof msg), -1);
		ck_assert_msg(strstr(msg, cases[i].says) != NULL, "'%s' should say '%s'", msg,
		              cases[i].says);
	}
	net.skip = 1;
	const char *no_skip[] = {BASE, "--resume", "c.ckpt", "--no-skip", NULL};
	ck_assert_int_eq(parse(&o, no_skip), 0);
	ck_assert_int_eq(options_check_resume(&o, &net, CWRNN_OPT_ADAM, 5e-3, 0.95, msg, sizeof msg),
	                 -1);
	ck_assert_ptr_nonnull(strstr(msg, "which has a skip connection"));
	net.task = CWRNN_TASK_CONTINUE;
	ck_assert_int_eq(parse(&o, plain), 0);
	ck_assert_int_eq(options_check_resume(&o, &net, CWRNN_OPT_ADAM, 5e-3, 0.95, msg, sizeof msg),
	                 -1);
	ck_assert_ptr_nonnull(strstr(msg, "is for continue, not transform"));
}
END_TEST

Suite *
options_suite(void)
{
	Suite *s = suite_create("options");
	suite_add_tests(s, tcase_create("defaults"),
	                TESTS(transform_defaults_suit_effects, generate_trains_one_sequence,
	                      help_is_not_an_error));
	suite_add_tests(s, tcase_create("parsing"),
	                TESTS(values_in_both_spellings, every_option_takes_both_spellings,
	                      hidden_split_over_modules_fast_first, explicit_sizes_and_periods));
	suite_add_tests(s, tcase_create("refusals"),
	                TESTS(impossible_values_are_refused, architectures_that_do_not_add_up,
	                      each_task_needs_its_files, resume_refuses_contradicting_options));
	return s;
}
