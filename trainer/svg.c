/* SVG text and plot panels (see svg.h). */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "util.h"

void
svg_text(svg *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': textbuf_add(b, "&lt;"); break;
		case '>': textbuf_add(b, "&gt;"); break;
		case '&': textbuf_add(b, "&amp;"); break;
		case '\'': textbuf_add(b, "&apos;"); break;
		case '"': textbuf_add(b, "&quot;"); break;
		default: textbuf_add(b, "%c", *s);
		}
	}
}

int
svg_save(const svg *b, const char *path, char *msg, size_t msg_len)
{
	if (b->failed || !b->s)
		return cw_fail(msg, msg_len, "out of memory drawing '%s'", path);
	return cw_write_atomically(path, b->s, b->len, msg, msg_len);
}

/* ---------------------------------------------------------------- panels */

static double
axis_pos(double v, double v0, double v1, int logscale)
{
	if (logscale)
		return (log10(v) - log10(v0)) / (log10(v1) - log10(v0));
	return (v - v0) / (v1 - v0);
}

double
svg_px(const svg_panel *p, double v)
{
	return p->x + axis_pos(v, p->x0, p->x1, p->xlog) * p->w;
}

double
svg_py(const svg_panel *p, double v)
{
	return p->y + p->h - axis_pos(v, p->y0, p->y1, p->ylog) * p->h;
}

/* The id of a panel's clip path (from its position: panels do not overlap). */
const char *
svg_clip_id(const svg_panel *p)
{
	static char id[48];
	snprintf(id, sizeof id, "clip-%d-%d", (int)p->x, (int)p->y);
	return id;
}

/* A step of 1, 2 or 5 times a power of ten giving about n ticks. */
static double
nice_step(double range, int n)
{
	double raw = range / n, p = pow(10.0, floor(log10(raw))), m = raw / p;
	return (m < 1.5 ? 1.0 : m < 3.5 ? 2.0 : m < 7.5 ? 5.0 : 10.0) * p;
}

/* Tick values of one axis into t (at most max). */
static int
ticks(double v0, double v1, int logscale, int n_wanted, double *t, int max)
{
	int n = 0;
	if (!logscale) {
		double step = nice_step(v1 - v0, n_wanted);
		for (double v = ceil(v0 / step - 1e-9) * step; v <= v1 + 1e-9 * step && n < max;
		     v += step)
			t[n++] = fabs(v) < 1e-12 * step ? 0.0 : v;
		return n;
	}
	int few = log10(v1 / v0) <= 3.5;
	for (int d = (int)floor(log10(v0)); d <= (int)ceil(log10(v1)); d++) {
		static const int mult[3] = {1, 2, 5};
		for (int i = 0; i < 3 && n < max; i++) {
			double v = mult[i] * pow(10.0, d);
			if ((mult[i] == 1 || few) && v >= v0 * (1 - 1e-9) && v <= v1 * (1 + 1e-9))
				t[n++] = v;
		}
	}
	return n;
}

void
svg_axes(svg *b, const svg_panel *p, const char *xfmt, double xscale, const char *yfmt,
         double yscale)
{
	double t[64];
	char label[64];
	int n = ticks(p->x0, p->x1, p->xlog, (int)(p->w / 90), t, 64);
	textbuf_add(b, "<g font-size='12' fill='#444'>\n");
	for (int i = 0; i < n; i++) {
		double x = svg_px(p, t[i]);
		textbuf_add(b, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#e4e4e4'/>\n", x, p->y,
		            x, p->y + p->h);
		if (xfmt)
			snprintf(label, sizeof label, xfmt, t[i] * xscale);
		else if (t[i] * xscale >= 1000.0)
			snprintf(label, sizeof label, "%gk", t[i] * xscale / 1000.0);
		else
			snprintf(label, sizeof label, "%g", t[i] * xscale);
		textbuf_add(b, "<text x='%.1f' y='%.1f' text-anchor='middle'>%s</text>\n", x,
		            p->y + p->h + 16, label);
	}
	n = ticks(p->y0, p->y1, p->ylog, (int)(p->h / 45) + 1, t, 64);
	for (int i = 0; i < n; i++) {
		double y = svg_py(p, t[i]);
		textbuf_add(b, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#e4e4e4'/>\n", p->x, y,
		            p->x + p->w, y);
		snprintf(label, sizeof label, yfmt, t[i] * yscale);
		textbuf_add(b, "<text x='%.1f' y='%.1f' text-anchor='end'>%s</text>\n", p->x - 6, y + 4,
		            label);
	}
	textbuf_add(b, "</g>\n<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='none' "
	            "stroke='#888'/>\n", p->x, p->y, p->w, p->h);
	textbuf_add(b, "<clipPath id='%s'><rect x='%.1f' y='%.1f' width='%.1f' height='%.1f'/>"
	            "</clipPath>\n", svg_clip_id(p), p->x, p->y, p->w, p->h);
}

