/* JSON report and SVG learning curves. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
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

/* Text for an SVG element: the five XML specials escaped. */
static void
add_xml(textbuf *b, const char *s)
{
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '<': textbuf_add(b, "&lt;"); break;
		case '>': textbuf_add(b, "&gt;"); break;
		case '&': textbuf_add(b, "&amp;"); break;
		case '\'': textbuf_add(b, "&apos;"); break;
		case '"': textbuf_add(b, "&quot;"); break;
		default: textbuf_add(b, "%c", *p);
		}
	}
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
	textbuf_add(b, ", \"name\": ");
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
	    options_task_name(o->task), t->n_params);
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
		textbuf_add(&b, "%ld,\n  \"latency_ms\": ", ds->latency);
		add_num(&b, 1e3 * (double)ds->latency / ds->rate);
	} else {
		textbuf_add(&b, "null,\n  \"latency_ms\": null");
	}
	textbuf_add(&b, ",\n  \"data\": {\"rate\": %d, \"train_samples\": %zu, \"val_samples\": %zu},\n",
	    ds->rate, ds->n, ds->vn);
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

enum { W = 760, H = 460, LEFT = 90, RIGHT = 30, TOP = 50, BOTTOM = 70 };

typedef struct {
	double x0, x1, ly0, ly1;  /* epochs; log10 of the values */
} frame;

static double
px(const frame *f, double epoch)
{
	return LEFT + (epoch - f->x0) / (f->x1 - f->x0) * (W - LEFT - RIGHT);
}

static double
py(const frame *f, double v)
{
	return TOP + (f->ly1 - log10(v)) / (f->ly1 - f->ly0) * (H - TOP - BOTTOM);
}

/* A step of 1, 2 or 5 times a power of ten giving about five ticks. */
static double
nice_step(double range)
{
	double raw = range / 5.0, p = pow(10.0, floor(log10(raw)));
	double m = raw / p;
	return (m < 1.5 ? 1.0 : m < 3.5 ? 2.0 : m < 7.5 ? 5.0 : 10.0) * p;
}

static void
add_axes(textbuf *b, const frame *f)
{
	textbuf_add(b, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#333'/>\n", LEFT, TOP,
	    W - LEFT - RIGHT, H - TOP - BOTTOM);
	double step = nice_step(f->x1 - f->x0);
	for (double e = ceil(f->x0 / step) * step; e <= f->x1 + 1e-9; e += step) {
		double x = px(f, e);
		textbuf_add(b, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>\n", x, TOP, x,
		    H - BOTTOM);
		textbuf_add(b, "<textbuf x='%.1f' y='%d' text-anchor='middle'>%g</text>\n", x, H - BOTTOM + 18, e);
	}
	/* Decades, and 2 and 5 times them when few decades are shown. */
	int minor = f->ly1 - f->ly0 <= 2.0;
	for (int d = (int)f->ly0; d <= (int)f->ly1; d++) {
		static const int mult[3] = {1, 2, 5};
		for (int i = 0; i < 3; i++) {
			int k = mult[i];
			if (k > 1 && (!minor || d == (int)f->ly1))
				continue;
			double y = py(f, k * pow(10.0, d));
			textbuf_add(b, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#%s'/>\n", LEFT, y,
			    W - RIGHT, y, k == 1 ? "ccc" : "eee");
			textbuf_add(b, "<textbuf x='%d' y='%.1f' text-anchor='end'>%de%d</text>\n", LEFT - 6, y + 4,
			    k, d);
		}
	}
	textbuf_add(b, "<textbuf x='%d' y='%d' text-anchor='middle'>epoch</text>\n", (LEFT + W - RIGHT) / 2,
	    H - 25);
	textbuf_add(b, "<textbuf transform='translate(22 %d) rotate(-90)' text-anchor='middle'>"
	    "loss / ESR (log scale)</text>\n", (TOP + H - BOTTOM) / 2);
}

static void
add_curve(textbuf *b, const frame *f, const trainer *t, int val, const char *color)
{
	textbuf_add(b, "<polyline fill='none' stroke='%s' stroke-width='2' points='", color);
	for (size_t i = 0; i < t->n_history; i++) {
		double v = val ? t->history[i].val_esr : t->history[i].train_loss;
		if (isfinite(v) && v > 0.0)
			textbuf_add(b, "%.1f,%.1f ", px(f, t->history[i].epoch), py(f, v));
	}
	textbuf_add(b, "'/>\n");
}

int
report_write_svg(const char *path, const trainer *t, const train_options *o, char *msg,
                 size_t msg_len)
{
	frame f = {0.0, 1.0, INFINITY, -INFINITY};
	for (size_t i = 0; i < t->n_history; i++) {
		const train_point *p = &t->history[i];
		double v[2] = {p->train_loss, p->val_esr};
		for (int k = 0; k < 2; k++) {
			if (isfinite(v[k]) && v[k] > 0.0) {
				f.ly0 = fmin(f.ly0, floor(log10(v[k])));
				f.ly1 = fmax(f.ly1, ceil(log10(v[k])));
			}
		}
		f.x1 = fmax(f.x1, p->epoch);
	}
	if (!(f.ly0 <= f.ly1)) {
		f.ly0 = -3.0;
		f.ly1 = 0.0;
	}
	if (f.ly1 - f.ly0 < 1.0)
		f.ly1 = f.ly0 + 1.0;
	textbuf b = {0};
	textbuf_add(&b, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
	    "font-family='sans-serif' font-size='13'>\n<rect width='100%%' height='100%%' "
	    "fill='white'/>\n", W, H);
	textbuf_add(&b, "<textbuf x='%d' y='28' text-anchor='middle' font-size='15'>cwrnn-train %s ", W / 2,
	    options_task_name(o->task));
	add_xml(&b, t->cfg.name);
	textbuf_add(&b, ": training loss (%s%s) and validation ESR</text>\n",
	    train_loss_name(o->loss), o->preemph > 0.0 ? ", pre-emphasised" : "");
	add_axes(&b, &f);
	add_curve(&b, &f, t, 0, "#1f77b4");
	add_curve(&b, &f, t, 1, "#d62728");
	if (t->best_epoch >= 0 && isfinite(t->best_esr) && t->best_esr > 0.0) {
		double x = px(&f, t->best_epoch), y = py(&f, t->best_esr);
		textbuf_add(&b, "<circle cx='%.1f' cy='%.1f' r='5' fill='none' stroke='#d62728'/>\n", x, y);
		textbuf_add(&b, "<textbuf x='%d' y='%d' text-anchor='end'>best validation ESR %.4g at epoch %g"
		    "</text>\n", W - RIGHT - 8, H - BOTTOM - 10, t->best_esr, t->best_epoch);
	}
	int lx = W - RIGHT - 190, ly = TOP + 18;
	textbuf_add(&b, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#1f77b4' stroke-width='2'/>"
	    "<textbuf x='%d' y='%d'>training loss</text>\n", lx, ly, lx + 24, ly, lx + 30, ly + 4);
	textbuf_add(&b, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#d62728' stroke-width='2'/>"
	    "<textbuf x='%d' y='%d'>validation ESR</text>\n", lx, ly + 20, lx + 24, ly + 20, lx + 30,
	    ly + 24);
	textbuf_add(&b, "</svg>\n");
	int rc = b.failed ? cw_fail(msg, msg_len, "out of memory writing '%s'", path)
	                  : cw_write_atomically(path, b.s, b.len, msg, msg_len);
	free(b.s);
	return rc;
}
