/* cwrnn-train: trains a Clockwork RNN on audio files and writes a model. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "checkpoint.h"
#include "cli.h"
#include "cwrnn.h"
#include "dataset.h"
#include "notes.h"
#include "util.h"
#include "options.h"
#include "pairs.h"
#include "progress.h"
#include "report.h"
#include "train.h"
#include "wav.h"

enum {
	EXIT_OPTIONS = 1,
	EXIT_DATA = 2,
	EXIT_WRITE = 3,
	EXIT_DIVERGED = 4,
	EXIT_INTERNAL = 5
};

#define CHECKPOINT_EVERY 5.0  /* seconds between checkpoints during a run */

/* The signal that asked us to stop (0: none). A signal handler can only
 * reach a global; nothing else is global here. */
static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* Everything the program owns; cleanup() releases it all. */
typedef struct {
	train_options opt;
	wav_audio input, target, val_input, val_target;
	note_manifest manifest;  /* instrument */
	note_set notes;
	pairs_file pairs;      /* --pairs, or the one line --capture stands for */
	wav_audio *dry, *wet;  /* (pairs.n_lines) each */
	wav_audio capture;     /* the capture signal at the recordings' rate */
	dataset ds;
	checkpoint ck;
	trainer *tr;
	cwrnn_model *model;
	progress prog;
	struct timespec last_checkpoint;
	char msg[1024];
} app;

static void
cleanup(app *a)
{
	cwrnn_model_free(a->model);
	trainer_free(a->tr);
	checkpoint_free(&a->ck);
	dataset_free(&a->ds);
	notes_set_free(&a->notes);
	notes_free(&a->manifest);
	for (size_t i = 0; a->dry && i < a->pairs.n_lines; i++) {
		wav_free(&a->dry[i]);
		wav_free(&a->wet[i]);
	}
	free(a->dry);
	free(a->wet);
	pairs_free(&a->pairs);
	wav_free(&a->capture);
	wav_free(&a->input);
	wav_free(&a->target);
	wav_free(&a->val_input);
	wav_free(&a->val_target);
}

