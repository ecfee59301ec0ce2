/* Reads what the demo needs from cwrnn-train's JSON report (--report): the
 * totals, the model size, the latency removed and the learning curve, by
 * key wherever they stand (parsed with jansson). */
#ifndef DEMO_HISTORY_H
#define DEMO_HISTORY_H

#include <stddef.h>

typedef struct {
	double epoch, train_loss, val_esr, seconds;  /* NAN where the report has null */
} hist_point;

typedef struct {
	double seconds, epochs, val_esr;             /* totals; best validation ESR */
	double latency;                              /* samples removed, NAN if none */
	double params, hidden, modules, rate;
	char task[16], loss[16];
	hist_point *points;                          /* owned */
	size_t n_points;
} train_report;

/* Reads path into r. Returns 0, or -1 with one line in msg (unreadable, not
 * JSON, not a cwrnn-train report, a missing key). */
int history_read(const char *path, train_report *r, char *msg, size_t msg_len);

/* Parses report text (NUL-terminated); same contract. */
int history_parse(const char *text, train_report *r, char *msg, size_t msg_len);

void history_free(train_report *r);

#endif
