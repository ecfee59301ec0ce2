/* The trainer's JSON report, read through jansson (see history.h). */
#include "history.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util.h"

/* obj[key] as a number, NAN for null. Returns 0, or -1 if it is missing or
 * something else. */
static int
number(const json_t *obj, const char *key, double *out)
{
	const json_t *v = json_object_get(obj, key);
	if (json_is_null(v))
		*out = NAN;
	else if (json_is_number(v))
		*out = json_number_value(v);
	else
		return -1;
	return 0;
}

static int
string(const json_t *obj, const char *key, char *out, size_t len)
{
	const char *s = json_string_value(json_object_get(obj, key));
	if (!s || strlen(s) >= len)
		return -1;
	snprintf(out, len, "%s", s);
	return 0;
}

/* The history array: objects {"epoch": ..., "train_loss": ..., ...}. */
static int
read_points(const json_t *history, train_report *r)
{
	size_t n = json_array_size(history);
	r->points = calloc(n ? n : 1, sizeof *r->points);
	if (!r->points)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const json_t *p = json_array_get(history, i);
		hist_point *h = &r->points[i];
		if (number(p, "epoch", &h->epoch) || number(p, "train_loss", &h->train_loss) ||
		    number(p, "val_esr", &h->val_esr) || number(p, "seconds", &h->seconds))
			return -1;
		r->n_points++;
	}
	return 0;
}

/* Fills r from a parsed report; the same contract as history_parse. */
static int
read_report(const json_t *root, train_report *r, char *msg, size_t msg_len)
{
	const json_t *model = json_object_get(root, "model");
	const json_t *config = json_object_get(root, "config");
	const json_t *history = json_object_get(root, "history");
	if (!json_is_object(model) || !json_is_object(config) || !json_is_array(history))
		return cw_fail(msg, msg_len, "not a cwrnn-train report (no model, config and history)");
	if (string(root, "task", r->task, sizeof r->task) || number(root, "seconds", &r->seconds) ||
	    number(root, "epochs", &r->epochs) || number(root, "val_esr", &r->val_esr) ||
	    number(root, "latency_samples", &r->latency) || number(model, "params", &r->params) ||
	    number(model, "hidden", &r->hidden) || number(model, "modules", &r->modules) ||
	    number(model, "sample_rate", &r->rate) || string(config, "loss", r->loss, sizeof r->loss))
		return cw_fail(msg, msg_len, "a key the demo needs is missing from the report");
	if (read_points(history, r) != 0) {
		history_free(r);
		return cw_fail(msg, msg_len, "the report's history is malformed");
	}
	return 0;
}

/* Reads root into r, or says why not (where of: the text's name). */
static int
finish(json_t *root, const json_error_t *err, const char *of, train_report *r, char *msg,
       size_t msg_len)
{
	if (!root)
		return cw_fail(msg, msg_len, "%s is not JSON: %s (line %d)", of, err->text, err->line);
	char why[256];
	int rc = read_report(root, r, why, sizeof why);
	if (rc != 0)
		snprintf(msg, msg_len, "%s: %s", of, why);
	json_decref(root);
	return rc;
}

int
history_parse(const char *text, train_report *r, char *msg, size_t msg_len)
{
	memset(r, 0, sizeof *r);
	json_error_t err;
	return finish(json_loads(text, 0, &err), &err, "the report", r, msg, msg_len);
}

int
history_read(const char *path, train_report *r, char *msg, size_t msg_len)
{
	memset(r, 0, sizeof *r);
	FILE *f = fopen(path, "rb");
	if (!f)
		return cw_fail(msg, msg_len, "cannot open '%s': %s", path, strerror(errno));
	json_error_t err;
	json_t *root = json_loadf(f, 0, &err);
	fclose(f);
	char of[1100];
	snprintf(of, sizeof of, "'%s'", path);
	return finish(root, &err, of, r, msg, msg_len);
}

void
history_free(train_report *r)
{
	free(r->points);
	r->points = NULL;
	r->n_points = 0;
}
