/* JSON report and SVG learning curves. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "svg.h"
#include "textbuf.h"
#include "util.h"

const char *
report_stop_name(train_stop stop)
{
	switch (stop) {
	case STOP_EPOCHS: return "epochs";
	case STOP_TIME: return "time";
	case STOP_PATIENCE: return "patience";
	case STOP_SIGNAL: return "interrupted";
	case STOP_DIVERGED: return "diverged";
	default: return "none";
	}
}


/* A JSON number, or null when it is not finite. */
static void
add_num(textbuf *b, double v)
{
	if (isfinite(v))
		textbuf_add(b, "%.9g", v);
	else
		textbuf_add(b, "null");
}

static void
add_str(textbuf *b, const char *s)
{
	if (!s) {
		textbuf_add(b, "null");
		return;
	}
	textbuf_add(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			textbuf_add(b, "\\%c", *p);
		else if (*p < 0x20)
			textbuf_add(b, "\\u%04x", *p);
		else
			textbuf_add(b, "%c", *p);
	}
	textbuf_add(b, "\"");
}

static const char *
val_name(val_source v)
{
	return v == VAL_FILES ? "files" : v == VAL_TRAIN ? "train" : "held-out";
}

static void
add_model(textbuf *b, const cwrnn_config *c, size_t n_params)
{
	int n = 0;
	for (int i = 0; i < c->n_modules; i++)
		n += c->sizes[i];
	textbuf_add(b, "  \"model\": {\"hidden\": %d, \"modules\": %d, \"sizes\": [", n, c->n_modules);
	for (int i = 0; i < c->n_modules; i++)
		textbuf_add(b, "%s%d", i ? ", " : "", c->sizes[i]);
	textbuf_add(b, "], \"periods\": [");
	for (int i = 0; i < c->n_modules; i++)
		textbuf_add(b, "%s%u", i ? ", " : "", c->periods[i]);
	textbuf_add(b, "], \"inputs\": %d, \"outputs\": %d, \"skip\": %s, \"params\": %zu, ", c->n_inputs,
	    c->n_outputs, c->skip ? "true" : "false", n_params);
	textbuf_add(b, "\"sample_rate\": ");
	add_num(b, c->sample_rate);
	textbuf_add(b, ", \"in_scale\": ");
	add_num(b, c->in_scale);
	textbuf_add(b, ", \"out_scale\": ");
	add_num(b, c->out_scale);
	textbuf_add(b, ", \"knobs\": [");
	for (int k = 0; k < c->n_controls; k++) {
		textbuf_add(b, "%s{\"name\": ", k ? ", " : "");
		add_str(b, c->controls[k].name);
		textbuf_add(b, ", \"min\": ");
		add_num(b, c->controls[k].min);
		textbuf_add(b, ", \"max\": ");
		add_num(b, c->controls[k].max);
		textbuf_add(b, ", \"default\": ");
		add_num(b, c->controls[k].def);
		textbuf_add(b, "}");
	}
	textbuf_add(b, "], \"name\": ");
	add_str(b, c->name);
	textbuf_add(b, "},\n");
}

static void
add_config(textbuf *b, const train_options *o)
{
	textbuf_add(b, "  \"config\": {\"epochs\": %d, \"seconds\": ", o->epochs);
	add_num(b, o->seconds);
	textbuf_add(b, ", \"batch\": %d, \"segment\": %d, \"warmup\": %d, \"lr\": ", o->batch, o->segment,
	    o->warmup);
	add_num(b, o->lr);
	textbuf_add(b, ", \"optimizer\": \"%s\", \"momentum\": ",
	    o->optimizer == CWRNN_OPT_ADAM ? "adam" : "nesterov");
	add_num(b, o->momentum);
	textbuf_add(b, ", \"loss\": \"%s\", \"preemph\": ", train_loss_name(o->loss));
	add_num(b, o->preemph);
	textbuf_add(b, ", \"seed\": %llu, \"threads\": %d, \"val\": ", (unsigned long long)o->seed,
	    o->threads);
	add_num(b, o->val);
	textbuf_add(b, ", \"patience\": %d, \"clip\": ", o->patience);
	add_num(b, o->clip);
	textbuf_add(b, ", \"init_sigma\": ");
	add_num(b, o->init_sigma);
	textbuf_add(b, ", \"max_latency_ms\": ");
	add_num(b, o->max_latency_ms);
	textbuf_add(b, ", \"skip\": %s, \"mixdown\": %s", o->skip ? "true" : "false",
	    o->mixdown ? "true" : "false");
	const char *names[] = {"input", "target", "val_input", "val_target", "output",
	                       "checkpoint", "resume", "report", "plot"};
	const char *values[] = {o->input, o->target, o->val_input, o->val_target, o->output,
	                        o->checkpoint, o->resume, o->report, o->plot};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		textbuf_add(b, ", \"%s\": ", names[i]);
		add_str(b, values[i]);
	}
	textbuf_add(b, ", \"command\": \"");
	for (int i = 0; i < o->argc; i++) {
		textbuf arg = {0};
		add_str(&arg, o->argv[i]);
		if (arg.failed)
			b->failed = 1;
		else  /* the argument without its quotes, space separated */
			textbuf_add(b, "%s%.*s", i ? " " : "", (int)(arg.len - 2), arg.s + 1);
		free(arg.s);
	}
	textbuf_add(b, "\"},\n");
}

