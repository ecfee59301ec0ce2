/* cwrnn-render: runs a model offline with the float engine, exactly as the
 * plugin does (one cwrnn_state, the input processed as is). */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cwrnn.h"
#include "dataset.h"
#include "options.h"
#include "util.h"
#include "wav.h"

enum { EXIT_OPTIONS = 1, EXIT_DATA = 2, EXIT_WRITE = 3, EXIT_INTERNAL = 5 };

#define BLOCK 4096  /* frames per cwrnn_process call */

/* One --knob NAME=VALUE, checked against the model once it is loaded. */
typedef struct {
	char name[CWRNN_CONTROL_NAME_MAX + 2]; /* one byte more: a longer name is unknown */
	const char *value;                     /* parsed against the knob's range */
} knob_setting;

typedef struct {
	const char *model_path, *input_path, *output_path, *target_path;
	double seconds;
	int mixdown;
	knob_setting knobs[CWRNN_MAX_CONTROLS];
	int n_knobs;
} render_options;

/* Everything the program owns; cleanup() releases it all. */
typedef struct {
	render_options opt;
	cwrnn_model *model;
	cwrnn_state *state;
	wav_audio input, target;
	float controls[CWRNN_MAX_CONTROLS]; /* each control's value, in its units */
	float *in, *out;  /* (in_frames, m) and (frames, p) */
	size_t in_frames;
	size_t frames;
	char msg[1024];
} app;

static void
cleanup(app *a)
{
	cwrnn_state_free(a->state);
	cwrnn_model_free(a->model);
	wav_free(&a->input);
	wav_free(&a->target);
	free(a->in);
	free(a->out);
}

static int
fatal(app *a, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
fatal(app *a, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_verror("cwrnn-render", fmt, ap);
	va_end(ap);
	cleanup(a);
	return code;
}

static void
usage(FILE *f)
{
	fputs("Usage: cwrnn-render -m MODEL.cwrnn [-i IN.wav] -o OUT.wav [options]\n"
	      "\n"
	      "Runs a model with the float engine (as the plugin does) and writes a 32-bit float\n"
	      "WAV at the model's sample rate.\n"
	      "  generate models   play --seconds from silence (no -i)\n"
	      "  transform models  process -i (its rate must be the model's)\n"
	      "  continue models   are primed on -i (predicting each next sample), then run on\n"
	      "                    their own output for --seconds more\n"
	      "Options take their value as --name VALUE or --name=VALUE.\n"
	      "  -m, --model FILE  the model\n"
	      "  -i, --input FILE  input audio (transform, continue)\n"
	      "  -o, --output FILE output WAV (written atomically)\n"
	      "      --seconds S   generate / continue length [2]\n"
	      "      --target FILE print the ESR and NMSE of the output against this file\n"
	      "      --mixdown     average the channels of a multichannel input\n"
	      "      --knob NAME=VALUE  set one of the model's knobs, in its own units and\n"
	      "                    range (repeatable; unset knobs, velocity and gate play\n"
	      "                    their defaults)\n"
	      "  -h, --help        this help\n"
	      "Exit codes: 0 done, 1 bad options, 2 bad model or input, 3 cannot write.\n",
	      f);
}

enum { RENDER_SECONDS = 128, RENDER_TARGET, RENDER_MIXDOWN, RENDER_KNOB };

static const struct option long_options[] = {
	{"model", required_argument, NULL, 'm'},
	{"input", required_argument, NULL, 'i'},
	{"output", required_argument, NULL, 'o'},
	{"seconds", required_argument, NULL, RENDER_SECONDS},
	{"target", required_argument, NULL, RENDER_TARGET},
	{"mixdown", no_argument, NULL, RENDER_MIXDOWN},
	{"knob", required_argument, NULL, RENDER_KNOB},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0}};

/* NAME=VALUE; name and value are checked against the model once loaded. */
static int
parse_knob(render_options *o, const char *v, char *msg, size_t len)
{
	const char *eq = strchr(v, '=');
	if (!eq || eq == v)
		return cw_fail(msg, len, "--knob '%s': give NAME=VALUE, e.g. --knob drive=0.5", v);
	if (o->n_knobs == CWRNN_MAX_CONTROLS)
		return cw_fail(msg, len, "--knob '%s': more than %d knobs", v, CWRNN_MAX_CONTROLS);
	knob_setting *k = &o->knobs[o->n_knobs++];
	size_t n = (size_t)(eq - v) < sizeof k->name - 1 ? (size_t)(eq - v) : sizeof k->name - 1;
	memcpy(k->name, v, n);
	k->name[n] = '\0';
	k->value = eq + 1;
	return 0;
}

