/* Pairs files (see pairs.h). */
#include "pairs.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "listfile.h"
#include "util.h"

#define PAIRS_MAX_BYTES ((size_t)1 << 20)

void
pairs_free(pairs_file *pf)
{
	for (size_t i = 0; i < pf->n_lines; i++) {
		free(pf->lines[i].dry);
		free(pf->lines[i].wet);
	}
	free(pf->lines);
	memset(pf, 0, sizeof *pf);
}

static int
knob_index(const pairs_file *pf, const char *name, size_t len)
{
	for (int k = 0; k < pf->n_knobs; k++)
		if (strlen(pf->names[k]) == len && !strncmp(pf->names[k], name, len))
			return k;
	return -1;
}

static int
valid_name(const char *s, size_t len)
{
	if (len == 0 || len > CWRNN_CONTROL_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == '_' || s[i] == '-' || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	return 1;
}

/* One NAME=VALUE word of line `line` (the first line with knobs defines
 * them). seen marks the knobs this line has named. */
static int
parse_knob(pairs_file *pf, pair_line *pl, int defining, const char *w, size_t len,
           int *seen, const char *where, char *msg, size_t msg_len)
{
	const char *eq = memchr(w, '=', len);
	if (!eq)
		return cw_fail(msg, msg_len, "%s: '%.*s' is not NAME=VALUE (a line is DRY WET "
		               "name=value...)", where, (int)len, w);
	size_t nlen = (size_t)(eq - w);
	if (!valid_name(w, nlen))
		return cw_fail(msg, msg_len, "%s: knob name '%.*s' must be 1..%d letters, digits, _ or -",
		               where, (int)nlen, w, CWRNN_CONTROL_NAME_MAX);
	int k = knob_index(pf, w, nlen);
	if (k < 0 && defining) {
		if (pf->n_knobs == PAIRS_MAX_KNOBS)
			return cw_fail(msg, msg_len, "%s: more than %d knobs", where, PAIRS_MAX_KNOBS);
		k = pf->n_knobs++;
		memcpy(pf->names[k], w, nlen);
		pf->names[k][nlen] = '\0';
	} else if (k < 0) {
		return cw_fail(msg, msg_len, "%s: unknown knob '%.*s' (the first line names %d: every "
		               "line must name the same knobs)", where, (int)nlen, w, pf->n_knobs);
	}
	if (seen[k])
		return cw_fail(msg, msg_len, "%s: knob '%s' given twice", where, pf->names[k]);
	seen[k] = 1;
	char value[64], name[360];
	size_t vlen = len - nlen - 1;
	if (vlen >= sizeof value) /* cut short, trailing junk would pass unseen */
		return cw_fail(msg, msg_len, "%s: the value of knob '%s' is too long", where,
		               pf->names[k]);
	snprintf(value, sizeof value, "%.*s", (int)vlen, eq + 1);
	snprintf(name, sizeof name, "%s: %s", where, pf->names[k]);
	return parse_double(name, value, -1e6, 1e6, &pl->values[k], msg, msg_len);
}

/* The words of one line (comment removed): DRY WET NAME=VALUE... */
static int
parse_line(pairs_file *pf, const char *s, size_t len, int line, char *msg, size_t msg_len)
{
	char where[300];
	snprintf(where, sizeof where, "%s:%d", pf->path, line);
	const char *words[2 + PAIRS_MAX_KNOBS + 1];
	size_t lens[2 + PAIRS_MAX_KNOBS + 1];
	int n = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i == len)
			break;
		size_t start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			i++;
		if (n == 2 + PAIRS_MAX_KNOBS + 1)
			return cw_fail(msg, msg_len, "%s: too many words (DRY WET and at most %d knobs)",
			               where, PAIRS_MAX_KNOBS);
		words[n] = s + start;
		lens[n++] = i - start;
	}
	if (n == 0)
		return 0;
	if (n == 1)
		return cw_fail(msg, msg_len, "%s: a line is DRY WET name=value... (only '%.*s' here)",
		               where, (int)lens[0], words[0]);
	pair_line *lines = realloc(pf->lines, (pf->n_lines + 1) * sizeof *lines);
	if (!lines)
		return cw_fail(msg, msg_len, "%s: out of memory", where);
	pf->lines = lines;
	pair_line *pl = &lines[pf->n_lines++];
	memset(pl, 0, sizeof *pl);
	pl->line = line;
	int capture = lens[0] == 7 && !strncmp(words[0], "capture", 7);
	pl->dry = capture ? NULL : listfile_resolve(pf->path, words[0], lens[0]);
	pl->wet = listfile_resolve(pf->path, words[1], lens[1]);
	if ((!capture && !pl->dry) || !pl->wet)
		return cw_fail(msg, msg_len, "%s: out of memory", where);
	int defining = pf->n_lines == 1, seen[PAIRS_MAX_KNOBS] = {0};
	for (int w = 2; w < n; w++)
		if (parse_knob(pf, pl, defining, words[w], lens[w], seen, where, msg, msg_len) != 0)
			return -1;
	for (int k = 0; k < pf->n_knobs; k++)
		if (!seen[k])
			return cw_fail(msg, msg_len, "%s: knob '%s' is missing (every line must name the "
			               "same knobs)", where, pf->names[k]);
	return 0;
}