/* Each pair: where it comes from, its knobs, latency and best ESR. */
static void
add_pairs(textbuf *b, const trainer *t, const dataset *ds)
{
	textbuf_add(b, "  \"pairs\": [");
	for (size_t k = 0; k < ds->n_parts; k++) {
		const dataset_part *p = &ds->parts[k];
		textbuf_add(b, "%s\n    {\"line\": %d, \"target\": ", k ? "," : "", p->line);
		add_str(b, p->name);
		textbuf_add(b, ", \"knobs\": {");
		for (int c = 0; c < t->cfg.n_controls; c++) {
			textbuf_add(b, "%s", c ? ", " : "");
			add_str(b, t->cfg.controls[c].name);
			textbuf_add(b, ": ");
			add_num(b, p->controls[c]);
		}
		textbuf_add(b, "}, \"latency_samples\": %ld, \"train_samples\": %zu, "
		    "\"val_samples\": %zu, \"val_esr\": ", p->latency, p->n, p->vn);
		add_num(b, t->best_part_esr[k]);
		textbuf_add(b, "}");
	}
	textbuf_add(b, "\n  ],\n");
}

static double
last_train_loss(const trainer *t)
{
	for (size_t i = t->n_history; i > 0; i--)
		if (isfinite(t->history[i - 1].train_loss))
			return t->history[i - 1].train_loss;
	return NAN;
}

int
report_write_json(const char *path, const trainer *t, const train_options *o,
                  const dataset *ds, char *msg, size_t msg_len)
{
	textbuf b = {0};
	double seconds = trainer_seconds(t);
	double epochs = t->n_history ? t->history[t->n_history - 1].epoch : 0.0;
	textbuf_add(&b, "{\n  \"task\": \"%s\",\n  \"params\": %zu,\n  \"seconds\": ",
	    options_command(o), t->n_params);
	add_num(&b, seconds);
	textbuf_add(&b, ",\n  \"epochs\": ");
	add_num(&b, epochs);
	textbuf_add(&b, ",\n  \"updates\": %llu,\n  \"sample_steps_per_second\": ",
	    (unsigned long long)t->updates);
	add_num(&b, t->train_seconds > 0.0 ? t->sample_steps / t->train_seconds : NAN);
	textbuf_add(&b, ",\n  \"train_loss\": ");
	add_num(&b, last_train_loss(t));
	textbuf_add(&b, ",\n  \"val_esr\": ");
	add_num(&b, t->best_esr);
	textbuf_add(&b, ",\n  \"val_nmse\": ");
	add_num(&b, t->best_nmse);
	textbuf_add(&b, ",\n  \"best_epoch\": ");
	add_num(&b, t->best_epoch >= 0 ? t->best_epoch : NAN);
	textbuf_add(&b, ",\n  \"val_source\": \"%s\",\n  \"validation\": \"double-precision batch "
	    "forward from a zero state\",\n  \"stopped\": \"%s\",\n  \"latency_samples\": ",
	    val_name(ds->val), report_stop_name(t->stop));
	if (o->task == CWRNN_TASK_TRANSFORM) {
		textbuf_add(&b, "%ld,\n  \"latency_ms\": ", ds->parts[0].latency);
		add_num(&b, 1e3 * (double)ds->parts[0].latency / ds->rate);
	} else {
		textbuf_add(&b, "null,\n  \"latency_ms\": null");
	}
	textbuf_add(&b, ",\n  \"data\": {\"rate\": %d, \"train_samples\": %zu, \"val_samples\": %zu},\n",
	    ds->rate, ds->n, ds->vn);
	if (ds->n_parts > 1 || o->pairs || o->capture)
		add_pairs(&b, t, ds);
	add_model(&b, &t->cfg, t->n_params);
	add_config(&b, o);
	textbuf_add(&b, "  \"history\": [");
	for (size_t i = 0; i < t->n_history; i++) {
		const train_point *p = &t->history[i];
		textbuf_add(&b, "%s\n    {\"epoch\": ", i ? "," : "");
		add_num(&b, p->epoch);
		textbuf_add(&b, ", \"train_loss\": ");
		add_num(&b, p->train_loss);
		textbuf_add(&b, ", \"val_esr\": ");
		add_num(&b, p->val_esr);
		textbuf_add(&b, ", \"val_nmse\": ");
		add_num(&b, p->val_nmse);
		textbuf_add(&b, ", \"seconds\": ");
		add_num(&b, p->seconds);
		textbuf_add(&b, "}");
	}
	textbuf_add(&b, "\n  ]\n}\n");
	int rc = b.failed ? cw_fail(msg, msg_len, "out of memory writing '%s'", path)
	                  : cw_write_atomically(path, b.s, b.len, msg, msg_len);
	free(b.s);
	return rc;
}

