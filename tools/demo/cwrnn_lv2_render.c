/* cwrnn-lv2-render: renders an audio file, or a MIDI file, through the
 * cwrnn LV2 plugins, as a host would, through lilv (tools/lv2host):
 * instantiate at the file's rate (--rate for MIDI alone), apply a preset,
 * load a model through patch:Set and the worker, wait until the plugin
 * confirms it on its notify port, restart (deactivate, activate: the model
 * starts from its zero state at the first sample), then run the file in
 * host-sized blocks, MIDI events at their frames, and write a 32-bit float
 * WAV. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "lv2host.h"
#include "smf.h"
#include "util.h"
#include "wav.h"

enum { EXIT_OPTIONS = 1, EXIT_DATA = 2, EXIT_WRITE = 3, EXIT_PLUGIN = 4 };

#define DEFAULT_URI "https://cwrnn.org/lv2/mono"
#define MODEL_PROPERTY "https://cwrnn.org/lv2#model"
#define MAX_CONTROLS 32
#define LOAD_WAIT_SECONDS 2.0 /* of silence run while waiting for the model */
#define TAIL_MAX_SECONDS 10.0 /* a MIDI song's release tail, at most */
#define TAIL_QUIET 1e-4f      /* the tail ends when the output stays below this */
#define TAIL_QUIET_SECONDS 0.1

typedef struct {
	const char *input, *output, *model, *uri, *preset, *midi;
	double seconds;           /* MIDI: length, 0: last event plus the tail */
	int rate;                 /* MIDI without an input file */
	uint32_t block;
	int mixdown, quiet;
	int n_controls;
	const char *control_symbol[MAX_CONTROLS];
	float control_value[MAX_CONTROLS];
} render_options;

/* Everything the program owns; cleanup() releases it all. */
typedef struct {
	render_options opt;
	lh_host host;
	wav_audio input;
	smf_song song;
	size_t frames, next_event;                    /* output length; next MIDI event */
	float *in[LH_MAX_AUDIO], *out[LH_MAX_AUDIO];  /* (frames) per channel */
	float *interleaved;
	char model_path[PATH_MAX];
	char msg[1024];
} app;

static void
cleanup(app *a)
{
	lh_close(&a->host);
	wav_free(&a->input);
	smf_free(&a->song);
	for (int c = 0; c < LH_MAX_AUDIO; c++) {
		free(a->in[c]);
		free(a->out[c]);
	}
	free(a->interleaved);
}

static void
usage(FILE *f)
{
	fputs("usage: cwrnn-lv2-render -i IN.wav -o OUT.wav [-m MODEL.cwrnn] [options]\n"
	      "       cwrnn-lv2-render --uri https://cwrnn.org/lv2/instrument --preset LABEL\n"
	      "                        --midi SONG.mid -o OUT.wav [options]\n"
	      "\n"
	      "Renders IN, or a MIDI song, through a cwrnn LV2 plugin, loaded through lilv\n"
	      "(set LV2_PATH to the directory holding cwrnn.lv2), at IN's sample rate, and\n"
	      "writes a 32-bit float WAV. A model is loaded as a host loads one: patch:Set\n"
	      "through the plugin's worker, confirmed on its notify port; then the plugin\n"
	      "is restarted so the model starts from its zero state at the first sample.\n"
	      "Options take their value as --name VALUE or --name=VALUE.\n"
	      "  -i, --input FILE     input audio (any format libsndfile reads)\n"
	      "  -o, --output FILE    output WAV (written atomically)\n"
	      "  -m, --model FILE     a .cwrnn model (default: the plugin's selected model)\n"
	      "  -u, --uri URI        plugin [" DEFAULT_URI "]\n"
	      "  -p, --preset LABEL   apply the plugin's preset with this label (or URI)\n"
	      "      --midi FILE      play a standard MIDI file (type 0 or 1) on the plugin's\n"
	      "                       event input, each event at its frame; the output runs\n"
	      "                       to the last event plus the release tail (until quiet,\n"
	      "                       at most 10 s), or to IN's end with -i\n"
	      "      --seconds S      with --midi: render exactly S seconds\n"
	      "  -r, --rate HZ        with --midi and no -i: the sample rate [48000]\n"
	      "  -b, --block N        frames per run() call, 1..8192 [256]\n"
	      "  -c, --control SYM=V  set a control port by symbol (repeatable)\n"
	      "      --mixdown        average a multichannel input for a mono plugin\n"
	      "  -q, --quiet          no plugin notes on stderr, no summary line\n"
	      "  -h, --help           this help\n"
	      "Prints one line: what was loaded, the latency the plugin reports, and the\n"
	      "render time (run() calls only) against the audio's duration.\n"
	      "Exit codes: 0 done, 1 bad options, 2 bad input, 3 cannot write, 4 plugin\n"
	      "missing or failing (not found, instantiate, model not loaded).\n",
	      f);
}

