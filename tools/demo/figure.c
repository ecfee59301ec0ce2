/* The demo picture (see figure.h). Layout, top to bottom: a header, the
 * whole clip's waveform envelopes, then a zoomed excerpt beside the spectra,
 * then the learning curve beside the numbers. Colours: the Okabe-Ito blue
 * and vermilion (distinct in print, in grey and for colour-blind readers),
 * grey for the dry input and the error. */
#include "figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signal.h"
#include "svg.h"

#define W 1200
#define H 1120
#define BLUE "#0072B2"
#define ORANGE "#D55E00"
#define GREY "#9a9a9a"
#define FFT_N 8192
#define ZOOM_MS 12.0
#define ZOOM_AFTER_MS 150.0

static const char *STYLE_DRY = "stroke='" GREY "' stroke-width='1.3'";
static const char *STYLE_TARGET = "stroke='" BLUE "' stroke-width='2.6'";
static const char *STYLE_OUTPUT = "stroke='" ORANGE "' stroke-width='1.6' stroke-dasharray='6 3'";
static const char *STYLE_ERROR = "stroke='#444' stroke-width='1' stroke-dasharray='2 2'";

static double
db(double power)
{
	return 10.0 * log10(power > 1e-30 ? power : 1e-30);
}

/* A filled band between lo and hi per column. */
static void
band(svg *b, const svg_panel *p, const float *lo, const float *hi, int cols, const char *style)
{
	textbuf_add(b, "<polygon clip-path='url(#%s)' %s points='", svg_clip_id(p), style);
	for (int c = 0; c < cols; c++)
		textbuf_add(b, "%.1f,%.1f ", p->x + c + 0.5, svg_py(p, hi[c]));
	for (int c = cols - 1; c >= 0; c--)
		textbuf_add(b, "%.1f,%.1f ", p->x + c + 0.5, svg_py(p, lo[c]));
	textbuf_add(b, "'/>\n");
}

static double
peak(const float *x, size_t n)
{
	double m = 0.0;
	for (size_t i = 0; i < n; i++)
		m = fmax(m, fabs(x[i]));
	return m;
}

/* The whole clip: target and output envelopes, the error's, the zoom marked. */
static int
overview(svg *b, const figure_data *d, size_t zoom_at, size_t zoom_n)
{
	double seconds = (double)d->n / d->rate;
	double top = ceil(fmax(peak(d->target, d->n), peak(d->output, d->n)) * 10.0) / 10.0;
	svg_panel p = {80, 170, 1090, 180, 0.0, seconds, -top, top, 0, 0};
	int cols = (int)p.w;
	float *env = malloc(6 * (size_t)cols * sizeof *env);
	float *err = malloc(d->n * sizeof *err);
	if (!env || !err) {
		free(env);
		free(err);
		return -1;
	}
	for (size_t i = 0; i < d->n; i++)
		err[i] = d->target[i] - d->output[i];
	svg_axes(b, &p, "%g", 1.0, "%g", 1.0);
	sig_envelope(d->target, d->n, cols, env, env + cols);
	sig_envelope(d->output, d->n, cols, env + 2 * cols, env + 3 * cols);
	sig_envelope(err, d->n, cols, env + 4 * cols, env + 5 * cols);
	band(b, &p, env, env + cols, cols, "fill='" BLUE "' fill-opacity='0.55'");
	band(b, &p, env + 2 * cols, env + 3 * cols, cols,
	     "fill='none' stroke='" ORANGE "' stroke-width='0.8'");
	band(b, &p, env + 4 * cols, env + 5 * cols, cols, "fill='#222' fill-opacity='0.8'");
	double x0 = svg_px(&p, (double)zoom_at / d->rate);
	double x1 = svg_px(&p, (double)(zoom_at + zoom_n) / d->rate);
	textbuf_add(b, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='none' stroke='#000' "
	            "stroke-width='1.2' stroke-dasharray='3 2'/>\n", x0 - 2, p.y + 2, x1 - x0 + 4,
	            p.h - 4);
	textbuf_add(b, "<text x='%.1f' y='%.1f' font-size='12'>zoom</text>\n", x1 + 5, p.y + 15);
	svg_labels(b, &p, "Whole held-out clip: waveform envelopes", "time (s)",
	           "amplitude (full scale = 1)");
	const char *styles[3] = {"stroke='" BLUE "' stroke-opacity='0.6' stroke-width='8'",
	                         "stroke='" ORANGE "' stroke-width='1.5'",
	                         "stroke='#222' stroke-width='8'"};
	char names[3][96];
	snprintf(names[0], sizeof names[0], "%s", d->names[1]);
	snprintf(names[1], sizeof names[1], "%s", d->names[2]);
	snprintf(names[2], sizeof names[2], "error (target - output)");
	const char *texts[3] = {names[0], names[1], names[2]};
	svg_legend(b, p.x + p.w - 330, p.y - 62, styles, texts, 3);
	free(env);
	free(err);
	return 0;
}

