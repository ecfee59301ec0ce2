/* cwrnn-demo-plot: compares a rendered effect with its target and draws the
 * demo picture (figure.h); prints the numbers it shows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "figure.h"
#include "history.h"
#include "signal.h"
#include "util.h"
#include "wav.h"

enum { EXIT_OPTIONS = 1, EXIT_DATA = 2, EXIT_WRITE = 3 };

typedef struct {
	const char *dry, *target, *output, *engine, *report, *svg, *title, *caption;
	double render_seconds;
} plot_options;

/* Everything the program owns; cleanup() releases it all. */
typedef struct {
	plot_options opt;
	wav_audio w[4];           /* dry, target, output, engine */
	float *f[4];              /* the same as floats */
	train_report report;
	char msg[1024];
} app;

static void
cleanup(app *a)
{
	for (int i = 0; i < 4; i++) {
		wav_free(&a->w[i]);
		free(a->f[i]);
	}
	history_free(&a->report);
}

static void
usage(FILE *f)
{
	fputs("usage: cwrnn-demo-plot --dry D.wav --target T.wav --output O.wav\n"
	      "                       --report TRAIN.json -o PICTURE.svg [options]\n"
	      "\n"
	      "Compares an effect model's output O (rendered from the dry input D) with\n"
	      "the target T, after removing the latency the trainer found (from its JSON\n"
	      "report), prints the error-to-signal ratios and draws one SVG: waveform\n"
	      "envelopes, a zoomed excerpt, spectra, the learning curve and the numbers.\n"
	      "      --dry FILE            the input the output was rendered from\n"
	      "      --target FILE         what the output should be\n"
	      "      --output FILE         the rendered output (e.g. cwrnn-lv2-render's)\n"
	      "      --engine FILE         a second render to compare with --output sample\n"
	      "                            by sample (e.g. cwrnn-render's)\n"
	      "      --report FILE         cwrnn-train --report JSON of the model\n"
	      "  -o, --svg FILE            the picture (written atomically)\n"
	      "      --render-seconds S    time the render took, shown as a real-time factor\n"
	      "      --title TEXT          the picture's title\n"
	      "      --caption TEXT        a line under it\n"
	      "  -h, --help                this help\n"
	      "Options take their value as --name VALUE or --name=VALUE.\n"
	      "Exit codes: 0 done, 1 bad options, 2 bad input, 3 cannot write.\n",
	      f);
}

enum { DRY = 128, TARGET, OUTPUT, ENGINE, REPORT, RENDER_SECONDS, TITLE, CAPTION };

static const struct option long_options[] = {
	{"dry", required_argument, NULL, DRY},
	{"target", required_argument, NULL, TARGET},
	{"output", required_argument, NULL, OUTPUT},
	{"engine", required_argument, NULL, ENGINE},
	{"report", required_argument, NULL, REPORT},
	{"svg", required_argument, NULL, 'o'},
	{"render-seconds", required_argument, NULL, RENDER_SECONDS},
	{"title", required_argument, NULL, TITLE},
	{"caption", required_argument, NULL, CAPTION},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0}};

static int
parse(plot_options *o, int argc, char **argv, char *msg, size_t len)
{
	memset(o, 0, sizeof *o);
	o->render_seconds = NAN;
	o->title = "cwrnn: a Clockwork RNN effect model";
	int at = 0, id;
	const char *v;
	while ((id = cli_next(argc, argv, "o:h", long_options, &at, &v, msg, len)) != -1) {
		switch (id) {
		case -2: return -1;
		case 'h': return 1;
		case DRY: o->dry = v; break;
		case TARGET: o->target = v; break;
		case OUTPUT: o->output = v; break;
		case ENGINE: o->engine = v; break;
		case REPORT: o->report = v; break;
		case 'o': o->svg = v; break;
		case TITLE: o->title = v; break;
		case CAPTION: o->caption = v; break;
		case RENDER_SECONDS:
			if (parse_double("--render-seconds", v, 1e-9, 1e9, &o->render_seconds, msg, len))
				return -1;
			break;
		}
	}
	if (!o->dry || !o->target || !o->output || !o->report || !o->svg)
		return cw_fail(msg, len, "give --dry, --target, --output, --report and -o (see --help)");
	return 0;
}