/* ------------------------------------------------------------------- plot */

int
report_write_svg(const char *path, const trainer *t, const train_options *o, char *msg,
                 size_t msg_len)
{
	/* epochs on x; loss and ESR on a log y axis spanning whole decades */
	double ly0 = INFINITY, ly1 = -INFINITY, x1 = 1.0;
	for (size_t i = 0; i < t->n_history; i++) {
		const train_point *p = &t->history[i];
		double v[2] = {p->train_loss, p->val_esr};
		for (int k = 0; k < 2; k++) {
			if (isfinite(v[k]) && v[k] > 0.0) {
				ly0 = fmin(ly0, floor(log10(v[k])));
				ly1 = fmax(ly1, ceil(log10(v[k])));
			}
		}
		x1 = fmax(x1, p->epoch);
	}
	if (!(ly0 <= ly1)) {
		ly0 = -3.0;
		ly1 = 0.0;
	}
	if (ly1 - ly0 < 1.0)
		ly1 = ly0 + 1.0;
	const svg_panel panel = {90, 50, 640, 340, 0.0, x1, pow(10.0, ly0), pow(10.0, ly1), 0, 1};

	svg b = {0};
	textbuf_add(&b, "<svg xmlns='http://www.w3.org/2000/svg' width='760' height='460' "
	            "font-family='sans-serif' font-size='13'>\n<rect width='100%%' height='100%%' "
	            "fill='white'/>\n");
	char title[512];
	snprintf(title, sizeof title, "cwrnn-train %s %s: training loss (%s%s) and validation ESR",
	         options_command(o), t->cfg.name, train_loss_name(o->loss),
	         o->preemph > 0.0 ? ", pre-emphasised" : "");
	svg_axes(&b, &panel, "%g", 1.0, "%g", 1.0);
	svg_labels(&b, &panel, title, "epoch", "loss / ESR (log scale)");

	double *x = malloc((t->n_history + 1) * sizeof *x);
	double *y = malloc((t->n_history + 1) * sizeof *y);
	static const char *const styles[2] = {"stroke='#1f77b4' stroke-width='2'",
	                                      "stroke='#d62728' stroke-width='2'"};
	static const char *const names[2] = {"training loss", "validation ESR"};
	for (int k = 0; k < 2 && x && y; k++) {
		for (size_t i = 0; i < t->n_history; i++) {
			x[i] = t->history[i].epoch;
			y[i] = k ? t->history[i].val_esr : t->history[i].train_loss;
		}
		svg_polyline(&b, &panel, x, y, t->n_history, styles[k]);
	}
	free(x);
	free(y);
	if (t->best_epoch >= 0 && isfinite(t->best_esr) && t->best_esr > 0.0) {
		textbuf_add(&b, "<circle cx='%.1f' cy='%.1f' r='5' fill='none' stroke='#d62728'/>\n",
		            svg_px(&panel, t->best_epoch), svg_py(&panel, t->best_esr));
		textbuf_add(&b, "<text x='%.1f' y='%.1f' text-anchor='end'>best validation ESR %.4g at "
		            "epoch %g</text>\n", panel.x + panel.w - 8, panel.y + panel.h - 10, t->best_esr,
		            t->best_epoch);
	}
	svg_legend(&b, panel.x + panel.w - 190, panel.y + 8, styles, names, 2);
	textbuf_add(&b, "</svg>\n");
	int rc = svg_save(&b, path, msg, msg_len);
	textbuf_free(&b);
	return rc;
}