/* ZOOM_MS around zoom_at: dry, target and output sample by sample. */
static int
zoom(svg *b, const figure_data *d, size_t at, size_t n)
{
	double top = ceil(fmax(fmax(peak(d->target + at, n), peak(d->output + at, n)),
	                       peak(d->dry + at, n)) * 10.0) / 10.0;
	double t0 = (double)at / d->rate;
	svg_panel p = {80, 450, 490, 260, 0.0, 1e3 * (double)n / d->rate, -top, top, 0, 0};
	double *xs = malloc(4 * n * sizeof *xs);
	if (!xs)
		return -1;
	double *ys = xs + n;
	svg_axes(b, &p, "%g", 1.0, "%g", 1.0);
	for (size_t i = 0; i < n; i++)
		xs[i] = 1e3 * (double)i / d->rate;
	const float *sig[3] = {d->dry, d->target, d->output};
	const char *style[3] = {STYLE_DRY, STYLE_TARGET, STYLE_OUTPUT};
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < n; i++)
			ys[i] = sig[k][at + i];
		svg_polyline(b, &p, xs, ys, n, style[k]);
	}
	char title[128], xlabel[128];
	snprintf(title, sizeof title, "Zoom: %.0f ms of the loudest note's sustain", ZOOM_MS);
	snprintf(xlabel, sizeof xlabel, "time (ms) after %.3f s", t0);
	svg_labels(b, &p, title, xlabel, "amplitude");
	const char *texts[3] = {d->names[0], d->names[1], d->names[2]};
	svg_legend_row(b, p.x, p.y + p.h + 62, style, texts, 3);
	free(xs);
	return 0;
}

/* Power of a Welch spectrum averaged over each pixel column of p (the
 * nearest bin where a column holds none), in dB, into ys[cols]. */
static void
columns_db(const svg_panel *p, const double *power, double rate, double *xs, double *ys)
{
	double bin_hz = rate / FFT_N;
	for (int c = 0; c < (int)p->w; c++) {
		double f0 = p->x0 * pow(p->x1 / p->x0, c / p->w);
		double f1 = p->x0 * pow(p->x1 / p->x0, (c + 1) / p->w);
		size_t k0 = (size_t)ceil(f0 / bin_hz), k1 = (size_t)floor(f1 / bin_hz), n = 0;
		double sum = 0.0;
		for (size_t k = k0; k <= k1 && k <= FFT_N / 2; k++, n++)
			sum += power[k];
		if (!n) {
			size_t k = (size_t)lround(sqrt(f0 * f1) / bin_hz);
			sum = power[k <= FFT_N / 2 ? k : FFT_N / 2];
			n = 1;
		}
		xs[c] = sqrt(f0 * f1);
		ys[c] = db(sum / (double)n);
	}
}

static int
spectra(svg *b, const figure_data *d)
{
	svg_panel p = {680, 450, 490, 260, 20.0, d->rate / 2, 0, 0, 1, 0};
	int cols = (int)p.w;
	double *power = malloc((FFT_N / 2 + 1) * 4 * sizeof *power);
	double *xs = malloc((size_t)cols * 5 * sizeof *xs);
	float *err = malloc(d->n * sizeof *err);
	if (!power || !xs || !err) {
		free(power);
		free(xs);
		free(err);
		return -1;
	}
	double *ys = xs + cols;
	for (size_t i = 0; i < d->n; i++)
		err[i] = d->target[i] - d->output[i];
	const float *sig[4] = {d->dry, d->target, d->output, err};
	double top = -INFINITY;
	for (int k = 0; k < 4; k++) {
		double *pw = power + k * (FFT_N / 2 + 1);
		sig_power_spectrum(sig[k], d->n, FFT_N, pw);
		columns_db(&p, pw, d->rate, xs, ys + k * cols);
		for (int c = 0; c < cols && k < 3; c++)
			top = fmax(top, ys[k * cols + c]);
	}
	p.y1 = ceil(top / 10.0) * 10.0;
	p.y0 = p.y1 - 100.0;
	svg_axes(b, &p, NULL, 1.0, "%g", 1.0);
	const char *style[4] = {STYLE_DRY, STYLE_TARGET, STYLE_OUTPUT, STYLE_ERROR};
	for (int k = 0; k < 4; k++)
		svg_polyline(b, &p, xs, ys + k * cols, (size_t)cols, style[k]);
	svg_labels(b, &p, "Spectra of the whole clip (Welch, Hann 8192)", "frequency (Hz, log)",
	           "power (dB re full-scale sine)");
	const char *texts[4] = {d->names[0], d->names[1], d->names[2], "error (target - output)"};
	svg_legend_row(b, p.x, p.y + p.h + 62, style, texts, 4);
	free(power);
	free(xs);
	free(err);
	return 0;
}

