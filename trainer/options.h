/* cwrnn-train's command line: defaults per task, parsing, validation and
 * --help. Parsing never prints; errors come back as one line in msg. */
#ifndef TRAINER_OPTIONS_H
#define TRAINER_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "cwrnn.h"
#include "pairs.h"

/* Option ids: the short letter where an option has one, else these. */
enum {
	OPT_NAME = 128, OPT_VAL_INPUT, OPT_VAL_TARGET, OPT_CHECKPOINT, OPT_RESUME, OPT_REPORT,
	OPT_PLOT, OPT_HIDDEN, OPT_MODULES, OPT_SIZES, OPT_PERIODS, OPT_EPOCHS, OPT_SECONDS,
	OPT_BATCH, OPT_SEGMENT, OPT_WARMUP, OPT_LR, OPT_MOMENTUM, OPT_OPTIMIZER, OPT_LOSS,
	OPT_PREEMPH, OPT_SEED, OPT_THREADS, OPT_VAL, OPT_PATIENCE, OPT_INIT_SIGMA, OPT_CLIP,
	OPT_MAX_LATENCY, OPT_NO_SKIP, OPT_MIXDOWN, OPT_NOTES, OPT_CYCLE, OPT_PAIRS, OPT_KNOB,
	OPT_CAPTURE,
	OPT_ID_COUNT
};

typedef struct {
	cwrnn_task task;
	int instrument;                               /* 1: the instrument task (generate
	                                                 with controls, notes.h) */
	const char *notes;                            /* instrument: NOTES.txt */
	int cycle;                                    /* instrument: samples per cycle */
	const char *input, *target, *output, *name;   /* borrowed from argv */
	const char *val_input, *val_target;
	const char *checkpoint, *resume, *report, *plot;
	const char *pairs;                            /* transform --pairs FILE */
	const char *capture;                          /* transform --capture RECORDED.wav */
	int n_knob_ranges;
	knob_range knob_ranges[PAIRS_MAX_KNOBS];      /* --knob NAME:MIN:MAX */
	int rate;                                     /* capture-signal --rate */
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
	unsigned char given[OPT_ID_COUNT];            /* 1: on the command line */
	int argc;
	char **argv;
} train_options;

/* Task names as on the command line ("generate", ...); NULL if unknown. */
const char *options_task_name(cwrnn_task task);

/* The command-line task of o ("instrument" or options_task_name). */
const char *options_command(const train_options *o);

/* The defaults for a task (what --help prints). */
void options_defaults(train_options *o, cwrnn_task task);

/* Parses argv (argv[1] is the task). Returns 0, 1 when --help was asked
 * for, or -1 with one line in msg. */
int options_parse(train_options *o, int argc, char **argv, char *msg, size_t msg_len);

/* Module sizes and periods the options describe (hidden split evenly over
 * the modules, the remainder to the fastest; periods 1, 2, 4, ... unless
 * given). Returns 0 or -1 with msg. */
int options_architecture(const train_options *o, cwrnn_config *cfg, char *msg, size_t msg_len);

/* With --resume, the network (sizes, periods, skip, scales) and the
 * optimizer come from the checkpoint: refuses, with one line in msg, a task
 * or an option given on the command line that says otherwise. Returns 0 or
 * -1. */
int options_check_resume(const train_options *o, const cwrnn_config *net,
                         cwrnn_optimizer_kind kind, double lr, double momentum, char *msg,
                         size_t msg_len);

/* Whether option id ('i', OPT_LR, ...) was on the command line. */
int options_given(const train_options *o, int id);

void options_usage(FILE *f);

#endif