static int
parse_control(render_options *o, const char *s, char *msg, size_t len)
{
	const char *eq = strchr(s, '=');
	char *end = NULL;
	double v = eq ? strtod(eq + 1, &end) : 0.0;
	if (!eq || eq == s || end == eq + 1 || *end || !isfinite(v)) {
		snprintf(msg, len, "-c wants SYMBOL=NUMBER, not '%s'", s);
		return -1;
	}
	if (o->n_controls == MAX_CONTROLS) {
		snprintf(msg, len, "at most %d -c options", MAX_CONTROLS);
		return -1;
	}
	o->control_symbol[o->n_controls] = s; /* up to '=': compared with strncmp later */
	o->control_value[o->n_controls++] = (float)v;
	return 0;
}

enum { OPT_MIXDOWN = 128, OPT_MIDI, OPT_SECONDS };

static const struct option long_options[] = {
	{"input", required_argument, NULL, 'i'},
	{"output", required_argument, NULL, 'o'},
	{"model", required_argument, NULL, 'm'},
	{"uri", required_argument, NULL, 'u'},
	{"block", required_argument, NULL, 'b'},
	{"control", required_argument, NULL, 'c'},
	{"mixdown", no_argument, NULL, OPT_MIXDOWN},
	{"preset", required_argument, NULL, 'p'},
	{"midi", required_argument, NULL, OPT_MIDI},
	{"seconds", required_argument, NULL, OPT_SECONDS},
	{"rate", required_argument, NULL, 'r'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0}};

static int
parse(render_options *o, int argc, char **argv, char *msg, size_t len)
{
	memset(o, 0, sizeof *o);
	o->uri = DEFAULT_URI;
	o->block = 256;
	o->rate = 48000;
	int at = 0, id;
	const char *v;
	long block, rate;
	while ((id = cli_next(argc, argv, "i:o:m:u:b:c:p:r:qh", long_options, &at, &v, msg, len)) !=
	       -1) {
		switch (id) {
		case -2: return -1;
		case 'h': return 1;
		case 'i': o->input = v; break;
		case 'o': o->output = v; break;
		case 'm': o->model = v; break;
		case 'u': o->uri = v; break;
		case 'q': o->quiet = 1; break;
		case OPT_MIXDOWN: o->mixdown = 1; break;
		case 'p': o->preset = v; break;
		case OPT_MIDI: o->midi = v; break;
		case OPT_SECONDS:
			if (parse_double("--seconds", v, 1e-3, 86400.0, &o->seconds, msg, len) != 0)
				return -1;
			break;
		case 'r':
			if (parse_long("--rate", v, 1000, 768000, &rate, msg, len) != 0)
				return -1;
			o->rate = (int)rate;
			break;
		case 'c':
			if (parse_control(o, v, msg, len) != 0)
				return -1;
			break;
		case 'b':
			if (parse_long("--block", v, 1, LH_MAX_BLOCK, &block, msg, len) != 0)
				return -1;
			o->block = (uint32_t)block;
			break;
		}
	}
	if ((!o->input && !o->midi) || !o->output)
		return cw_fail(msg, len, "give an input with -i (or a song with --midi) and an output "
		               "with -o (see --help)");
	if (o->seconds > 0.0 && !o->midi)
		return cw_fail(msg, len, "--seconds goes with --midi (an input file sets the length)");
	return 0;
}

/* The input as one float buffer per plugin input: a mono file feeds every
 * input; otherwise channels must match (or be mixed down for a mono plugin).
 * Without an input file (a MIDI song) the inputs hear silence. */
static int
split_input(app *a)
{
	lh_host *h = &a->host;
	wav_audio *w = &a->input;
	if (a->opt.input) {
		if (h->n_audio_in == 1 && w->channels > 1 &&
		    wav_to_mono(w, a->opt.input, a->opt.mixdown, a->msg, sizeof a->msg) != 0)
			return EXIT_DATA;
		if (w->channels != 1 && w->channels != h->n_audio_in) {
			snprintf(a->msg, sizeof a->msg, "'%s' has %d channels but the plugin has %d inputs",
			         a->opt.input, w->channels, h->n_audio_in);
			return EXIT_DATA;
		}
		for (int c = 0; c < h->n_audio_in; c++) {
			if (!(a->in[c] = malloc(w->frames * sizeof(float))))
				return EXIT_DATA;
			int src = w->channels == 1 ? 0 : c;
			for (size_t t = 0; t < w->frames; t++)
				a->in[c][t] = (float)w->samples[t * (size_t)w->channels + (size_t)src];
		}
	}
	for (int c = 0; c < h->n_audio_out; c++)
		if (!(a->out[c] = calloc(a->frames ? a->frames : 1, sizeof(float))))
			return EXIT_DATA;
	return 0;
}