static int
parse(render_options *o, int argc, char **argv, char *msg, size_t len)
{
	memset(o, 0, sizeof *o);
	o->seconds = 2.0;
	int at = 0, id;
	const char *v;
	while ((id = cli_next(argc, argv, "m:i:o:h", long_options, &at, &v, msg, len)) != -1) {
		switch (id) {
		case -2: return -1;
		case 'h': return 1;
		case 'm': o->model_path = v; break;
		case 'i': o->input_path = v; break;
		case 'o': o->output_path = v; break;
		case RENDER_TARGET: o->target_path = v; break;
		case RENDER_MIXDOWN: o->mixdown = 1; break;
		case RENDER_KNOB:
			if (parse_knob(o, v, msg, len) != 0)
				return -1;
			break;
		case RENDER_SECONDS:
			if (parse_double("--seconds", v, 0.0, 86400.0, &o->seconds, msg, len) != 0)
				return -1;
			break;
		}
	}
	if (!o->model_path || !o->output_path)
		return cw_fail(msg, len, "give a model with -m and an output with -o (see --help)");
	return 0;
}

/* The model's knobs, for messages: "drive 0..10, tone -1..1" or "none". */
static void
list_knobs(const cwrnn_config *c, char *out, size_t len)
{
	size_t at = 0;
	snprintf(out, len, "none");
	for (int i = 0; i < c->n_controls && at < len; i++) {
		const cwrnn_control *k = &c->controls[i];
		if (k->kind != CWRNN_CONTROL_KNOB)
			continue;
		int n = snprintf(out + at, len - at, "%s%s %g..%g", at ? ", " : "", k->name,
		                 (double)k->min, (double)k->max);
		if (n < 0)
			break;
		at += (size_t)n;
	}
}

/* Every control at its default, then each --knob: a knob of the model, set
 * once, to a number within its range. */
static int
set_controls(app *a)
{
	const cwrnn_config *c = &a->model->config;
	for (int i = 0; i < c->n_controls; i++)
		a->controls[i] = c->controls[i].def;
	char knobs[512];
	for (int k = 0; k < a->opt.n_knobs; k++) {
		const knob_setting *s = &a->opt.knobs[k];
		int i = 0;
		while (i < c->n_controls &&
		       !(c->controls[i].kind == CWRNN_CONTROL_KNOB && !strcmp(c->controls[i].name, s->name)))
			i++;
		list_knobs(c, knobs, sizeof knobs);
		if (i == c->n_controls) {
			snprintf(a->msg, sizeof a->msg, "--knob %s: '%s' has no knob of that name (its knobs: %s)",
			         s->name, a->opt.model_path, knobs);
			return EXIT_OPTIONS;
		}
		for (int j = 0; j < k; j++)
			if (!strcmp(a->opt.knobs[j].name, s->name)) {
				snprintf(a->msg, sizeof a->msg, "--knob %s is given twice", s->name);
				return EXIT_OPTIONS;
			}
		const cwrnn_control *ctl = &c->controls[i];
		char opt[64];
		double value;
		snprintf(opt, sizeof opt, "--knob %s", s->name);
		/* The range is in floats and so is the value the network gets:
		 * check the float (0.2 is just below 0.2f, a 0.2..0.8 knob's end). */
		if (parse_double(opt, s->value, -FLT_MAX, FLT_MAX, &value, a->msg, sizeof a->msg) != 0)
			return EXIT_OPTIONS;
		if ((float)value < ctl->min || (float)value > ctl->max) {
			snprintf(a->msg, sizeof a->msg, "%s: %g is out of range (expected %g..%g)", opt, value,
			         (double)ctl->min, (double)ctl->max);
			return EXIT_OPTIONS;
		}
		a->controls[i] = (float)value;
	}
	return 0;
}

