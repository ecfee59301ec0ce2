/* An instrument's recorded notes: the manifest and the training sequences. */
#include "notes.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listfile.h"
#include "util.h"
#include "resample.h"
#include "wav.h"

#define MANIFEST_MAX_BYTES ((size_t)1 << 22)
#define SHOWN_ERRORS 8       /* bad lines listed before "and N more" */

void
notes_free(note_manifest *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->notes[i].path);
	free(m->notes);
	memset(m, 0, sizeof *m);
}

/* Appends one line to a message of several (each bad manifest line). */
static void
add_error(char *msg, size_t len, int *count, const char *name, int line, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
add_error(char *msg, size_t len, int *count, const char *name, int line, const char *fmt, ...)
{
	(*count)++;
	if (!msg || len == 0 || *count > SHOWN_ERRORS)
		return;
	size_t at = strlen(msg);
	if (at > 0 && at + 1 < len)
		msg[at++] = '\n';
	if (at + 1 >= len)
		return;
	int w = snprintf(msg + at, len - at, "%s:%d: ", name, line);
	if (w < 0 || (size_t)w >= len - at)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + at + (size_t)w, len - at - (size_t)w, fmt, ap);
	va_end(ap);
}

static int
whole_number(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!isdigit((unsigned char)s[0]) || *end != '\0' || errno == ERANGE || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* One manifest line (comment removed, NUL-terminated, not blank) into e.
 * Returns 0, or -1 after one add_error. */
static int
parse_line(char *text, const char *name, int line, note_entry *e, char *msg, size_t len,
           int *errors)
{
	char *save = NULL, *file = strtok_r(text, " \t\r", &save);
	long note = -1, velocity = -1;
	double release = -1.0;
	for (char *kv = strtok_r(NULL, " \t\r", &save); kv; kv = strtok_r(NULL, " \t\r", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq) {
			add_error(msg, len, errors, name, line, "'%s' is not key=value (keys: note, "
			          "velocity, release; a file name with spaces is not supported)", kv);
			return -1;
		}
		*eq = '\0';
		const char *v = eq + 1;
		if (!strcmp(kv, "note")) {
			if (whole_number(v, 0, 127, &note) != 0) {
				add_error(msg, len, errors, name, line, "note=%s is not a MIDI note 0..127", v);
				return -1;
			}
		} else if (!strcmp(kv, "velocity")) {
			if (whole_number(v, 1, 127, &velocity) != 0) {
				add_error(msg, len, errors, name, line, "velocity=%s is not a velocity 1..127",
				          v);
				return -1;
			}
		} else if (!strcmp(kv, "release")) {
			char *end;
			errno = 0;
			release = strtod(v, &end);
			if (*v == '\0' || *end != '\0' || errno == ERANGE || !isfinite(release) ||
			    release < 0.0) {
				add_error(msg, len, errors, name, line, "release=%s is not a time in seconds "
				          "(>= 0)", v);
				return -1;
			}
		} else {
			add_error(msg, len, errors, name, line, "unknown key '%s' (keys: note, velocity, "
			          "release)", kv);
			return -1;
		}
	}
	const char *missing = note < 0 ? "note=" : velocity < 0 ? "velocity=" : release < 0.0
	                                                                          ? "release="
	                                                                          : NULL;
	if (missing) {
		add_error(msg, len, errors, name, line, "'%s' has no %s (a line is FILE note=N "
		          "velocity=V release=SECONDS)", file, missing);
		return -1;
	}
	if (!(e->path = listfile_resolve(name, file, strlen(file)))) {
		add_error(msg, len, errors, name, line, "out of memory");
		return -1;
	}
	e->line = line;
	e->note = (int)note;
	e->velocity = (int)velocity;
	e->release = release;
	return 0;
}

int
notes_parse(const char *text, size_t len, const char *name, note_manifest *m, char *msg,
            size_t msg_len)
{
	memset(m, 0, sizeof *m);
	if (msg && msg_len)
		msg[0] = '\0';
	int errors = 0, line = 0, cap = 0;
	char buf[4096];
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len, n = end - at;
		line++;
		const char *start = text + at;
		at = end + 1;
		const char *hash = memchr(start, '#', n);
		if (hash)
			n = (size_t)(hash - start);
		if (memchr(start, '\0', n)) {
			add_error(msg, msg_len, &errors, name, line, "contains a NUL byte (not a text "
			          "file?)");
			continue;
		}
		if (n >= sizeof buf) {
			add_error(msg, msg_len, &errors, name, line, "longer than %zu bytes",
			          sizeof buf - 1);
			continue;
		}
		memcpy(buf, start, n);
		buf[n] = '\0';
		if (strspn(buf, " \t\r") == n)
			continue;
		if (m->n == NOTES_MAX) {
			add_error(msg, msg_len, &errors, name, line, "more than %d notes", NOTES_MAX);
			break;
		}
		if (m->n == cap) {
			cap = cap ? 2 * cap : 32;
			note_entry *grown = realloc(m->notes, (size_t)cap * sizeof *grown);
			if (!grown) {
				notes_free(m);
				return cw_fail(msg, msg_len, "%s: out of memory", name);
			}
			m->notes = grown;
		}
		note_entry *e = &m->notes[m->n];
		memset(e, 0, sizeof *e);
		if (parse_line(buf, name, line, e, msg, msg_len, &errors) == 0)
			m->n++;
	}
	if (errors > SHOWN_ERRORS) {
		size_t at = strlen(msg);
		snprintf(msg + at, msg_len - at, "\n%s: and %d more bad lines", name,
		         errors - SHOWN_ERRORS);
	}
	if (errors > 0) {
		notes_free(m);
		return -1;
	}
	if (m->n == 0) {
		notes_free(m);
		return cw_fail(msg, msg_len, "%s lists no notes (a line is FILE note=N velocity=V "
		               "release=SECONDS)", name);
	}
	return 0;
}

