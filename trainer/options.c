/* cwrnn-train's command line: defaults, parsing, validation, --help. */
#include "options.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "notes.h"
#include "train.h"
#include "util.h"

static const char *const task_names[] = {"generate", "transform", "continue"};

const char *
options_task_name(cwrnn_task task)
{
	if ((int)task < 0 || (int)task > 2)
		return NULL;
	return task_names[task];
}

const char *
options_command(const train_options *o)
{
	return o->instrument ? "instrument" : options_task_name(o->task);
}

/* The instrument task: a generator with controls over many short notes,
 * run in lockstep (notes.h); the harp's clocks (periods up to 1024 carry
 * the decay) and generate's chunked BPTT. */
static void
instrument_defaults(train_options *o)
{
	options_defaults(o, CWRNN_TASK_GENERATE);
	o->instrument = 1;
	o->cycle = 32;
	o->hidden = 44;
	o->modules = 11;
	o->epochs = 200;
	o->segment = 1024;
}

static int
default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* What each task trains by default. Generate: one sequence from a zero state,
 * truncated BPTT through the file. */
static const train_options task_defaults[] = {
	[CWRNN_TASK_GENERATE] = {.task = CWRNN_TASK_GENERATE, .hidden = 40, .modules = 9,
	                         .epochs = 300, .batch = 1, .segment = 512, .lr = 3e-3,
	                         .loss = TRAIN_LOSS_MSE},
	[CWRNN_TASK_TRANSFORM] = {.task = CWRNN_TASK_TRANSFORM, .hidden = 32, .modules = 8,
	                          .epochs = 100, .batch = 16, .segment = 2048, .warmup = 256,
	                          .lr = 5e-3, .loss = TRAIN_LOSS_ESR, .preemph = 0.85, .val = 0.1,
	                          .patience = 20, .skip = 1},
	[CWRNN_TASK_CONTINUE] = {.task = CWRNN_TASK_CONTINUE, .hidden = 40, .modules = 8,
	                         .epochs = 100, .batch = 16, .segment = 1024, .warmup = 256,
	                         .lr = 3e-3, .loss = TRAIN_LOSS_ESR, .val = 0.1, .patience = 20},
};

void
options_defaults(train_options *o, cwrnn_task task)
{
	*o = task_defaults[task];
	o->optimizer = CWRNN_OPT_ADAM;
	o->momentum = 0.95;
	o->seed = 1;
	o->threads = default_threads();
	o->clip = 1.0;
	o->max_latency_ms = 50.0;
}

static int
parse_int(const char *opt, const char *s, long min, long max, int *out, char *msg,
          size_t msg_len)
{
	long v;
	if (parse_long(opt, s, min, max, &v, msg, msg_len) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int
parse_seed(const char *s, uint64_t *out, char *msg, size_t msg_len)
{
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *s == '+' || *end != '\0' || errno == ERANGE)
		return cw_fail(msg, msg_len, "--seed: '%s' is not a whole number (expected 0..2^64-1)", s);
	*out = v;
	return 0;
}

/* A comma-separated list of at most CWRNN_MAX_MODULES whole numbers. */
static int
parse_list(const char *opt, const char *s, long min, long max, long *out, int *count, char *msg,
           size_t msg_len)
{
	char item[32];
	int n = 0;
	const char *p = s;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (n == CWRNN_MAX_MODULES)
			return cw_fail(msg, msg_len, "%s: more than %d values", opt, CWRNN_MAX_MODULES);
		if (len == 0 || len >= sizeof item)
			return cw_fail(msg, msg_len, "%s: '%s' is not a comma-separated list of whole numbers",
			               opt, s);
		memcpy(item, p, len);
		item[len] = '\0';
		if (parse_long(opt, item, min, max, &out[n], msg, msg_len) != 0)
			return -1;
		n++;
		if (!comma)
			break;
		p = comma + 1;
	}
	*count = n;
	return 0;
}

static int
parse_choice(const char *opt, const char *s, const char *a, const char *b, int *out, char *msg,
             size_t msg_len)
{
	if (strcmp(s, a) == 0)
		*out = 0;
	else if (strcmp(s, b) == 0)
		*out = 1;
	else
		return cw_fail(msg, msg_len, "%s: '%s' is not one of %s, %s", opt, s, a, b);
	return 0;
}