static int
fatal(app *a, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int
fatal_line(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An error before anything is owned. */
static int
fatal_line(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_verror("cwrnn-train", fmt, ap);
	va_end(ap);
	return code;
}

static int
fatal(app *a, int code, const char *fmt, ...)
{
	if (a->tr)
		progress_end(&a->prog);
	va_list ap;
	va_start(ap, fmt);
	cli_verror("cwrnn-train", fmt, ap);
	va_end(ap);
	cleanup(a);
	return code;
}

/* An output path must be creatable: its directory exists and is writable
 * and the path is not a directory. Checked before hours of training. */
static int
check_writable(const char *path, const char *what, char *msg, size_t len)
{
	if (!path)
		return 0;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return cw_fail(msg, len, "%s '%s' is a directory; give a file name", what, path);
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
		return cw_fail(msg, len, "%s '%s' is not a regular file (a device, pipe or socket); "
		               "give a file name", what, path);
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	/* Create a file there rather than ask access(): root passes access() in
	 * /proc, /sys and other places it cannot create files, and would only
	 * fail after training (tests/trainer/abuse.sh). */
	char probe[4200];
	snprintf(probe, sizeof probe, "%s/.cwrnn-train-probe-XXXXXX", dir);
	int fd = mkstemp(probe);
	if (fd < 0)
		return cw_fail(msg, len, "cannot write %s '%s': directory '%s': %s", what, path, dir,
		               strerror(errno));
	close(fd);
	unlink(probe);
	return 0;
}

static int
read_mono(app *a, const char *path, wav_audio *w)
{
	if (!path)
		return 0;
	if (wav_read(path, w, a->msg, sizeof a->msg) != 0 ||
	    wav_to_mono(w, path, a->opt.mixdown, a->msg, sizeof a->msg) != 0)
		return -1;
	return 0;
}

/* The model's name: --name, else -o's base name without its extension. */
static void
model_name(const train_options *o, char *name)
{
	const char *base = o->name;
	size_t len;
	if (base) {
		len = strlen(base);
	} else {
		const char *slash = strrchr(o->output, '/');
		base = slash ? slash + 1 : o->output;
		const char *dot = strrchr(base, '.');
		len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	}
	if (len > CWRNN_NAME_MAX)
		len = CWRNN_NAME_MAX;
	memcpy(name, base, len);
	name[len] = '\0';
}

static double
since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + 1e-9 * (double)(now.tv_nsec - t0->tv_nsec);
}

static void
on_update(void *ctx, const trainer *t)
{
	app *a = ctx;
	progress_update(&a->prog, t);
}

static void
on_eval(void *ctx, const trainer *t)
{
	app *a = ctx;
	progress_eval(&a->prog, t);
	if (a->opt.checkpoint && t->update_in_epoch == 0 &&
	    since(&a->last_checkpoint) >= CHECKPOINT_EVERY) {
		char why[512];
		if (checkpoint_save(t, a->opt.checkpoint, why, sizeof why) != 0) {
			progress_end(&a->prog);
			fprintf(stderr, "cwrnn-train: warning: %s\n", why);
		}
		clock_gettime(CLOCK_MONOTONIC, &a->last_checkpoint);
	}
}

/* Appends to a summary of at most CWRNN_SUMMARY_MAX bytes (truncating). */
static void
append(char *s, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
append(char *s, size_t *n, const char *fmt, ...)
{
	size_t cap = CWRNN_SUMMARY_MAX + 1;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(s + *n, cap - *n, fmt, ap);
	va_end(ap);
	if (w > 0)
		*n = *n + (size_t)w < cap ? *n + (size_t)w : cap - 1;
}

/* The model's summary: how it was made and how well it does. Nothing that
 * changes from run to run (no times), so equal runs give equal files. */
static int
summarize(app *a)
{
	const train_options *o = &a->opt;
	const trainer *t = a->tr;
	char *s = malloc(CWRNN_SUMMARY_MAX + 1);
	if (!s)
		return -1;
	size_t n = 0;
	append(s, &n, "cwrnn-train");
	for (int i = 1; i < o->argc; i++)
		append(s, &n, " %s", o->argv[i]);
	append(s, &n, "\ntask: %s\n", options_command(o));
	if (o->notes)
		append(s, &n, "notes: %s (%d notes, %d samples per cycle)\n", o->notes, a->notes.n,
		       o->cycle);
	if (o->input)
		append(s, &n, "input: %s\n", o->input);
	if (o->target)
		append(s, &n, "target: %s\n", o->target);
	if (o->val_input)
		append(s, &n, "validation: %s%s%s\n", o->val_input, o->val_target ? ", " : "",
		    o->val_target ? o->val_target : "");
	if (o->task == CWRNN_TASK_TRANSFORM)
		append(s, &n, "latency: %ld samples\n", a->ds.parts[0].latency);
	append(s, &n, "training samples: %zu, validation samples: %zu (%s)\n", a->ds.n, a->ds.vn,
	    a->ds.val == VAL_FILES ? "files" : a->ds.val == VAL_TRAIN ? "training part" : "held out");
	append(s, &n, "epochs: %d, best epoch %g, validation ESR %.6g, NMSE %.6g\n", t->epoch, t->best_epoch,
	    t->best_esr, t->best_nmse);
	int rc = cwrnn_model_set_summary(a->model, s);
	free(s);
	return rc;
}

/* "PAIRS:LINE: " before a message about one line's audio. */
static void
prefix_line(app *a, const pair_line *pl)
{
	if (pl->line == 0)
		return;  /* --capture: no pairs file */
	char body[sizeof a->msg];
	snprintf(body, sizeof body, "%s", a->msg);
	snprintf(a->msg, sizeof a->msg, "%.200s:%d: %.800s", a->pairs.path, pl->line, body);
}

/* A recording of the capture signal: checked, located by its clicks, cut
 * to the signal's length; *dry is the signal regenerated at its rate. */
static int
capture_dry(app *a, wav_audio *wet, const char *wet_name, const wav_audio **dry,
            const char **dry_name)
{
	if (a->capture.rate != wet->rate) {
		wav_free(&a->capture);
		if (capture_signal(wet->rate, &a->capture, a->msg, sizeof a->msg) != 0)
			return -1;
	}
	long start;
	if (capture_locate(wet, &a->capture, wet_name, &start, a->msg, sizeof a->msg) != 0)
		return -1;
	/* The recording from the signal's first sample, as long as the signal. */
	size_t n = a->capture.frames;
	size_t skip = start > 0 ? (size_t)start : 0, pad = start < 0 ? (size_t)-start : 0;
	double *cut = calloc(n, sizeof *cut);
	if (!cut)
		return cw_fail(a->msg, sizeof a->msg, "out of memory"), -1;
	for (size_t i = pad; i < n && skip + i - pad < wet->frames; i++)
		cut[i] = wet->samples[skip + i - pad];
	free(wet->samples);
	wet->samples = cut;
	wet->frames = n;
	*dry = &a->capture;
	*dry_name = "the capture signal";
	return 0;
}

/* The latency removed from the pairs' recordings. Each pair's is found;
 * when they agree within COMMON_LATENCY_MS they are one device's latency
 * plus the effect's own phase, which moves with its knobs (a DS-1's tone
 * shifts the correlation peak by 11 samples): the smallest is removed from
 * every pair, so the model learns the rest as part of the effect, the same
 * way at every setting. Farther apart, they are recordings made through
 * different paths, and each pair's own is removed
 * (DATASET_FIND_LATENCY). */
#define COMMON_LATENCY_MS 2.0
static long
common_latency(const app *a)
{
	long lo = LONG_MAX, hi = LONG_MIN;
	int rate = 0;
	for (size_t i = 0; i < a->pairs.n_lines; i++) {
		if (!a->pairs.lines[i].dry)
			continue;
		long d = dataset_find_latency(&a->opt, &a->dry[i], &a->wet[i]);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
		rate = a->dry[i].rate;
	}
	if (rate == 0 || (double)(hi - lo) > COMMON_LATENCY_MS * 1e-3 * rate)
		return DATASET_FIND_LATENCY;
	return lo;
}

/* --capture RECORDED.wav: a pairs file of one line, "capture RECORDED.wav". */
static int
capture_pairs(app *a)
{
	pairs_file *pf = &a->pairs;
	memset(pf, 0, sizeof *pf);
	pf->path = a->opt.capture;
	pf->lines = calloc(1, sizeof *pf->lines);
	if (!pf->lines || !(pf->lines[0].wet = strdup(a->opt.capture)))
		return cw_fail(a->msg, sizeof a->msg, "out of memory");
	pf->n_lines = 1;
	return 0;
}

/* --pairs: the file's knobs become controls of cfg; every pair is read,
 * aligned (its own latency) and split (its own held-out end). */
static int
load_pairs(app *a, cwrnn_config *cfg, int resuming, int steps)
{
	train_options *o = &a->opt;
	if (o->pairs ? pairs_read(o->pairs, &a->pairs, a->msg, sizeof a->msg) != 0
	             : capture_pairs(a) != 0)
		return EXIT_DATA;
	const pairs_file *pf = &a->pairs;
	if (resuming) {
		/* The checkpoint's knobs, names and ranges, stand. */
		int same = cfg->n_controls == pf->n_knobs;
		for (int k = 0; same && k < pf->n_knobs; k++)
			same = !strcmp(cfg->controls[k].name, pf->names[k]);
		if (!same)
			return cw_fail(a->msg, sizeof a->msg, "'%s' names other knobs than checkpoint "
			               "'%s' was trained with (%d)", pf->path, o->resume, cfg->n_controls),
			       EXIT_DATA;
		/* A value outside the trained range would reach the network outside 0..1. */
		for (size_t i = 0; i < pf->n_lines; i++)
			for (int k = 0; k < pf->n_knobs; k++) {
				const cwrnn_control *c = &cfg->controls[k];
				float v = (float)pf->lines[i].values[k];
				if (v < c->min || v > c->max)
					return cw_fail(a->msg, sizeof a->msg, "%s:%d: %s=%g is outside the range "
					               "%g..%g checkpoint '%s' was trained with", pf->path,
					               pf->lines[i].line, c->name, pf->lines[i].values[k], c->min,
					               c->max, o->resume),
					       EXIT_DATA;
			}
		for (int r = 0; r < o->n_knob_ranges; r++)
			for (int k = 0; k < cfg->n_controls; k++)
				if (!strcmp(o->knob_ranges[r].name, cfg->controls[k].name) &&
				    ((float)o->knob_ranges[r].min != cfg->controls[k].min ||
				     (float)o->knob_ranges[r].max != cfg->controls[k].max))
					return cw_fail(a->msg, sizeof a->msg, "--knob %s contradicts checkpoint "
					               "'%s', which has %s:%g:%g: leave the option out",
					               cfg->controls[k].name, o->resume, cfg->controls[k].name,
					               cfg->controls[k].min, cfg->controls[k].max),
					       EXIT_OPTIONS;
	} else if (pf->n_knobs > 0 && pairs_controls(pf, o->knob_ranges, o->n_knob_ranges, cfg,
	                                             a->msg, sizeof a->msg) != 0) {
		return EXIT_DATA;
	}
	a->dry = calloc(pf->n_lines, sizeof *a->dry);
	a->wet = calloc(pf->n_lines, sizeof *a->wet);
	if (!a->dry || !a->wet)
		return cw_fail(a->msg, sizeof a->msg, "out of memory"), EXIT_INTERNAL;
	dataset_init(&a->ds, CWRNN_TASK_TRANSFORM, pf->n_knobs);
	a->ds.pairs_path = pf->path;
	for (size_t i = 0; i < pf->n_lines; i++) {
		const pair_line *pl = &pf->lines[i];
		if (read_mono(a, pl->wet, &a->wet[i]) != 0 ||
		    (pl->dry && read_mono(a, pl->dry, &a->dry[i]) != 0)) {
			prefix_line(a, pl);
			return EXIT_DATA;
		}
	}
	long latency = common_latency(a);
	for (size_t i = 0; i < pf->n_lines; i++) {
		const pair_line *pl = &pf->lines[i];
		const wav_audio *dry = &a->dry[i];
		const char *dry_name = pl->dry;
		/* A capture is cut to the signal by its clicks: no latency left. */
		if ((!pl->dry && capture_dry(a, &a->wet[i], pl->wet, &dry, &dry_name) != 0) ||
		    dataset_add_pair(&a->ds, o, dry, dry_name, &a->wet[i], pl->wet,
		                     pl->dry ? latency : 0, pl->values, pl->line, a->msg,
		                     sizeof a->msg) != 0) {
			prefix_line(a, pl);
			return EXIT_DATA;
		}
	}
	if (dataset_finish(&a->ds, steps, a->msg, sizeof a->msg) != 0)
		return EXIT_DATA;
	return 0;
}

static void
setup_from(const train_options *o, const dataset *ds, train_setup *s)
{
	memset(s, 0, sizeof *s);
	int gen = o->task == CWRNN_TASK_GENERATE;
	s->batch = ds->n_seq > 0 ? ds->n_seq : gen ? 1 : o->batch;
	s->warmup = gen ? 0 : o->warmup;
	s->steps = gen ? (ds->n < (size_t)o->segment ? (int)ds->n : o->segment)
	               : o->warmup + o->segment;
	s->threads = o->threads;
	s->loss = o->loss;
	s->preemph = o->preemph;
	s->clip = o->clip;
	s->epochs = o->epochs;
	s->seconds = o->seconds;
	s->patience = o->patience;
	s->optimizer = o->optimizer;
	s->lr = o->lr;
	s->momentum = o->momentum;
	s->init_sigma = o->init_sigma;
	s->seed = o->seed;
}

static int
prepare(app *a, cwrnn_config *cfg)
{
	train_options *o = &a->opt;
	const char *outs[] = {o->output, o->checkpoint, o->report, o->plot};
	const char *what[] = {"model", "checkpoint", "report", "plot"};
	for (int i = 0; i < 4; i++)
		if (check_writable(outs[i], what[i], a->msg, sizeof a->msg) != 0)
			return EXIT_WRITE;
	if (o->resume) {
		if (checkpoint_load(o->resume, &a->ck, a->msg, sizeof a->msg) != 0)
			return EXIT_DATA;
		*cfg = a->ck.model->config;
		if (options_check_resume(o, cfg, a->ck.opt_kind, a->ck.lr, a->ck.momentum, a->msg,
		                         sizeof a->msg) != 0)
			return EXIT_OPTIONS;
		o->skip = cfg->skip;
		o->optimizer = a->ck.opt_kind;
		o->lr = a->ck.lr;
		o->momentum = a->ck.momentum;
	} else if (options_architecture(o, cfg, a->msg, sizeof a->msg) != 0) {
		return EXIT_OPTIONS;
	}
	if (read_mono(a, o->input, &a->input) || read_mono(a, o->target, &a->target) ||
	    read_mono(a, o->val_input, &a->val_input) || read_mono(a, o->val_target, &a->val_target))
		return EXIT_DATA;
	int steps = o->task == CWRNN_TASK_GENERATE ? 1 : o->warmup + o->segment;
	if (o->instrument) {
		if (notes_read(o->notes, &a->manifest, a->msg, sizeof a->msg) != 0 ||
		    notes_load(&a->manifest, o->notes, o->cycle, o->mixdown, &a->notes, a->msg,
		               sizeof a->msg) != 0 ||
		    0)
			return EXIT_DATA;
		dataset_notes(&a->ds, a->notes.x, a->notes.y, a->notes.steps, a->notes.n,
		              NOTES_INPUTS, a->notes.rate, o->notes);
		if (!o->resume)
			notes_range(cfg, &a->manifest);
	} else if (o->pairs || o->capture) {
		int rc = load_pairs(a, cfg, o->resume != NULL, steps);
		if (rc != 0)
			return rc;
	} else if (dataset_build(&a->ds, o, o->input ? &a->input : NULL,
	                         o->target ? &a->target : NULL,
	                         o->val_input ? &a->val_input : NULL,
	                         o->val_target ? &a->val_target : NULL, steps, a->msg,
	                         sizeof a->msg) != 0) {
		return EXIT_DATA;
	}
	if (o->resume) {
		/* Network, scales and skip are the checkpoint's, as trained. */
		if (!o->instrument && cfg->n_controls != a->ds.n_controls) {
			cw_fail(a->msg, sizeof a->msg, "checkpoint '%s' was trained with %d knob(s) and "
			        "this data has %d: resume it with the pairs it was trained on (--pairs or "
			        "--capture)", o->resume, cfg->n_controls, a->ds.n_controls);
			return EXIT_DATA;
		}
		if (cfg->sample_rate != (float)a->ds.rate) {
			cw_fail(a->msg, sizeof a->msg, "checkpoint '%s' was trained at %g Hz but the data "
			        "is %d Hz", o->resume, cfg->sample_rate, a->ds.rate);
			return EXIT_DATA;
		}
	} else {
		cfg->sample_rate = (float)a->ds.rate;
		if (dataset_scales(&a->ds, cfg, a->msg, sizeof a->msg) != 0)
			return EXIT_DATA;
	}
	model_name(o, cfg->name);
	train_setup s;
	setup_from(o, &a->ds, &s);
	if (!(a->tr = trainer_new(&s, &a->ds, cfg, a->msg, sizeof a->msg)))
		return EXIT_INTERNAL;
	if (o->resume && checkpoint_restore(a->tr, &a->ck, a->msg, sizeof a->msg) != 0)
		return EXIT_DATA;
	return 0;
}

static void
announce(const app *a)
{
	const trainer *t = a->tr;
	const dataset *ds = &a->ds;
	if (a->opt.quiet)
		return;
	int hidden = 0;
	for (int i = 0; i < t->cfg.n_modules; i++)
		hidden += t->cfg.sizes[i];
	printf("cwrnn-train %s: %zu parameters (%d hidden units in %d modules), %.2f s to train, "
	       "%.2f s to validate (%s) at %d Hz, %d thread%s", options_command(&a->opt),
	       t->n_params, hidden, t->cfg.n_modules, (double)ds->n / ds->rate,
	       (double)ds->vn / ds->rate,
	       ds->val == VAL_FILES ? "files" : ds->val == VAL_TRAIN ? "training part" : "held out",
	       ds->rate, t->n_threads, t->n_threads > 1 ? "s" : "");
	if (ds->n_seq > 0)
		printf(", %d notes in lockstep (%zu steps each)", ds->n_seq, ds->n);
	if (a->opt.task == CWRNN_TASK_TRANSFORM && ds->n_parts == 1 && !a->opt.capture)
		printf(", latency %ld samples (%.2f ms) removed", ds->parts[0].latency,
		       1e3 * (double)ds->parts[0].latency / ds->rate);
	if (a->opt.resume)
		printf(", resuming at epoch %d", t->epoch);
	printf("\n");
	if (a->opt.pairs)
		for (size_t k = 0; k < ds->n_parts; k++) {
			const dataset_part *p = &ds->parts[k];
			printf("  pair %zu (line %d): %s", k + 1, p->line, p->name);
			for (int c = 0; c < t->cfg.n_controls; c++)
				printf(" %s=%g", t->cfg.controls[c].name, p->controls[c]);
			printf(", latency %ld samples\n", p->latency);
		}
	for (int c = 0; c < t->cfg.n_controls; c++)
		if (t->cfg.controls[c].kind == CWRNN_CONTROL_KNOB)
			printf("  knob %s: %g..%g, default %g\n", t->cfg.controls[c].name,
			       t->cfg.controls[c].min, t->cfg.controls[c].max, t->cfg.controls[c].def);
	fflush(stdout);
}

static int
finish(app *a, train_stop stop)
{
	trainer *t = a->tr;
	train_options *o = &a->opt;
	progress_end(&a->prog);
	if (t->updates == 0 && !o->resume && stop == STOP_SIGNAL)
		return fatal(a, 128 + stop_signal, "interrupted before training started; nothing written");
	if (stop == STOP_DIVERGED && t->best_epoch < 0)
		return fatal(a, EXIT_DIVERGED, "training diverged (loss not finite) before the first "
		             "validation; nothing written: try a lower --lr or --clip");
	if (!(a->model = trainer_model(t, a->msg, sizeof a->msg)) || summarize(a) != 0)
		return fatal(a, EXIT_INTERNAL, "cannot build the model: %s", a->msg);
	if (cwrnn_model_save(a->model, o->output, a->msg, sizeof a->msg) != CWRNN_OK)
		return fatal(a, EXIT_WRITE, "cannot write model '%s': %s", o->output, a->msg);
	if (o->checkpoint && checkpoint_save(t, o->checkpoint, a->msg, sizeof a->msg) != 0)
		return fatal(a, EXIT_WRITE, "%s", a->msg);
	if (o->report && report_write_json(o->report, t, o, &a->ds, a->msg, sizeof a->msg) != 0)
		return fatal(a, EXIT_WRITE, "%s", a->msg);
	if (o->plot && report_write_svg(o->plot, t, o, a->msg, sizeof a->msg) != 0)
		return fatal(a, EXIT_WRITE, "%s", a->msg);
	if (!o->quiet)
		printf("cwrnn-train: wrote %s: validation ESR %.4g, NMSE %.4g (best of %g epochs, at "
		       "epoch %g; stopped: %s)\n", o->output, t->best_esr, t->best_nmse,
		       t->n_history ? t->history[t->n_history - 1].epoch : 0.0, t->best_epoch,
		       report_stop_name(stop));
	if (!o->quiet && a->ds.n_parts > 1)
		for (size_t k = 0; k < a->ds.n_parts; k++)
			printf("  pair %zu (line %d, %s): validation ESR %.4g\n", k + 1,
			       a->ds.parts[k].line, a->ds.parts[k].name, t->best_part_esr[k]);
	if (o->capture)
		printf("cwrnn-train: verdict: %s (held-out ESR %.4g; great <= 0.01, good <= 0.03, "
		       "usable <= 0.1, poor above)\n", capture_verdict(t->best_esr), t->best_esr);
	int code = 0;
	if (stop == STOP_SIGNAL) {
		fprintf(stderr, "cwrnn-train: interrupted (%s): saved the best model so far to %s\n",
		        stop_signal == SIGTERM ? "SIGTERM" : "SIGINT", o->output);
		code = 128 + stop_signal;
	} else if (stop == STOP_DIVERGED) {
		fprintf(stderr, "cwrnn-train: training diverged (loss not finite); saved the best model "
		        "so far to %s: try a lower --lr or --clip\n", o->output);
		code = EXIT_DIVERGED;
	}
	cleanup(a);
	return code;
}

/* cwrnn-train capture-signal -o capture.wav [--rate R] */
static int
capture_signal_main(int argc, char **argv)
{
	static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
	                                     {"rate", required_argument, NULL, 'r'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *out = NULL, *v;
	long rate = 48000;
	char msg[1024];
	int at = 0, id;
	while ((id = cli_next(argc - 1, argv + 1, "o:h", opts, &at, &v, msg, sizeof msg)) != -1) {
		if (id == -2)
			return fatal_line(EXIT_OPTIONS, "%s", msg);
		if (id == 'h') {
			printf("usage: cwrnn-train capture-signal -o capture.wav [--rate R]\n"
			       "Writes the standard capture signal (about 3 minutes, 32-bit float WAV at R\n"
			       "Hz, default 48000): play it through your gear, record the result at the\n"
			       "same rate, and train with cwrnn-train transform --capture RECORDED.wav.\n");
			return 0;
		}
		if (id == 'o')
			out = v;
		else if (parse_long("--rate", v, 8000, 192000, &rate, msg, sizeof msg) != 0)
			return fatal_line(EXIT_OPTIONS, "%s", msg);
	}
	if (!out)
		return fatal_line(EXIT_OPTIONS, "capture-signal: give the output with -o capture.wav");
	wav_audio sig;
	if (capture_signal((int)rate, &sig, msg, sizeof msg) != 0)
		return fatal_line(EXIT_INTERNAL, "%s", msg);
	float *f = malloc(sig.frames * sizeof *f);
	int rc = 0;
	if (!f)
		rc = fatal_line(EXIT_INTERNAL, "out of memory");
	for (size_t i = 0; f && i < sig.frames; i++)
		f[i] = (float)sig.samples[i];
	if (f && wav_write_float(out, f, sig.frames, 1, (int)rate, msg, sizeof msg) != 0)
		rc = fatal_line(EXIT_WRITE, "%s", msg);
	else if (f)
		printf("cwrnn-train: wrote %s: the capture signal, %.1f s at %ld Hz\n", out,
		       (double)sig.frames / (double)rate, rate);
	free(f);
	wav_free(&sig);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "capture-signal"))
		return capture_signal_main(argc, argv);
	app a;
	memset(&a, 0, sizeof a);
	int rc = options_parse(&a.opt, argc, argv, a.msg, sizeof a.msg);
	if (rc > 0) {
		options_usage(stdout);
		return 0;
	}
	if (rc < 0)
		return fatal(&a, EXIT_OPTIONS, "%s", a.msg);
	/* From here on a signal only sets the flag: an interrupt while the data
	 * loads stops before the first update, writing nothing. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	cwrnn_config cfg;
	if ((rc = prepare(&a, &cfg)) != 0)
		return fatal(&a, rc, "%s", a.msg);
	progress_init(&a.prog, stdout, a.opt.quiet, a.tr);
	clock_gettime(CLOCK_MONOTONIC, &a.last_checkpoint);
	announce(&a);
	train_hooks hooks = {on_update, on_eval, &a};
	train_stop stop = trainer_run(a.tr, &stop_signal, &hooks);
	return finish(&a, stop);
}