int
pairs_parse(const char *path, const char *text, size_t len, pairs_file *pf, char *msg,
            size_t msg_len)
{
	memset(pf, 0, sizeof *pf);
	pf->path = path;
	int line = 0;
	for (size_t at = 0; at < len;) {
		line++;
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *hash = memchr(text + at, '#', end - at);
		size_t stop = hash ? (size_t)(hash - text) : end;
		if (memchr(text + at, '\0', end - at)) {
			pairs_free(pf);
			return cw_fail(msg, msg_len, "%s:%d: a NUL byte: this is not a text file", path,
			               line);
		}
		if (parse_line(pf, text + at, stop - at, line, msg, msg_len) != 0) {
			pairs_free(pf);
			return -1;
		}
		at = end + 1;
	}
	if (pf->n_lines == 0) {
		pairs_free(pf);
		return cw_fail(msg, msg_len, "%s: no pairs (a line is DRY WET name=value...)", path);
	}
	return 0;
}

int
pairs_read(const char *path, pairs_file *pf, char *msg, size_t msg_len)
{
	memset(pf, 0, sizeof *pf);
	unsigned char *text;
	size_t len;
	if (cw_read_file(path, PAIRS_MAX_BYTES, "pairs file", &text, &len, msg, msg_len) != 0)
		return -1;
	int rc = pairs_parse(path, (const char *)text, len, pf, msg, msg_len);
	free(text);
	return rc;
}

int
knob_range_parse(const char *s, knob_range *k, char *msg, size_t msg_len)
{
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2 || strchr(c2 + 1, ':') || !valid_name(s, (size_t)(c1 - s)))
		return cw_fail(msg, msg_len, "--knob: '%s' is not NAME:MIN:MAX", s);
	memset(k, 0, sizeof *k);
	memcpy(k->name, s, (size_t)(c1 - s));
	char lo[64];
	if (c2 - c1 - 1 >= (ptrdiff_t)sizeof lo)
		return cw_fail(msg, msg_len, "--knob %s: the minimum is too long", s);
	snprintf(lo, sizeof lo, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
	if (parse_double("--knob min", lo, -1e6, 1e6, &k->min, msg, msg_len) != 0 ||
	    parse_double("--knob max", c2 + 1, -1e6, 1e6, &k->max, msg, msg_len) != 0)
		return -1;
	if (!(k->min < k->max))
		return cw_fail(msg, msg_len, "--knob %s: min %g is not below max %g", k->name, k->min,
		               k->max);
	return 0;
}

int
pairs_controls(const pairs_file *pf, const knob_range *ranges, int n_ranges, cwrnn_config *cfg,
               char *msg, size_t msg_len)
{
	for (int r = 0; r < n_ranges; r++)
		if (knob_index(pf, ranges[r].name, strlen(ranges[r].name)) < 0)
			return cw_fail(msg, msg_len, "--knob %s: '%s' names no knob called '%s'",
			               ranges[r].name, pf->path, ranges[r].name);
	for (int k = 0; k < pf->n_knobs; k++) {
		const char *name = pf->names[k];
		double lo = INFINITY, hi = -INFINITY;
		for (size_t i = 0; i < pf->n_lines; i++) {
			lo = fmin(lo, pf->lines[i].values[k]);
			hi = fmax(hi, pf->lines[i].values[k]);
		}
		if (!(lo < hi))
			return cw_fail(msg, msg_len, "%s:%d: knob '%s' is %g on every line: the model "
			               "cannot learn what it does; vary it or leave it out", pf->path,
			               pf->lines[0].line, name, lo);
		for (int r = 0; r < n_ranges; r++) {
			if (strcmp(ranges[r].name, name) != 0)
				continue;
			for (size_t i = 0; i < pf->n_lines; i++) {
				double v = pf->lines[i].values[k];
				if (v < ranges[r].min || v > ranges[r].max)
					return cw_fail(msg, msg_len, "%s:%d: %s=%g is outside --knob %s:%g:%g",
					               pf->path, pf->lines[i].line, name, v, name, ranges[r].min,
					               ranges[r].max);
			}
			lo = ranges[r].min;
			hi = ranges[r].max;
		}
		/* The default: the value seen nearest the middle of the range. */
		double mid = 0.5 * (lo + hi), def = pf->lines[0].values[k];
		for (size_t i = 1; i < pf->n_lines; i++)
			if (fabs(pf->lines[i].values[k] - mid) < fabs(def - mid))
				def = pf->lines[i].values[k];
		if (cwrnn_config_add_control(cfg, CWRNN_CONTROL_KNOB, name, (float)lo, (float)hi,
		                             (float)def, msg, msg_len) != 0)
			return -1;
	}
	return 0;
}