/* The largest 1, 2 or 5 times a power of ten at most v, and the smallest at
 * least v. */
static double
nice_log_floor(double v)
{
	double p = pow(10.0, floor(log10(v)));
	return v >= 5 * p ? 5 * p : v >= 2 * p ? 2 * p : p;
}

static double
nice_log_ceil(double v)
{
	double p = pow(10.0, floor(log10(v)));
	return v <= p ? p : v <= 2 * p ? 2 * p : v <= 5 * p ? 5 * p : 10 * p;
}

static int
learning_curve(svg *b, const figure_data *d)
{
	const train_report *r = d->report;
	svg_panel p = {80, 860, 490, 200, 0.0, 1.0, INFINITY, -INFINITY, 0, 1};
	size_t n = r->n_points;
	double *v = malloc((3 * n + 2) * sizeof *v);
	if (!v)
		return -1;
	double *tl = v + n, *ve = tl + n;
	for (size_t i = 0; i < n; i++) {
		v[i] = r->points[i].epoch;
		tl[i] = r->points[i].train_loss;
		ve[i] = r->points[i].val_esr;
		p.x1 = fmax(p.x1, v[i]);
		for (int k = 0; k < 2; k++) {
			double y = k ? ve[i] : tl[i];
			if (isfinite(y) && y > 0) {
				p.y0 = fmin(p.y0, y);
				p.y1 = fmax(p.y1, y);
			}
		}
	}
	if (isfinite(d->test_esr) && d->test_esr > 0) {
		p.y0 = fmin(p.y0, d->test_esr);
		p.y1 = fmax(p.y1, d->test_esr);
	}
	if (!(p.y0 <= p.y1)) {
		p.y0 = 1e-3;
		p.y1 = 1.0;
	}
	p.y0 = nice_log_floor(p.y0);
	p.y1 = nice_log_ceil(p.y1);
	svg_axes(b, &p, "%g", 1.0, "%g", 1.0);
	const char *style[3] = {"stroke='" GREY "' stroke-width='2'",
	                        "stroke='" BLUE "' stroke-width='2.6'",
	                        "stroke='" ORANGE "' stroke-width='2' stroke-dasharray='6 3'"};
	svg_polyline(b, &p, v, tl, n, style[0]);
	svg_polyline(b, &p, v, ve, n, style[1]);
	double hx[2] = {p.x0, p.x1}, hy[2] = {d->test_esr, d->test_esr};
	svg_polyline(b, &p, hx, hy, 2, style[2]);
	size_t best = n;
	for (size_t i = 0; i < n; i++) {
		if (!(isfinite(ve[i]) && ve[i] > 0))
			continue;
		textbuf_add(b, "<circle cx='%.1f' cy='%.1f' r='3' fill='" BLUE "'/>\n", svg_px(&p, v[i]),
		            svg_py(&p, ve[i]));
		if (best == n || ve[i] < ve[best])
			best = i;
	}
	if (best < n) /* the model the trainer writes: the best validation ESR */
		textbuf_add(b, "<circle cx='%.1f' cy='%.1f' r='7' fill='none' stroke='#111' "
		            "stroke-width='1.5'/><text x='%.1f' y='%.1f' font-size='12' text-anchor='middle' "
		            "fill='#111'>kept</text>\n", svg_px(&p, v[best]), svg_py(&p, ve[best]),
		            svg_px(&p, v[best]), svg_py(&p, ve[best]) + 22);
	char title[128], loss[96];
	snprintf(title, sizeof title, "Training: %.0f epochs in %.1f s", r->epochs, r->seconds);
	svg_labels(b, &p, title, "epoch", "ESR (log scale)");
	snprintf(loss, sizeof loss, "training loss (%s, pre-emphasised)", r->loss);
	const char *texts[3] = {loss, "validation ESR (held-out 10 % of the pair)",
	                        "test ESR through the plugin (above)"};
	svg_legend(b, p.x + p.w - 318, p.y + 6, style, texts, 3);
	free(v);
	return 0;
}