static int
load_input(app *a)
{
	const cwrnn_config *c = &a->model->config;
	const char *path = a->opt.input_path;
	if (c->task == CWRNN_TASK_GENERATE) {
		if (path)
			snprintf(a->msg, sizeof a->msg, "'%s' is a generate model: it takes no -i",
			         a->opt.model_path);
		return path ? EXIT_OPTIONS : 0;
	}
	if (!path) {
		snprintf(a->msg, sizeof a->msg, "'%s' is a %s model: give its input with -i IN.wav",
		         a->opt.model_path, options_task_name(c->task));
		return EXIT_OPTIONS;
	}
	if (wav_read(path, &a->input, a->msg, sizeof a->msg) != 0)
		return EXIT_DATA;
	int audio = c->n_inputs - c->n_controls;
	if (a->input.channels != audio &&
	    (audio != 1 || wav_to_mono(&a->input, path, a->opt.mixdown, a->msg,
	                               sizeof a->msg) != 0)) {
		if (audio != 1)
			snprintf(a->msg, sizeof a->msg, "'%s' has %d channels but the model takes %d", path,
			         a->input.channels, audio);
		return EXIT_DATA;
	}
	if ((float)a->input.rate != c->sample_rate) {
		snprintf(a->msg, sizeof a->msg, "'%s' is %d Hz but the model was trained at %g Hz; "
		         "resample the input", path, a->input.rate, c->sample_rate);
		return EXIT_DATA;
	}
	return 0;
}

/* Runs the model: transform over the input; generate for --seconds;
 * continue primed on the input, then on its own output. */
static void
run(app *a)
{
	const cwrnn_config *c = &a->model->config;
	size_t m = (size_t)c->n_inputs, p = (size_t)c->n_outputs;
	if (c->task == CWRNN_TASK_TRANSFORM) {
		for (size_t at = 0; at < a->frames; at += BLOCK) {
			size_t n = a->frames - at < BLOCK ? a->frames - at : BLOCK;
			cwrnn_process(a->state, a->in + at * m, a->out + at * p, n);
		}
	} else if (c->task == CWRNN_TASK_GENERATE) {
		/* no audio; controls (if any) held in a->in */
		for (size_t at = 0; at < a->frames; at += BLOCK) {
			size_t n = a->frames - at < BLOCK ? a->frames - at : BLOCK;
			cwrnn_process(a->state, m ? a->in + at * m : NULL, a->out + at * p, n);
		}
	} else {
		/* x(t) = audio(t - 1) while priming (silence before the first
		 * sample), then the model's own previous output; controls held. */
		size_t audio = m - (size_t)c->n_controls;
		float *x = calloc(m, sizeof *x);
		size_t primed = a->input.frames;
		for (size_t t = 0; t < a->frames && x; t++) {
			if (t == 0)
				memcpy(x + audio, a->controls, (size_t)c->n_controls * sizeof *x);
			cwrnn_step(a->state, x, a->out + t * p);
			const float *next = t < primed ? a->in + t * m : a->out + t * p;
			memcpy(x, next, audio * sizeof *x);
		}
		free(x);
	}
}

/* Reads --target before anything is rendered, so a bad one writes nothing. */
static int
load_target(app *a)
{
	const char *path = a->opt.target_path;
	const cwrnn_config *c = &a->model->config;
	if (!path)
		return 0;
	if (wav_read(path, &a->target, a->msg, sizeof a->msg) != 0 ||
	    (c->n_outputs == 1 && wav_to_mono(&a->target, path, a->opt.mixdown, a->msg,
	                                      sizeof a->msg) != 0))
		return EXIT_DATA;
	if (a->target.channels != c->n_outputs || (float)a->target.rate != c->sample_rate) {
		snprintf(a->msg, sizeof a->msg, "'%s' (%d channels, %d Hz) does not match the output "
		         "(%d channels, %g Hz)", path, a->target.channels, a->target.rate,
		         c->n_outputs, c->sample_rate);
		return EXIT_DATA;
	}
	return 0;
}

/* ESR and NMSE of out(t) against target(t + lag), interleaved channels. */
static void
error_ratios(const app *a, long lag, double *esr, double *nmse)
{
	size_t p = (size_t)a->model->config.n_outputs, shift = (size_t)lag;
	size_t frames = a->frames < a->target.frames - shift ? a->frames : a->target.frames - shift;
	size_t n = frames * p;
	double ee = 0.0, yy = 0.0, ys = 0.0;
	for (size_t i = 0; i < n; i++) {
		double y = a->target.samples[i + shift * p], e = (double)a->out[i] - y;
		ee += e * e;
		yy += y * y;
		ys += y;
	}
	double var = n ? yy / (double)n - (ys / (double)n) * (ys / (double)n) : 0.0;
	*esr = yy > 0.0 ? ee / yy : INFINITY;
	*nmse = var > 0.0 ? ee / (double)n / var : INFINITY;
}