int
notes_read(const char *path, note_manifest *m, char *msg, size_t msg_len)
{
	memset(m, 0, sizeof *m);
	unsigned char *text;
	size_t n;
	if (cw_read_file(path, MANIFEST_MAX_BYTES, "notes manifest", &text, &n, msg, msg_len) != 0)
		return -1;
	int rc = notes_parse((const char *)text, n, path, m, msg, msg_len);
	free(text);
	return rc;
}

double
notes_rate(int note, int cycle)
{
	return (double)cycle * 440.0 * pow(2.0, (note - NOTES_REFERENCE) / 12.0);
}

size_t
notes_resampled_length(size_t n, double r)
{
	return (size_t)ceil((double)n * r);
}

void
notes_resample(const double *in, size_t n, double r, double *out)
{
	static cw_rs_kernel kernel;   /* filled once; only the trainer's main thread calls */
	static int ready;
	if (!ready) {
		cw_rs_kernel_init(&kernel);
		ready = 1;
	}
	/* Output sample j sits at input position p = j / r. The stream holds the
	 * input (zeros before it and after it); its newest sample is at index
	 * pushed - 1, so p is read `pushed - 1 - p` back, once the kernel's half
	 * width past p has been pushed. Downsampling low-passes at the output's
	 * Nyquist (with a margin for the kernel's transition band). */
	double c = 0.45 * (r < 1.0 ? r : 1.0);
	if (c < CW_RS_MIN_CUTOFF)
		c = CW_RS_MIN_CUTOFF;
	double half = cw_rs_half(c);
	cw_rs_stream s;
	cw_rs_clear(&s);
	size_t pushed = 0, total = notes_resampled_length(n, r);
	for (size_t j = 0; j < total; j++) {
		double p = (double)j / r;
		while ((double)pushed - 1.0 < p + half + 1.0) {
			cw_rs_push(&s, pushed < n ? (float)in[pushed] : 0.0f);
			pushed++;
		}
		out[j] = cw_rs_read(&s, &kernel, (double)pushed - 1.0 - p, c);
	}
}

void
notes_set_free(note_set *set)
{
	free(set->x);
	free(set->y);
	free(set->length);
	free(set->release);
	memset(set, 0, sizeof *set);
}