/* How long the output is: the input's length; or --seconds; or the song's
 * last event plus the longest tail (trimmed once quiet, see render). */
static size_t
output_frames(const app *a, double rate)
{
	if (a->opt.input)
		return a->input.frames;
	if (a->opt.seconds > 0.0)
		return (size_t)llround(a->opt.seconds * rate);
	double last = a->song.n ? a->song.events[a->song.n - 1].seconds : 0.0;
	return (size_t)llround((last + TAIL_MAX_SECONDS) * rate);
}

/* Queues the song's events that fall in frames [at, at + n). */
static int
send_events(app *a, size_t at, uint32_t n)
{
	lh_host *h = &a->host;
	for (; a->next_event < a->song.n; a->next_event++) {
		const smf_event *e = &a->song.events[a->next_event];
		size_t frame = (size_t)llround(e->seconds * h->rate);
		if (frame >= at + n)
			break;
		uint32_t offset = frame > at ? (uint32_t)(frame - at) : 0;
		if (lh_send_midi(h, offset, e->msg, e->size) != 0) {
			snprintf(a->msg, sizeof a->msg, "%s: too many events in one block of %u frames at "
			         "%.3f s; use a smaller --block", a->opt.midi, a->opt.block, e->seconds);
			return EXIT_DATA;
		}
	}
	return 0;
}

/* patch:Set the model, run silence until the plugin names it on notify,
 * then restart the plugin. Returns 0, or an exit code with msg. */