/* Prints the error against --target as is and, for a mono effect whose
 * target lags the output (the trainer removes such a latency before it
 * learns), also with the target aligned by the lag found the same way. */
static void
compare(app *a)
{
	double esr, nmse;
	error_ratios(a, 0, &esr, &nmse);
	printf("cwrnn-render: against %s over %zu samples: ESR %.6g NMSE %.6g\n", a->opt.target_path,
	       a->frames < a->target.frames ? a->frames : a->target.frames, esr, nmse);
	const cwrnn_config *c = &a->model->config;
	if (c->task != CWRNN_TASK_TRANSFORM || c->n_outputs != 1)
		return;
	double *out = malloc(a->frames * sizeof *out);
	if (!out)
		return;
	for (size_t i = 0; i < a->frames; i++)
		out[i] = a->out[i];
	long lag = latency_detect(out, a->frames, a->target.samples, a->target.frames,
	                          (long)(0.05 * c->sample_rate));
	free(out);
	if (lag <= 0 || (size_t)lag >= a->target.frames)
		return;
	error_ratios(a, lag, &esr, &nmse);
	printf("cwrnn-render: with the target's latency of %ld samples removed: ESR %.6g NMSE %.6g\n",
	       lag, esr, nmse);
}

int
main(int argc, char **argv)
{
	app a;
	memset(&a, 0, sizeof a);
	int rc = parse(&a.opt, argc, argv, a.msg, sizeof a.msg);
	if (rc > 0) {
		usage(stdout);
		return 0;
	}
	if (rc < 0)
		return fatal(&a, EXIT_OPTIONS, "%s", a.msg);
	if (cwrnn_model_load(a.opt.model_path, &a.model, a.msg, sizeof a.msg) != CWRNN_OK)
		return fatal(&a, EXIT_DATA, "%s", a.msg);
	const cwrnn_config *c = &a.model->config;
	if ((rc = load_input(&a)) != 0 || (rc = load_target(&a)) != 0)
		return fatal(&a, rc, "%s", a.msg);
	if ((rc = set_controls(&a)) != 0)
		return fatal(&a, rc, "%s", a.msg);
	int audio = c->n_inputs - c->n_controls;
	if (c->task == CWRNN_TASK_CONTINUE && audio != c->n_outputs)
		return fatal(&a, EXIT_DATA, "'%s' is a continue model with %d audio inputs and %d "
		             "outputs; it cannot run on its own output", a.opt.model_path, audio,
		             c->n_outputs);
	size_t extra = (size_t)llround(a.opt.seconds * c->sample_rate);
	a.frames = c->task == CWRNN_TASK_TRANSFORM ? a.input.frames
	           : c->task == CWRNN_TASK_GENERATE ? extra
	                                            : a.input.frames + extra;
	if (a.frames == 0)
		return fatal(&a, EXIT_OPTIONS, "nothing to render: --seconds is 0");
	size_t m = (size_t)c->n_inputs, p = (size_t)c->n_outputs;
	/* the network input, audio then controls, for every frame that has one */
	a.in_frames = c->task == CWRNN_TASK_GENERATE ? a.frames : a.input.frames;
	a.in = calloc(a.in_frames * m + 1, sizeof *a.in);
	a.out = calloc(a.frames * p, sizeof *a.out);
	if (!a.in || !a.out || !(a.state = cwrnn_state_new(a.model)))
		return fatal(&a, EXIT_INTERNAL, "out of memory for %zu frames", a.frames);
	for (size_t t = 0; t < a.in_frames; t++) {
		for (int j = 0; j < audio && t < a.input.frames; j++)
			a.in[t * m + (size_t)j] = (float)a.input.samples[t * (size_t)audio + (size_t)j];
		memcpy(a.in + t * m + audio, a.controls, (size_t)c->n_controls * sizeof *a.in);
	}
	run(&a);
	if (wav_write_float(a.opt.output_path, a.out, a.frames, (int)p, (int)lroundf(c->sample_rate),
	                    a.msg, sizeof a.msg) != 0)
		return fatal(&a, EXIT_WRITE, "%s", a.msg);
	if (a.opt.target_path)
		compare(&a);
	uint64_t events = cwrnn_state_nonfinite_events(a.state);
	if (events > 0)
		fprintf(stderr, "cwrnn-render: warning: the state was reset %llu times after NaN or "
		        "Inf\n", (unsigned long long)events);
	cleanup(&a);
	return 0;
}