/* Every option: its long name, whether it takes a value, its id (a short
 * letter where it has one). */
static const struct option long_options[] = {
	{"input", required_argument, NULL, 'i'},
	{"target", required_argument, NULL, 't'},
	{"output", required_argument, NULL, 'o'},
	{"name", required_argument, NULL, OPT_NAME},
	{"val-input", required_argument, NULL, OPT_VAL_INPUT},
	{"val-target", required_argument, NULL, OPT_VAL_TARGET},
	{"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
	{"resume", required_argument, NULL, OPT_RESUME},
	{"report", required_argument, NULL, OPT_REPORT},
	{"plot", required_argument, NULL, OPT_PLOT},
	{"hidden", required_argument, NULL, OPT_HIDDEN},
	{"modules", required_argument, NULL, OPT_MODULES},
	{"sizes", required_argument, NULL, OPT_SIZES},
	{"periods", required_argument, NULL, OPT_PERIODS},
	{"epochs", required_argument, NULL, OPT_EPOCHS},
	{"seconds", required_argument, NULL, OPT_SECONDS},
	{"batch", required_argument, NULL, OPT_BATCH},
	{"segment", required_argument, NULL, OPT_SEGMENT},
	{"warmup", required_argument, NULL, OPT_WARMUP},
	{"lr", required_argument, NULL, OPT_LR},
	{"momentum", required_argument, NULL, OPT_MOMENTUM},
	{"optimizer", required_argument, NULL, OPT_OPTIMIZER},
	{"loss", required_argument, NULL, OPT_LOSS},
	{"preemph", required_argument, NULL, OPT_PREEMPH},
	{"seed", required_argument, NULL, OPT_SEED},
	{"threads", required_argument, NULL, OPT_THREADS},
	{"val", required_argument, NULL, OPT_VAL},
	{"patience", required_argument, NULL, OPT_PATIENCE},
	{"init-sigma", required_argument, NULL, OPT_INIT_SIGMA},
	{"clip", required_argument, NULL, OPT_CLIP},
	{"max-latency", required_argument, NULL, OPT_MAX_LATENCY},
	{"no-skip", no_argument, NULL, OPT_NO_SKIP},
	{"mixdown", no_argument, NULL, OPT_MIXDOWN},
	{"notes", required_argument, NULL, OPT_NOTES},
	{"cycle", required_argument, NULL, OPT_CYCLE},
	{"pairs", required_argument, NULL, OPT_PAIRS},
	{"knob", required_argument, NULL, OPT_KNOB},
	{"capture", required_argument, NULL, OPT_CAPTURE},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0}};

/* The long name of an option id, for messages. */
static const char *
option_long_name(int id)
{
	for (const struct option *p = long_options; p->name; p++)
		if (p->val == id)
			return p->name;
	return "?";
}

int
options_given(const train_options *o, int id)
{
	return id >= 0 && id < OPT_ID_COUNT && o->given[id];
}

