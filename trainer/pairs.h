/*
 * A pairs file (cwrnn-train transform --pairs FILE): the recordings of one
 * effect at several knob settings, one dry/wet pair per line:
 *
 *   # drive and tone of a DS-1
 *   dry.wav  wet_d2_t5.wav  drive=2 tone=5
 *   capture  rec_d8_t5.wav  drive=8 tone=5
 *
 * Paths are relative to the file's directory; DRY may be the word
 * `capture` (the standard capture signal, regenerated). Each line names the
 * same knobs (at most PAIRS_MAX_KNOBS; any order); a line may name none
 * when no line does. `#` starts a comment. Every error is one line naming
 * FILE:LINE.
 */
#ifndef TRAINER_PAIRS_H
#define TRAINER_PAIRS_H

#include <stddef.h>

#include "cwrnn.h"

#define PAIRS_MAX_KNOBS 4

typedef struct {
	int line;
	char *dry;                        /* resolved path, owned; NULL: the capture signal */
	char *wet;                        /* resolved path, owned */
	double values[PAIRS_MAX_KNOBS];   /* in the order of pairs_file.names */
} pair_line;

typedef struct {
	const char *path;                 /* borrowed */
	int n_knobs;
	char names[PAIRS_MAX_KNOBS][CWRNN_CONTROL_NAME_MAX + 1];
	pair_line *lines;                 /* (n_lines), owned */
	size_t n_lines;
} pairs_file;

/* A declared range (--knob name:min:max). */
typedef struct {
	char name[CWRNN_CONTROL_NAME_MAX + 1];
	double min, max;
} knob_range;

/* Parses text (len bytes) read from path. Returns 0, or -1 with one line in
 * msg ("PATH:LINE: what is wrong") and pf empty. */
int pairs_parse(const char *path, const char *text, size_t len, pairs_file *pf, char *msg,
                size_t msg_len);

/* Reads and parses path. */
int pairs_read(const char *path, pairs_file *pf, char *msg, size_t msg_len);

void pairs_free(pairs_file *pf);

/* Parses one --knob NAME:MIN:MAX. Returns 0 or -1 with msg. */
int knob_range_parse(const char *s, knob_range *k, char *msg, size_t msg_len);

/* Fills cfg's controls (kind knob, name, range, default) from the file:
 * each knob's range is the one declared in ranges (n_ranges of them) or the
 * span of its values in the file; its default is the value seen nearest the
 * middle of the range. Refuses a knob with one value on every line, a value
 * outside a declared range and a declared knob the file does not have.
 * Appends them to cfg's inputs (cwrnn_config_add_control). Returns 0 or -1. */
int pairs_controls(const pairs_file *pf, const knob_range *ranges, int n_ranges,
                   cwrnn_config *cfg, char *msg, size_t msg_len);

#endif