/* One note's file, mono and resampled. */
static int
load_one(const note_entry *e, const char *manifest, int cycle, int mixdown, double **out,
         size_t *len, size_t *release, char *msg, size_t msg_len)
{
	wav_audio w;
	char why[1024];
	if (wav_read(e->path, &w, why, sizeof why) != 0 ||
	    wav_to_mono(&w, e->path, mixdown, why, sizeof why) != 0)
		return cw_fail(msg, msg_len, "%s:%d: %s", manifest, e->line, why);
	double seconds = (double)w.frames / w.rate;
	if (e->release >= seconds) {
		wav_free(&w);
		return cw_fail(msg, msg_len, "%s:%d: release=%g is past the end of '%s' (%.3f s): the "
		               "file must hold the note's release", manifest, e->line, e->release,
		               e->path, seconds);
	}
	if (wav_peak(w.samples, w.frames) == 0.0) {
		wav_free(&w);
		return cw_fail(msg, msg_len, "%s:%d: '%s' is pure silence", manifest, e->line, e->path);
	}
	double r = notes_rate(e->note, cycle) / w.rate;
	*len = notes_resampled_length(w.frames, r);
	*release = (size_t)llround(e->release * notes_rate(e->note, cycle));
	*out = malloc(*len * sizeof **out);
	if (!*out) {
		wav_free(&w);
		return cw_fail(msg, msg_len, "%s:%d: out of memory for '%s'", manifest, e->line,
		               e->path);
	}
	notes_resample(w.samples, w.frames, r, *out);
	wav_free(&w);
	return 0;
}

int
notes_load(const note_manifest *m, const char *manifest, int cycle, int mixdown, note_set *set,
           char *msg, size_t msg_len)
{
	memset(set, 0, sizeof *set);
	int n = m->n;
	double **audio = calloc((size_t)n, sizeof *audio);
	set->length = calloc((size_t)n, sizeof *set->length);
	set->release = calloc((size_t)n, sizeof *set->release);
	if (!audio || !set->length || !set->release) {
		free(audio);
		notes_set_free(set);
		return cw_fail(msg, msg_len, "out of memory for %d notes", n);
	}
	int rc = 0;
	size_t steps = 0;
	for (int k = 0; k < n && rc == 0; k++) {
		rc = load_one(&m->notes[k], manifest, cycle, mixdown, &audio[k], &set->length[k],
		              &set->release[k], msg, msg_len);
		if (rc == 0 && set->length[k] > steps)
			steps = set->length[k];
	}
	if (rc == 0) {
		set->x = calloc(steps * (size_t)n * NOTES_INPUTS, sizeof *set->x);
		set->y = calloc(steps * (size_t)n, sizeof *set->y);
		if (!set->x || !set->y)
			rc = cw_fail(msg, msg_len, "out of memory for %d notes of %zu samples", n, steps);
	}
	if (rc == 0) {
		set->n = n;
		set->steps = steps;
		set->rate = notes_rate(NOTES_REFERENCE, cycle);
		for (int k = 0; k < n; k++) {
			const note_entry *e = &m->notes[k];
			for (size_t t = 0; t < steps; t++) {
				size_t at = t * (size_t)n + (size_t)k;
				double *x = set->x + at * NOTES_INPUTS;
				x[NOTES_VELOCITY] = e->velocity;
				x[NOTES_GATE] = t < set->release[k] ? 1.0 : 0.0;
				x[NOTES_NOTE] = e->note;
				set->y[at] = t < set->length[k] ? audio[k][t] : 0.0;
			}
		}
	}
	for (int k = 0; k < n; k++)
		free(audio[k]);
	free(audio);
	if (rc != 0)
		notes_set_free(set);
	return rc;
}

void
notes_controls(cwrnn_config *cfg)
{
	cfg->n_inputs = 0;
	cfg->n_controls = 0;
	cfg->root_note = NOTES_REFERENCE;
	/* in NOTES_VELOCITY, NOTES_GATE, NOTES_NOTE order; they always fit */
	cwrnn_config_add_control(cfg, CWRNN_CONTROL_VELOCITY, "velocity", 0.0f, 127.0f, 100.0f,
	                         NULL, 0);
	cwrnn_config_add_control(cfg, CWRNN_CONTROL_GATE, "gate", 0.0f, 1.0f, 1.0f, NULL, 0);
	cwrnn_config_add_control(cfg, CWRNN_CONTROL_NOTE, "note", 0.0f, 127.0f, 60.0f, NULL, 0);
}

void
notes_range(cwrnn_config *cfg, const note_manifest *m)
{
	int lo = 127, hi = 0;
	for (int k = 0; k < m->n; k++) {
		lo = m->notes[k].note < lo ? m->notes[k].note : lo;
		hi = m->notes[k].note > hi ? m->notes[k].note : hi;
	}
	cwrnn_control *note = &cfg->controls[cfg->n_controls - NOTES_INPUTS + NOTES_NOTE];
	/* one recorded pitch: a range of one semitone around it (min < max) */
	note->min = lo < hi ? (float)lo : (float)lo - 0.5f;
	note->max = lo < hi ? (float)hi : (float)lo + 0.5f;
	note->def = 0.5f * (note->min + note->max);
}