/* Stores one option. Returns 0 or -1 with msg. */
static int
set_option(train_options *o, int id, const char *v, char *msg, size_t len)
{
	char opt[48];
	snprintf(opt, sizeof opt, "--%s", option_long_name(id));
	long list[CWRNN_MAX_MODULES];
	int choice = 0;
	switch (id) {
	case 'i': o->input = v; break;
	case 't': o->target = v; break;
	case 'o': o->output = v; break;
	case OPT_NAME:
		if (strlen(v) > CWRNN_NAME_MAX)
			return cw_fail(msg, len, "--name: longer than %d bytes", CWRNN_NAME_MAX);
		o->name = v;
		break;
	case OPT_VAL_INPUT: o->val_input = v; break;
	case OPT_VAL_TARGET: o->val_target = v; break;
	case OPT_CHECKPOINT: o->checkpoint = v; break;
	case OPT_RESUME: o->resume = v; break;
	case OPT_REPORT: o->report = v; break;
	case OPT_PLOT: o->plot = v; break;
	case OPT_HIDDEN: return parse_int(opt, v, 1, CWRNN_MAX_UNITS, &o->hidden, msg, len);
	case OPT_MODULES: return parse_int(opt, v, 1, CWRNN_MAX_MODULES, &o->modules, msg, len);
	case OPT_SIZES:
		if (parse_list(opt, v, 1, CWRNN_MAX_MODULE_UNITS, list, &o->n_sizes, msg, len) != 0)
			return -1;
		for (int i = 0; i < o->n_sizes; i++)
			o->sizes[i] = (int)list[i];
		break;
	case OPT_PERIODS:
		if (parse_list(opt, v, 1, CWRNN_MAX_PERIOD, list, &o->n_periods, msg, len) != 0)
			return -1;
		for (int i = 0; i < o->n_periods; i++)
			o->periods[i] = (uint32_t)list[i];
		break;
	case OPT_EPOCHS: return parse_int(opt, v, 0, 100000000, &o->epochs, msg, len);
	case OPT_SECONDS: return parse_double(opt, v, 0.0, 1e7, &o->seconds, msg, len);
	case OPT_BATCH: return parse_int(opt, v, 1, 4096, &o->batch, msg, len);
	case OPT_SEGMENT: return parse_int(opt, v, 1, 1 << 20, &o->segment, msg, len);
	case OPT_WARMUP: return parse_int(opt, v, 0, 1 << 20, &o->warmup, msg, len);
	case OPT_LR: return parse_double(opt, v, 1e-12, 10.0, &o->lr, msg, len);
	case OPT_MOMENTUM: return parse_double(opt, v, 0.0, 0.999999, &o->momentum, msg, len);
	case OPT_OPTIMIZER:
		if (parse_choice(opt, v, "adam", "nesterov", &choice, msg, len) != 0)
			return -1;
		o->optimizer = choice ? CWRNN_OPT_NESTEROV : CWRNN_OPT_ADAM;
		break;
	case OPT_LOSS:
		if (!strcmp(v, "sse"))
			o->loss = TRAIN_LOSS_SSE;
		else if (parse_choice(opt, v, "mse", "esr", &choice, msg, len) == 0)
			o->loss = choice ? TRAIN_LOSS_ESR : TRAIN_LOSS_MSE;
		else
			return cw_fail(msg, len, "--loss: '%s' is not one of mse, esr, sse", v);
		break;
	case OPT_PREEMPH: return parse_double(opt, v, 0.0, 0.999, &o->preemph, msg, len);
	case OPT_SEED: return parse_seed(v, &o->seed, msg, len);
	case OPT_THREADS: return parse_int(opt, v, 1, 256, &o->threads, msg, len);
	case OPT_VAL: return parse_double(opt, v, 0.0, 0.9, &o->val, msg, len);
	case OPT_PATIENCE: return parse_int(opt, v, 0, 100000000, &o->patience, msg, len);
	case OPT_INIT_SIGMA: return parse_double(opt, v, 0.0, 10.0, &o->init_sigma, msg, len);
	case OPT_CLIP: return parse_double(opt, v, 0.0, 1e6, &o->clip, msg, len);
	case OPT_MAX_LATENCY: return parse_double(opt, v, 0.0, 1000.0, &o->max_latency_ms, msg, len);
	case OPT_PAIRS: o->pairs = v; break;
	case OPT_CAPTURE: o->capture = v; break;
	case OPT_KNOB:
		if (o->n_knob_ranges == PAIRS_MAX_KNOBS)
			return cw_fail(msg, len, "--knob: at most %d knobs", PAIRS_MAX_KNOBS);
		if (knob_range_parse(v, &o->knob_ranges[o->n_knob_ranges], msg, len) != 0)
			return -1;
		for (int k = 0; k < o->n_knob_ranges; k++)
			if (!strcmp(o->knob_ranges[k].name, o->knob_ranges[o->n_knob_ranges].name))
				return cw_fail(msg, len, "--knob %s given twice", o->knob_ranges[k].name);
		o->n_knob_ranges++;
		break;
	case OPT_NO_SKIP: o->skip = 0; break;
	case OPT_MIXDOWN: o->mixdown = 1; break;
	case OPT_NOTES: o->notes = v; break;
	case OPT_CYCLE: return parse_int(opt, v, 4, 4096, &o->cycle, msg, len);
	case 'q': o->quiet = 1; break;
	default: return cw_fail(msg, len, "internal: option %d has no handler", id);
	}
	return 0;
}