/* Reads the audio files (mono, one rate) as floats. */
static int
load(app *a)
{
	const char *paths[4] = {a->opt.dry, a->opt.target, a->opt.output, a->opt.engine};
	for (int i = 0; i < 4; i++) {
		if (!paths[i])
			continue;
		wav_audio *w = &a->w[i];
		if (wav_read(paths[i], w, a->msg, sizeof a->msg) != 0 ||
		    wav_to_mono(w, paths[i], 0, a->msg, sizeof a->msg) != 0)
			return -1;
		if (w->rate != a->w[0].rate) {
			snprintf(a->msg, sizeof a->msg, "'%s' is %d Hz but '%s' is %d Hz", paths[i],
			         w->rate, paths[0], a->w[0].rate);
			return -1;
		}
		if (!(a->f[i] = malloc(w->frames * sizeof(float)))) {
			snprintf(a->msg, sizeof a->msg, "out of memory reading '%s'", paths[i]);
			return -1;
		}
		for (size_t t = 0; t < w->frames; t++)
			a->f[i][t] = (float)w->samples[t];
	}
	return 0;
}

static size_t
min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* The program, start to end: returns its exit code, with the reason in
 * a->msg when it is not 0. */
static int
run(app *a, int argc, char **argv)
{
	int rc = parse(&a->opt, argc, argv, a->msg, sizeof a->msg);
	if (rc > 0) {
		usage(stdout);
		return 0;
	}
	if (rc < 0)
		return EXIT_OPTIONS;
	if (load(a) != 0 || history_read(a->opt.report, &a->report, a->msg, sizeof a->msg) != 0)
		return EXIT_DATA;
	const wav_audio *dry = &a->w[0], *tgt = &a->w[1], *out = &a->w[2], *eng = &a->w[3];
	double lat = isfinite(a->report.latency) ? a->report.latency : 0.0;
	size_t shift = (size_t)lat;
	if (lat < 0 || shift >= tgt->frames) {
		cw_fail(a->msg, sizeof a->msg, "the report's latency (%g samples) does not fit '%s'",
		        lat, a->opt.target);
		return EXIT_DATA;
	}
	if (a->report.rate != (double)tgt->rate) {
		cw_fail(a->msg, sizeof a->msg, "the model runs at %g Hz but '%s' is %d Hz",
		        a->report.rate, a->opt.target, tgt->rate);
		return EXIT_DATA;
	}
	size_t n = min_size(min_size(out->frames, tgt->frames - shift), dry->frames);
	figure_data d = {
		.dry = a->f[0], .target = a->f[1] + shift, .output = a->f[2], .n = n,
		.rate = tgt->rate, .latency = lat, .report = &a->report,
		.test_esr = sig_esr(a->f[2], a->f[1] + shift, n),
		.test_esr_raw = sig_esr(a->f[2], a->f[1], min_size(out->frames, tgt->frames)),
		.max_diff = NAN, .render_seconds = a->opt.render_seconds,
		.title = a->opt.title, .caption = a->opt.caption,
		.names = {"dry input", "target", "model output"},
	};
	if (a->opt.engine) {
		if (eng->frames != out->frames) {
			cw_fail(a->msg, sizeof a->msg, "'%s' has %zu frames but '%s' has %zu",
			        a->opt.engine, eng->frames, a->opt.output, out->frames);
			return EXIT_DATA;
		}
		d.max_diff = sig_max_abs_diff(a->f[2], a->f[3], out->frames);
	}
	if (figure_write(&d, a->opt.svg, a->msg, sizeof a->msg) != 0)
		return EXIT_WRITE;
	printf("test ESR %.6g (%.2f dB) over %zu samples, the target's %.0f-sample latency removed\n",
	       d.test_esr, 10.0 * log10(d.test_esr), n, lat);
	printf("test ESR %.6g with the latency kept\n", d.test_esr_raw);
	if (a->opt.engine)
		printf("max |%s - %s| = %.3g%s\n", a->opt.output, a->opt.engine, d.max_diff,
		       d.max_diff == 0.0 ? " (bit-identical)"
		                         : " (NOT identical: at equal rates they should be)");
	return 0;
}

int
main(int argc, char **argv)
{
	static app a;
	int rc = run(&a, argc, argv);
	if (rc != 0)
		cli_error("cwrnn-demo-plot", "%s", a.msg);
	cleanup(&a);
	return rc;
}
