/* The one SVG writer (cwrnn-train's --plot, cwrnn-demo-plot's picture): a
 * growing text buffer, and plot panels that map data to pixels (linear or
 * log axes) and draw their frame, grid, ticks and labels. */
#ifndef TRAINER_SVG_H
#define TRAINER_SVG_H

#include <stddef.h>

#include "textbuf.h"

/* The document being written with textbuf_add, freed with textbuf_free (out
 * of memory sticks, reported at svg_save). */
typedef textbuf svg;

/* Text content with the XML specials escaped. */
void svg_text(svg *b, const char *s);

/* Writes the buffer to path atomically. Returns 0 or -1 with msg. */
int svg_save(const svg *b, const char *path, char *msg, size_t msg_len);

typedef struct {
	double x, y, w, h;           /* pixels */
	double x0, x1, y0, y1;       /* data range */
	int xlog, ylog;              /* log10 axes */
} svg_panel;

double svg_px(const svg_panel *p, double v);
double svg_py(const svg_panel *p, double v);

/* Frame, grid lines, tick labels (1-2-5 steps on linear axes; decades, plus
 * 2 and 5 when few decades show, on log axes) and a clip path for the plot
 * area (svg_clip_id). Tick values print as value * scale with format fmt; a
 * NULL xfmt prints thousands with a k (2k, 10k). */
void svg_axes(svg *b, const svg_panel *p, const char *xfmt, double xscale, const char *yfmt,
              double yscale);

/* The id of the clip path svg_axes defines for a panel (static buffer). */
const char *svg_clip_id(const svg_panel *p);

/* Axis titles and a panel title above the frame. */
void svg_labels(svg *b, const svg_panel *p, const char *title, const char *xlabel,
                const char *ylabel);

/* A polyline of n points, clipped to the panel; style is the attribute text
 * (stroke, width, dashes). NAN points break the line. */
void svg_polyline(svg *b, const svg_panel *p, const double *xs, const double *ys, size_t n,
                  const char *style);

/* A legend box at (x, y), top-left, with n entries: style of a short line and
 * the text beside it. */
void svg_legend(svg *b, double x, double y, const char *const *styles,
                const char *const *texts, int n);

/* The same entries side by side on one line starting at (x, y) (the line's
 * vertical centre). */
void svg_legend_row(svg *b, double x, double y, const char *const *styles,
                    const char *const *texts, int n);

#endif