/* Which files each task needs, and options that make no sense for it. */
static int
check_task(const train_options *o, char *msg, size_t len)
{
	const char *task = task_names[o->task];
	if (!o->output)
		return cw_fail(msg, len, "no output model: give -o MODEL.cwrnn");
	if (!o->instrument && (o->notes || options_given(o, OPT_CYCLE)))
		return cw_fail(msg, len, "--notes and --cycle are for the instrument task");
	if ((o->task != CWRNN_TASK_TRANSFORM || o->instrument) &&
	    (o->pairs || o->capture || o->n_knob_ranges > 0))
		return cw_fail(msg, len, "--pairs, --capture and --knob are for transform");
	if (o->instrument) {
		if (!o->notes)
			return cw_fail(msg, len, "instrument needs --notes NOTES.txt (the recorded notes)");
		if (o->input || o->target || o->val_input || o->val_target)
			return cw_fail(msg, len, "instrument learns from --notes only: it takes no "
			               "--input, --target, --val-input or --val-target");
	} else if (o->task == CWRNN_TASK_GENERATE) {
		if (!o->target)
			return cw_fail(msg, len, "generate needs --target T.wav (the audio to learn)");
		if (o->input)
			return cw_fail(msg, len, "generate takes no --input (it plays from silence)");
		if (o->val_input || o->val_target)
			return cw_fail(msg, len, "generate holds out the end of --target with --val; "
			               "--val-input/--val-target apply to transform and continue");
	} else if (o->task == CWRNN_TASK_TRANSFORM) {
		int sources = (o->input || o->target) + !!o->pairs + !!o->capture;
		if (sources != 1)
			return cw_fail(msg, len, "transform needs one of: --input DRY.wav and --target "
			               "WET.wav, --pairs PAIRS.txt, or --capture RECORDED.wav");
		if (!o->pairs && !o->capture && (!o->input || !o->target))
			return cw_fail(msg, len, "transform needs --input DRY.wav and --target WET.wav");
		if ((o->pairs || o->capture) && (o->val_input || o->val_target))
			return cw_fail(msg, len, "--pairs and --capture hold out the end of every pair "
			               "(--val); --val-input/--val-target go with --input/--target");
		if (o->n_knob_ranges > 0 && !o->pairs)
			return cw_fail(msg, len, "--knob declares the range of a knob of --pairs");
		if (!o->val_input != !o->val_target)
			return cw_fail(msg, len, "transform needs both --val-input and --val-target, or neither");
	} else {
		if (!o->input)
			return cw_fail(msg, len, "continue needs --input X.wav (the audio to predict)");
		if (o->target || o->val_target)
			return cw_fail(msg, len, "continue predicts its own input: it takes no --target "
			               "(use --val-input for a validation file)");
	}
	if (o->epochs == 0 && o->seconds == 0.0)
		return cw_fail(msg, len, "%s: --epochs 0 and --seconds 0 would never stop; "
		               "give one of them", task);
	return 0;
}

