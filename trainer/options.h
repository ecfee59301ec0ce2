/* cwrnn-train's command line: defaults per task, parsing, validation and
 * --help. Parsing never prints; errors come back as one line in msg. */
#ifndef TRAINER_OPTIONS_H
#define TRAINER_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "cwrnn.h"

typedef struct {
	cwrnn_task task;
	const char *input, *target, *output, *name;   /* borrowed from argv */
	const char *val_input, *val_target;
	const char *checkpoint, *resume, *report, *plot;
	int hidden, modules;                          /* hidden units, module count */
	int n_sizes;
	int sizes[CWRNN_MAX_MODULES];                 /* explicit --sizes (n_sizes > 0) */
	int n_periods;
	uint32_t periods[CWRNN_MAX_MODULES];          /* explicit --periods (n_periods > 0) */
	int epochs;                                   /* 0: no limit */
	double seconds;                               /* time budget, 0: no limit */
	int batch, segment, warmup;                   /* segment excludes warmup */
	cwrnn_optimizer_kind optimizer;
	double lr, momentum;
	int loss;                                     /* train_loss */
	double preemph;
	uint64_t seed;
	int threads;
	double val;                                   /* fraction held out from the end */
	int patience;                                 /* epochs without improvement, 0: off */
	int skip, mixdown, quiet;
	double init_sigma;                            /* 0: 1/sqrt(fan-in) */
	double clip;                                  /* gradient norm, 0: off */
	double max_latency_ms;                        /* transform latency search, 0: off */
	int set_hidden, set_modules;                  /* given on the command line */
	int argc;
	char **argv;
} train_options;

/* Task names as on the command line ("generate", ...); NULL if unknown. */
const char *options_task_name(cwrnn_task task);

/* The defaults for a task (what --help prints). */
void options_defaults(train_options *o, cwrnn_task task);

/* Parses argv (argv[1] is the task). Returns 0, 1 when --help was asked
 * for, or -1 with one line in msg. */
int options_parse(train_options *o, int argc, char **argv, char *msg, size_t msg_len);

/* Module sizes and periods the options describe (hidden split evenly over
 * the modules, the remainder to the fastest; periods 1, 2, 4, ... unless
 * given). Returns 0 or -1 with msg. */
int options_architecture(const train_options *o, cwrnn_config *cfg, char *msg, size_t msg_len);

void options_usage(FILE *f);

/* Strict number parsing shared with cwrnn-render: the whole string must be
 * a number within [min, max]. Return 0 or -1 with msg naming the option. */
int parse_long(const char *opt, const char *s, long min, long max, long *out, char *msg,
               size_t msg_len);
int parse_double(const char *opt, const char *s, double min, double max, double *out, char *msg,
                 size_t msg_len);

#endif
