/* The demo's picture: one self-contained SVG comparing a model's output with
 * its target (waveform overview, a zoomed excerpt, spectra), the learning
 * curve and the numbers. */
#ifndef DEMO_FIGURE_H
#define DEMO_FIGURE_H

#include <stddef.h>

#include "history.h"

typedef struct {
	const float *dry, *target, *output;  /* aligned: output[t] models target[t] */
	size_t n;                            /* samples of each */
	double rate;                         /* Hz */
	double latency;                      /* samples removed from the target, shown in labels */
	const train_report *report;          /* learning curve and model size */
	double test_esr, test_esr_raw;       /* with and without the latency removed */
	double max_diff;                     /* plugin vs engine render, NAN if not compared */
	double render_seconds;               /* wall time in run(), NAN if unknown */
	const char *title, *caption;         /* header lines (caption may be NULL) */
	const char *names[3];                /* legend names: dry, target, output */
} figure_data;

/* Draws the figure into path (atomically). Returns 0 or -1 with msg. */
int figure_write(const figure_data *d, const char *path, char *msg, size_t msg_len);

#endif