static void
row(svg *b, double y, const char *key, const char *value)
{
	textbuf_add(b, "<text x='680' y='%.1f' font-size='13.5' fill='#444'>", y);
	svg_text(b, key);
	textbuf_add(b, "</text><text x='1170' y='%.1f' font-size='13.5' text-anchor='end' "
	            "font-weight='bold' fill='#111'>", y);
	svg_text(b, value);
	textbuf_add(b, "</text>\n");
}

static void
numbers(svg *b, const figure_data *d)
{
	const train_report *r = d->report;
	char v[160];
	double y = 860;
	textbuf_add(b, "<text x='680' y='850' font-size='15' font-weight='bold' fill='#222'>"
	            "The numbers</text>\n");
	textbuf_add(b, "<line x1='680' y1='%.1f' x2='1170' y2='%.1f' stroke='#ccc'/>\n", y, y);
	snprintf(v, sizeof v, "%.4f  (%.1f dB)", d->test_esr, 10 * log10(d->test_esr));
	row(b, y += 24, "test ESR, plugin output vs target", v);
	snprintf(v, sizeof v, "%.3g", d->test_esr_raw);
	char key[128];
	snprintf(key, sizeof key, "  ... with the target's %.0f-sample latency kept", d->latency);
	row(b, y += 22, key, v);
	snprintf(v, sizeof v, "%.4f", r->val_esr);
	row(b, y += 22, "validation ESR (training pair, held out)", v);
	snprintf(v, sizeof v, "%.0f params: %.0f units, %.0f modules", r->params, r->hidden,
	         r->modules);
	row(b, y += 22, "model", v);
	snprintf(v, sizeof v, "%.0f epochs, %.1f s", r->epochs, r->seconds);
	row(b, y += 22, "training", v);
	if (isfinite(d->render_seconds)) {
		double audio = (double)d->n / d->rate;
		snprintf(v, sizeof v, "%.2f s for %.1f s of audio (%.0fx real time)", d->render_seconds,
		         audio, audio / d->render_seconds);
		row(b, y += 22, "LV2 render (run() calls)", v);
	}
	if (isfinite(d->max_diff)) {
		if (d->max_diff == 0.0)
			snprintf(v, sizeof v, "identical (max |diff| 0)");
		else
			snprintf(v, sizeof v, "max |diff| %.2g", d->max_diff);
		row(b, y += 22, "plugin vs cwrnn-render (engine)", v);
	}
	textbuf_add(b, "<text x='680' y='%.1f' font-size='12' fill='#666'>ESR = sum (target - output)"
	            "\xc2\xb2 / sum target\xc2\xb2; 0 is perfect, 1 is as far as silence.</text>\n",
	            y + 28);
}

static void
header(svg *b, const figure_data *d)
{
	textbuf_add(b, "<text x='80' y='42' font-size='24' font-weight='bold' fill='#111'>");
	svg_text(b, d->title);
	textbuf_add(b, "</text>\n");
	if (d->caption) {
		textbuf_add(b, "<text x='80' y='70' font-size='14' fill='#444'>");
		svg_text(b, d->caption);
		textbuf_add(b, "</text>\n");
	}
}

int
figure_write(const figure_data *d, const char *path, char *msg, size_t msg_len)
{
	size_t zn = (size_t)lround(ZOOM_MS * 1e-3 * d->rate);
	if (zn > d->n)
		zn = d->n;
	/* The loudest note's attack is a transient; its sustain shows the
	 * effect's waveshape: start ZOOM_AFTER_MS after the loudest window. */
	size_t at = sig_loudest(d->target, d->n, zn) + (size_t)lround(ZOOM_AFTER_MS * 1e-3 * d->rate);
	if (at + zn > d->n)
		at = d->n - zn;
	svg b = {0};
	textbuf_add(&b, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
	            "viewBox='0 0 %d %d' font-family='DejaVu Sans, Helvetica, Arial, sans-serif'>\n"
	            "<rect width='100%%' height='100%%' fill='white'/>\n", W, H, W, H);
	header(&b, d);
	if (overview(&b, d, at, zn) || zoom(&b, d, at, zn) || spectra(&b, d) ||
	    learning_curve(&b, d)) {
		textbuf_free(&b);
		snprintf(msg, msg_len, "out of memory drawing '%s'", path);
		return -1;
	}
	numbers(&b, d);
	textbuf_add(&b, "</svg>\n");
	int rc = svg_save(&b, path, msg, msg_len);
	textbuf_free(&b);
	return rc;
}
