/* What the user sees while training: on a terminal one live line rewritten
 * with \r; otherwise plain log lines, at most about one a second. */
#ifndef TRAINER_PROGRESS_H
#define TRAINER_PROGRESS_H

#include <stdio.h>

#include "train.h"

typedef struct {
	FILE *out;
	int tty, quiet;
	int live;            /* a \r line is on screen */
	double last;         /* when the last line was printed */
	double start_epoch;  /* epochs done before this run (resume) */
} progress;

void progress_init(progress *p, FILE *out, int quiet, const trainer *t);
void progress_update(progress *p, const trainer *t);
void progress_eval(progress *p, const trainer *t);
/* Ends a live line, so a message can follow on its own line. */
void progress_end(progress *p);

#endif