static int
load_model(app *a)
{
	lh_host *h = &a->host;
	if (!realpath(a->opt.model, a->model_path)) {
		snprintf(a->msg, sizeof a->msg, "cannot open model '%s'", a->opt.model);
		return EXIT_DATA;
	}
	if (!h->worker || lh_send_set_path(h, 0, MODEL_PROPERTY, a->model_path) != 0) {
		snprintf(a->msg, sizeof a->msg, "<%s> takes no model through patch:Set and a worker",
		         a->opt.uri);
		return EXIT_PLUGIN;
	}
	int errors = h->log_errors;
	LV2_URID property = lh_map(h, MODEL_PROPERTY);
	size_t waited = 0, limit = (size_t)(LOAD_WAIT_SECONDS * h->rate);
	for (;;) {
		int seen = h->n_notified;
		lh_run(h, NULL, NULL, a->opt.block);
		waited += a->opt.block;
		if (h->n_notified > seen && h->notified_property == property &&
		    !strcmp(h->notified, a->model_path))
			break;
		if (h->log_errors > errors || waited > limit) {
			snprintf(a->msg, sizeof a->msg, "the plugin did not load '%s'%s%.600s", a->opt.model,
			         h->log_errors > errors ? ": " : " (no confirmation on notify)",
			         h->log_errors > errors ? h->last_error : "");
			return EXIT_PLUGIN;
		}
	}
	lh_deactivate(h);
	lh_activate(h);
	return 0;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs the whole input (or song) in blocks; returns the seconds spent in
 * run(), or -1 with msg. A song without --seconds or input ends once every
 * output has stayed quiet for TAIL_QUIET_SECONDS after its last event. */
static double
render(app *a)
{
	lh_host *h = &a->host;
	double spent = 0.0;
	int trim = a->opt.midi && !a->opt.input && a->opt.seconds == 0.0;
	size_t last = a->song.n ? (size_t)llround(a->song.events[a->song.n - 1].seconds * h->rate) : 0;
	size_t quiet = 0, need = (size_t)(TAIL_QUIET_SECONDS * h->rate);
	for (size_t at = 0; at < a->frames; at += a->opt.block) {
		uint32_t n = a->frames - at < a->opt.block ? (uint32_t)(a->frames - at) : a->opt.block;
		const float *in[LH_MAX_AUDIO] = { NULL, NULL };
		float *out[LH_MAX_AUDIO] = { NULL, NULL };
		for (int c = 0; c < h->n_audio_in && a->in[c]; c++)
			in[c] = a->in[c] + at;
		for (int c = 0; c < h->n_audio_out; c++)
			out[c] = a->out[c] + at;
		if (a->opt.midi && send_events(a, at, n) != 0)
			return -1.0;
		double t0 = now();
		lh_run(h, in, out, n);
		spent += now() - t0;
		if (!trim)
			continue;
		for (uint32_t t = 0; t < n; t++) {
			int loud = 0;
			for (int c = 0; c < h->n_audio_out; c++)
				loud |= fabsf(out[c][t]) > TAIL_QUIET;
			quiet = loud || at + t < last ? 0 : quiet + 1;
			if (quiet >= need) {
				a->frames = at + t + 1;
				return spent;
			}
		}
	}
	return spent;
}

static int
set_controls(app *a)
{
	for (int i = 0; i < a->opt.n_controls; i++) {
		const char *s = a->opt.control_symbol[i];
		char sym[128];
		snprintf(sym, sizeof sym, "%.*s", (int)(strchr(s, '=') - s), s);
		if (lh_set_control(&a->host, sym, a->opt.control_value[i]) != 0) {
			snprintf(a->msg, sizeof a->msg, "<%s> has no control input '%s'", a->opt.uri, sym);
			return EXIT_OPTIONS;
		}
	}
	return 0;
}

static int
write_output(app *a)
{
	lh_host *h = &a->host;
	size_t frames = a->frames, ch = (size_t)h->n_audio_out;
	if (!(a->interleaved = malloc(frames * ch * sizeof(float)))) {
		snprintf(a->msg, sizeof a->msg, "out of memory for %zu frames", frames);
		return EXIT_WRITE;
	}
	for (size_t t = 0; t < frames; t++)
		for (size_t c = 0; c < ch; c++)
			a->interleaved[t * ch + c] = a->out[c][t];
	if (wav_write_float(a->opt.output, a->interleaved, frames, (int)ch, (int)h->rate, a->msg,
	                    sizeof a->msg) != 0)
		return EXIT_WRITE;
	return 0;
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
	if (a->opt.input && wav_read(a->opt.input, &a->input, a->msg, sizeof a->msg) != 0)
		return EXIT_DATA;
	if (a->opt.midi && smf_read(a->opt.midi, &a->song, a->msg, sizeof a->msg) != 0)
		return EXIT_DATA;
	int rate = a->opt.input ? a->input.rate : a->opt.rate;
	a->frames = output_frames(a, rate);
	int print = LH_PRINT_WARNINGS | (a->opt.quiet ? 0 : LH_PRINT_NOTES);
	if (lh_open(&a->host, a->opt.uri, rate, LH_ALL | LH_DEFER_ACTIVATE | print, a->msg,
	            sizeof a->msg) != 0)
		return EXIT_PLUGIN;
	if (a->host.n_audio_out < 1) {
		cw_fail(a->msg, sizeof a->msg, "<%s> has no audio output", a->opt.uri);
		return EXIT_PLUGIN;
	}
	if (a->opt.midi && a->host.atom_in < 0) {
		cw_fail(a->msg, sizeof a->msg, "<%s> has no event input for --midi", a->opt.uri);
		return EXIT_PLUGIN;
	}
	if (a->opt.preset && lh_apply_preset(&a->host, a->opt.preset) != 0) {
		cw_fail(a->msg, sizeof a->msg, "<%s> has no preset '%s'", a->opt.uri, a->opt.preset);
		return EXIT_OPTIONS;
	}
	if ((rc = set_controls(a)) != 0 || (rc = split_input(a)) != 0) {
		if (!a->msg[0])
			cw_fail(a->msg, sizeof a->msg, "out of memory");
		return rc;
	}
	lh_activate(&a->host);
	if (a->opt.model && (rc = load_model(a)) != 0)
		return rc;
	int errors = a->host.log_errors;
	double spent = render(a);
	if (spent < 0.0)
		return EXIT_DATA;
	if (a->host.log_errors > errors) {
		cw_fail(a->msg, sizeof a->msg, "the plugin reported an error while rendering: %s",
		        a->host.last_error);
		return EXIT_PLUGIN;
	}
	if ((rc = write_output(a)) != 0)
		return rc;
	double seconds = (double)a->frames / rate;
	/* an instrument has no latency port (NaN): nothing to report */
	char latency[64] = "";
	float frames_late = lh_control_output(&a->host, "latency");
	if (!isnan(frames_late))
		snprintf(latency, sizeof latency, ", latency %g frames", (double)frames_late);
	if (!a->opt.quiet)
		printf("cwrnn-lv2-render: %s through <%s> at %d Hz in blocks of %u, model %s%s: "
		       "%.3f s of audio in %.3f s (real-time factor %.4f, %.0fx real time)\n",
		       a->opt.input ? a->opt.input : a->opt.midi, a->opt.uri, rate, a->opt.block,
		       a->opt.model ? a->model_path : "(the plugin's own)", latency, seconds, spent,
		       spent / seconds, seconds / spent);
	return 0;
}

int
main(int argc, char **argv)
{
	static app a;
	int rc = run(&a, argc, argv);
	if (rc != 0)
		cli_error("cwrnn-lv2-render", "%s", a.msg);
	cleanup(&a);
	return rc;
}
