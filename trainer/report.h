/* What a training run leaves besides the model: a JSON report and an SVG
 * plot of the learning curves. Both written atomically. */
#ifndef TRAINER_REPORT_H
#define TRAINER_REPORT_H

#include <stddef.h>

#include "dataset.h"
#include "options.h"
#include "train.h"

/* A short word for a stop reason ("epochs", "time", ...). */
const char *report_stop_name(train_stop stop);

/* Writes the JSON report: task, params, seconds, epochs, throughput, final
 * numbers, data, model, the whole configuration and the learning curve.
 * Returns 0 or -1 with msg. */
int report_write_json(const char *path, const trainer *t, const train_options *o,
                      const dataset *ds, char *msg, size_t msg_len);

/* Writes an SVG with the training loss and validation ESR per epoch on a
 * log scale, axes, ticks, labels, legend and the best point marked. */
int report_write_svg(const char *path, const trainer *t, const train_options *o, char *msg,
                     size_t msg_len);

#endif