void
svg_labels(svg *b, const svg_panel *p, const char *title, const char *xlabel, const char *ylabel)
{
	textbuf_add(b, "<text x='%.1f' y='%.1f' font-size='15' font-weight='bold' fill='#222'>", p->x,
	            p->y - 10);
	svg_text(b, title);
	textbuf_add(b, "</text>\n<text x='%.1f' y='%.1f' text-anchor='middle' font-size='13' "
	            "fill='#333'>", p->x + p->w / 2, p->y + p->h + 36);
	svg_text(b, xlabel);
	textbuf_add(b, "</text>\n<text transform='translate(%.1f %.1f) rotate(-90)' "
	            "text-anchor='middle' font-size='13' fill='#333'>", p->x - 52, p->y + p->h / 2);
	svg_text(b, ylabel);
	textbuf_add(b, "</text>\n");
}

void
svg_polyline(svg *b, const svg_panel *p, const double *xs, const double *ys, size_t n,
             const char *style)
{
	textbuf_add(b, "<g clip-path='url(#%s)'>\n", svg_clip_id(p));
	int open = 0;
	for (size_t i = 0; i < n; i++) {
		int ok = isfinite(xs[i]) && isfinite(ys[i]) && (!p->xlog || xs[i] > 0) &&
		         (!p->ylog || ys[i] > 0);
		if (ok && !open) {
			textbuf_add(b, "<polyline fill='none' stroke-linejoin='round' %s points='", style);
			open = 1;
		} else if (!ok && open) {
			textbuf_add(b, "'/>\n");
			open = 0;
		}
		if (ok)
			textbuf_add(b, "%.1f,%.1f ", svg_px(p, xs[i]), svg_py(p, ys[i]));
	}
	if (open)
		textbuf_add(b, "'/>\n");
	textbuf_add(b, "</g>\n");
}

void
svg_legend(svg *b, double x, double y, const char *const *styles, const char *const *texts,
           int n)
{
	double w = 0;
	for (int i = 0; i < n; i++)
		w = fmax(w, 7.0 * (double)strlen(texts[i]));
	textbuf_add(b, "<rect x='%.1f' y='%.1f' width='%.1f' height='%d' fill='white' "
	            "fill-opacity='0.9' stroke='#ccc' rx='3'/>\n", x, y, w + 52, 20 * n + 8);
	for (int i = 0; i < n; i++) {
		double ly = y + 14 + 20 * i;
		textbuf_add(b, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' %s/>\n", x + 8, ly, x + 36, ly,
		            styles[i]);
		textbuf_add(b, "<text x='%.1f' y='%.1f' font-size='12.5' fill='#222'>", x + 42, ly + 4);
		svg_text(b, texts[i]);
		textbuf_add(b, "</text>\n");
	}
}

void
svg_legend_row(svg *b, double x, double y, const char *const *styles, const char *const *texts,
               int n)
{
	for (int i = 0; i < n; i++) {
		textbuf_add(b, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' %s/>\n", x, y, x + 28, y,
		            styles[i]);
		textbuf_add(b, "<text x='%.1f' y='%.1f' font-size='12.5' fill='#222'>", x + 34, y + 4);
		svg_text(b, texts[i]);
		textbuf_add(b, "</text>\n");
		x += 34 + 7.0 * (double)strlen(texts[i]) + 18;
	}
}
