/* The trainer's JSON report, read by key (see history.h). */
#include "history.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The value after "key": at or after from and before end, or NULL. */
static const char *
find_value(const char *from, const char *end, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	size_t len = strlen(pat);
	for (const char *p = strstr(from, pat); p && p < end; p = strstr(p + 1, pat)) {
		p += len;
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		return p < end ? p : NULL;
	}
	return NULL;
}

/* A number or null (NAN). Returns 0, or -1 if the value is neither. */
static int
read_number(const char *from, const char *end, const char *key, double *out)
{
	const char *v = find_value(from, end, key);
	if (!v)
		return -1;
	if (!strncmp(v, "null", 4)) {
		*out = NAN;
		return 0;
	}
	char *stop = NULL;
	errno = 0;
	*out = strtod(v, &stop);
	return stop == v || errno == ERANGE ? -1 : 0;
}

static int
read_string(const char *from, const char *end, const char *key, char *out, size_t len)
{
	const char *v = find_value(from, end, key);
	if (!v || *v != '"')
		return -1;
	const char *close = strchr(v + 1, '"');
	if (!close || close >= end || (size_t)(close - v - 1) >= len)
		return -1;
	snprintf(out, len, "%.*s", (int)(close - v - 1), v + 1);
	return 0;
}

/* The history array: objects {"epoch": ..., "train_loss": ..., ...}. */
static int
parse_history(const char *p, train_report *r)
{
	const char *end = strchr(p, ']');
	if (!end)
		return -1;
	size_t cap = 0;
	for (const char *q = p; (q = strchr(q, '{')) && q < end; q++)
		cap++;
	r->points = calloc(cap ? cap : 1, sizeof *r->points);
	if (!r->points)
		return -1;
	for (const char *q = p; (q = strchr(q, '{')) && q < end; q++) {
		const char *close = strchr(q, '}');
		hist_point *h = &r->points[r->n_points];
		if (!close || read_number(q, close, "epoch", &h->epoch) ||
		    read_number(q, close, "train_loss", &h->train_loss) ||
		    read_number(q, close, "val_esr", &h->val_esr) ||
		    read_number(q, close, "seconds", &h->seconds))
			return -1;
		r->n_points++;
	}
	return 0;
}

int
history_parse(const char *text, train_report *r, char *msg, size_t msg_len)
{
	memset(r, 0, sizeof *r);
	const char *end = text + strlen(text);
	const char *model = find_value(text, end, "model");
	const char *config = model ? find_value(model, end, "config") : NULL;
	const char *history = config ? find_value(config, end, "history") : NULL;
	if (!history || *history != '[')
		return cw_fail(msg, msg_len, "not a cwrnn-train report (no model, config and history)");
	if (read_string(text, model, "task", r->task, sizeof r->task) ||
	    read_number(text, model, "seconds", &r->seconds) ||
	    read_number(text, model, "epochs", &r->epochs) ||
	    read_number(text, model, "val_esr", &r->val_esr) ||
	    read_number(text, model, "latency_samples", &r->latency) ||
	    read_number(model, config, "params", &r->params) ||
	    read_number(model, config, "hidden", &r->hidden) ||
	    read_number(model, config, "modules", &r->modules) ||
	    read_number(model, config, "sample_rate", &r->rate) ||
	    read_string(config, history, "loss", r->loss, sizeof r->loss))
		return cw_fail(msg, msg_len, "a key the demo needs is missing from the report");
	if (parse_history(history, r) != 0) {
		history_free(r);
		return cw_fail(msg, msg_len, "the report's history is malformed");
	}
	return 0;
}

int
history_read(const char *path, train_report *r, char *msg, size_t msg_len)
{
	memset(r, 0, sizeof *r);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(msg, msg_len, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	char *text = NULL;
	long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (size > 0 && size < (64L << 20) && fseek(f, 0, SEEK_SET) == 0 &&
	    (text = malloc((size_t)size + 1)) && fread(text, 1, (size_t)size, f) == (size_t)size)
		text[size] = '\0';
	else {
		free(text);
		text = NULL;
	}
	fclose(f);
	if (!text) {
		snprintf(msg, msg_len, "cannot read '%s'", path);
		return -1;
	}
	char why[256];
	int rc = history_parse(text, r, why, sizeof why);
	if (rc != 0)
		snprintf(msg, msg_len, "'%s': %s", path, why);
	free(text);
	return rc;
}

void
history_free(train_report *r)
{
	free(r->points);
	r->points = NULL;
	r->n_points = 0;
}