int
options_parse(train_options *o, int argc, char **argv, char *msg, size_t len)
{
	if (argc < 2)
		return cw_fail(msg, len, "no task given: use generate, transform, continue or "
		               "instrument (see --help)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return 1;
	int task = -1;
	for (int i = 0; i < 3; i++)
		if (!strcmp(argv[1], task_names[i]))
			task = i;
	if (!strcmp(argv[1], "instrument"))
		instrument_defaults(o);
	else if (task < 0)
		return cw_fail(msg, len, "unknown task '%s': use generate, transform, continue or "
		               "instrument", argv[1]);
	else
		options_defaults(o, (cwrnn_task)task);
	o->argc = argc;
	o->argv = argv;
	/* The options follow the task: parse argv[1..] as if the task were the
	 * program's name. */
	int at = 0, id;
	const char *value;
	while ((id = cli_next(argc - 1, argv + 1, "i:t:o:qh", long_options, &at, &value, msg,
	                      len)) != -1) {
		if (id == -2)
			return -1;
		if (id == 'h')
			return 1;
		if (set_option(o, id, value, msg, len) != 0)
			return -1;
		o->given[id] = 1;
	}
	/* A time budget is used whole: the epoch limit and the patience stop
	 * it early only when given (the learning rate anneals over the budget,
	 * so the last minutes are the ones that improve most). */
	if (o->seconds > 0.0) {
		if (!options_given(o, OPT_EPOCHS))
			o->epochs = 0;
		if (!options_given(o, OPT_PATIENCE))
			o->patience = 0;
	}
	cwrnn_config cfg;
	if (options_architecture(o, &cfg, msg, len) != 0)
		return -1;
	return check_task(o, msg, len);
}

int
options_architecture(const train_options *o, cwrnn_config *cfg, char *msg, size_t len)
{
	int g = o->modules;
	memset(cfg, 0, sizeof *cfg);
	if (o->n_sizes > 0) {
		int sum = 0;
		for (int i = 0; i < o->n_sizes; i++)
			sum += o->sizes[i];
		if (options_given(o, OPT_MODULES) && o->modules != o->n_sizes)
			return cw_fail(msg, len, "--sizes lists %d modules but --modules is %d", o->n_sizes,
			               o->modules);
		if (options_given(o, OPT_HIDDEN) && o->hidden != sum)
			return cw_fail(msg, len, "--sizes adds up to %d units but --hidden is %d", sum,
			               o->hidden);
		if (sum > CWRNN_MAX_UNITS)
			return cw_fail(msg, len, "--sizes adds up to %d units (at most %d)", sum,
			               CWRNN_MAX_UNITS);
		g = o->n_sizes;
		memcpy(cfg->sizes, o->sizes, sizeof cfg->sizes);
	} else {
		if (o->hidden < g)
			return cw_fail(msg, len, "--hidden %d is fewer units than --modules %d", o->hidden, g);
		for (int i = 0; i < g; i++)
			cfg->sizes[i] = o->hidden / g + (i < o->hidden % g);
	}
	if (o->n_periods > 0) {
		if (o->n_periods != g)
			return cw_fail(msg, len, "--periods lists %d periods but there are %d modules",
			               o->n_periods, g);
		for (int i = 1; i < g; i++)
			if (o->periods[i] < o->periods[i - 1])
				return cw_fail(msg, len, "--periods must not decrease (modules go from fast to "
				               "slow): %u comes after %u", o->periods[i], o->periods[i - 1]);
		memcpy(cfg->periods, o->periods, sizeof cfg->periods);
	} else {
		for (int i = 0; i < g; i++)
			cfg->periods[i] = i < 30 ? 1u << i : CWRNN_MAX_PERIOD;
	}
	cfg->n_modules = g;
	cfg->n_inputs = o->task == CWRNN_TASK_GENERATE ? 0 : 1;
	if (o->instrument)
		notes_controls(cfg);
	cfg->n_outputs = 1;
	cfg->skip = o->task == CWRNN_TASK_TRANSFORM ? o->skip : 0;
	cfg->task = o->task;
	cfg->sample_rate = 44100.0f;
	cfg->in_scale = 1.0f;
	cfg->out_scale = 1.0f;
	return cwrnn_config_check(cfg, msg, len);
}

/* A refusal of an option that contradicts the checkpoint. */
static int
conflict(const train_options *o, int id, const char *has, char *msg, size_t len)
{
	return cw_fail(msg, len, "--%s contradicts checkpoint '%s', which has %s: leave the option "
	               "out (the checkpoint's is used) or train afresh without --resume",
	               option_long_name(id), o->resume, has);
}

int
options_check_resume(const train_options *o, const cwrnn_config *net,
                     cwrnn_optimizer_kind kind, double lr, double momentum, char *msg,
                     size_t len)
{
	char has[160];
	/* An instrument is a generator with controls (a transform's are knobs). */
	int instrument = net->task == CWRNN_TASK_GENERATE && net->n_controls > 0;
	if (net->task != o->task || o->instrument != instrument)
		return cw_fail(msg, len, "checkpoint '%s' is for %s, not %s", o->resume,
		               instrument ? "instrument" : options_task_name(net->task),
		               options_command(o));
	int hidden = 0, same_sizes = o->n_sizes == net->n_modules,
	    same_periods = o->n_periods == net->n_modules;
	for (int i = 0; i < net->n_modules; i++) {
		hidden += net->sizes[i];
		same_sizes = same_sizes && o->sizes[i] == net->sizes[i];
		same_periods = same_periods && o->periods[i] == net->periods[i];
	}
	snprintf(has, sizeof has, "%d hidden units in %d modules", hidden, net->n_modules);
	if (options_given(o, OPT_HIDDEN) && o->hidden != hidden)
		return conflict(o, OPT_HIDDEN, has, msg, len);
	if (options_given(o, OPT_MODULES) && o->modules != net->n_modules)
		return conflict(o, OPT_MODULES, has, msg, len);
	if (options_given(o, OPT_SIZES) && !same_sizes)
		return conflict(o, OPT_SIZES, "other module sizes", msg, len);
	if (options_given(o, OPT_PERIODS) && !same_periods)
		return conflict(o, OPT_PERIODS, "other module periods", msg, len);
	if (options_given(o, OPT_NO_SKIP) && net->skip)
		return conflict(o, OPT_NO_SKIP, "a skip connection", msg, len);
	if (options_given(o, OPT_OPTIMIZER) && o->optimizer != kind)
		return conflict(o, OPT_OPTIMIZER, kind == CWRNN_OPT_ADAM ? "adam" : "nesterov", msg, len);
	snprintf(has, sizeof has, "%g", lr);
	if (options_given(o, OPT_LR) && o->lr != lr)
		return conflict(o, OPT_LR, has, msg, len);
	snprintf(has, sizeof has, "%g", momentum);
	if (options_given(o, OPT_MOMENTUM) && o->momentum != momentum)
		return conflict(o, OPT_MOMENTUM, has, msg, len);
	return 0;
}

void
options_usage(FILE *f)
{
	fputs(
	"Usage: cwrnn-train generate  --target T.wav              -o M.cwrnn [options]\n"
	"  or:  cwrnn-train transform --input X.wav --target Y.wav -o M.cwrnn [options]\n"
	"  or:  cwrnn-train continue  --input X.wav               -o M.cwrnn [options]\n"
	"  or:  cwrnn-train instrument --notes NOTES.txt          -o M.cwrnn [options]\n"
	"  or:  cwrnn-train transform --pairs PAIRS.txt           -o M.cwrnn [options]\n"
	"  or:  cwrnn-train transform --capture RECORDED.wav      -o M.cwrnn [options]\n"
	"  or:  cwrnn-train capture-signal -o capture.wav [--rate R]\n"
	"\n"
	"Trains a Clockwork RNN on audio and writes a .cwrnn model (play it with\n"
	"cwrnn-render or the cwrnn LV2 plugin).\n"
	"  generate   learn to produce T.wav from silence (the clock starts at T's\n"
	"             first sample); truncated BPTT through the file in --segment chunks\n"
	"  transform  learn an effect from a dry/wet pair; a constant latency between\n"
	"             the files is found and removed; the dry signal is added to the\n"
	"             output (skip connection) unless --no-skip; with --pairs, from\n"
	"             the effect at several knob settings (the knobs become inputs);\n"
	"             with --capture, from a recording of the capture signal\n"
	"  continue   next-sample prediction (input x(t) = audio(t-1), target audio(t))\n"
	"  instrument learn a playable instrument from recorded notes: the network's\n"
	"             inputs are each note's velocity, gate (held / released) and MIDI\n"
	"             note; every note is resampled to --cycle samples per cycle and all\n"
	"             run in lockstep from silence (generate's options and defaults,\n"
	"             but --hidden 44 --modules 11 --epochs 200 --segment 1024)\n"
	"\n"
	"Options take their value as --name VALUE or --name=VALUE.\n"
	"\n"
	"Files (WAV, or any format libsndfile reads; mono unless --mixdown):\n"
	"  -i, --input FILE       dry input (transform) or the audio (continue)\n"
	"  -t, --target FILE      the audio to produce (generate, transform)\n"
	"  -o, --output FILE      model to write (atomically; required)\n"
	"      --name NAME        model name (default: -o's base name)\n"
	"      --val-input FILE   validation input, instead of --val\n"
	"      --val-target FILE  validation target (transform)\n"
	"      --mixdown          average the channels of multichannel files\n"
	"      --max-latency MS   latency search range, +-MS (transform; 0: off) [50]\n"
	"      --notes FILE       instrument: the manifest, one note a line:\n"
	"                         FILE note=N velocity=V release=SECONDS (# comments;\n"
	"                         paths relative to the manifest)\n"
	"      --pairs FILE       transform: one pair a line, DRY WET name=value...\n"
	"                         (at most 4 knobs, the same on every line; # comments;\n"
	"                         paths relative to FILE; DRY may be the word capture);\n"
	"                         every pair's latency removed, its end held out\n"
	"      --knob N:MIN:MAX   the range of knob N (default: the values in --pairs)\n"
	"      --capture FILE     transform: a recording of the capture signal (made\n"
	"                         by capture-signal), located by its clicks; ends with\n"
	"                         a verdict: great / good / usable / poor\n"
	"      --cycle N          instrument: samples per cycle of every note; the\n"
	"                         model's rate is N x 440 Hz, A4's [32]\n"
	"\n"
	"Defaults below are for generate / transform / continue.\n"
	"Network:\n"
	"      --hidden N         hidden units [40 / 32 / 40]\n"
	"      --modules G        modules, units split evenly [9 / 8 / 8]\n"
	"      --sizes A,B,..     explicit module sizes, fast to slow (sets both above)\n"
	"      --periods A,B,..   module periods, non-decreasing [1,2,4,..,2^(G-1)]\n"
	"      --no-skip          transform: no dry signal added to the output\n"
	"      --init-sigma S     initial weights N(0, S^2); 0: 1/sqrt(fan-in) [0]\n"
	"\n"
	"Training:\n"
	"      --epochs E         passes over the training audio; 0: none [300/100/100]\n"
	"      --seconds S        time budget, used whole: the learning rate follows a\n"
	"                         cosine from --lr to --lr/100 over it, and --epochs\n"
	"                         and --patience stop it only when given [0: none]\n"
	"      --batch B          segments per update (generate: always 1) [1/16/16]\n"
	"      --segment N        samples of each segment that count in the loss; for\n"
	"                         generate, the truncated-BPTT chunk [512/2048/1024]\n"
	"      --warmup N         samples run from the zero state before each segment's\n"
	"                         loss starts (transform, continue) [0/256/256]\n"
	"      --lr R             learning rate [3e-3/5e-3/3e-3]\n"
	"      --optimizer adam|nesterov  [adam]\n"
	"      --momentum M       Nesterov momentum [0.95]\n"
	"      --loss mse|esr|sse mean squared error, error-to-signal ratio, or the\n"
	"                         paper's 0.5 x sum of squared errors [mse/esr/esr]\n"
	"      --preemph A        loss pre-emphasis e(t) - A e(t-1); 0: off [0/0.85/0]\n"
	"      --clip C           clip the gradient norm to C; 0: off [1]\n"
	"      --seed N           initial weights and segment choice [1]\n"
	"      --threads N        threads splitting the batch [all cores]\n"
	"      --val F            fraction held out from the end for validation;\n"
	"                         0: validate on the training audio [0/0.1/0.1]\n"
	"      --patience P       stop after P epochs without a better validation ESR;\n"
	"                         0: off [0/20/20]\n"
	"\n"
	"Output and recovery:\n"
	"      --checkpoint FILE  save weights, optimizer, epoch (every 5 s, and at end)\n"
	"      --resume FILE      continue from a checkpoint; its network, scales, skip\n"
	"                         and optimizer are used (an option that contradicts\n"
	"                         them is refused); --epochs counts its epochs too\n"
	"      --report FILE      JSON: configuration, numbers, learning curve\n"
	"      --plot FILE        SVG plot of the training and validation curves\n"
	"  -q, --quiet            no progress output\n"
	"  -h, --help             this help\n"
	"\n"
	"The best model by validation ESR is written. Ctrl-C (or SIGTERM) finishes the\n"
	"current update, writes the best model so far and the checkpoint, and exits 130\n"
	"(143). Exit codes: 0 done, 1 bad options, 2 bad input data, 3 cannot write an\n"
	"output, 4 training diverged, 5 out of memory or engine failure.\n",
	f);
}
