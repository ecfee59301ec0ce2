/* Standard MIDI files (type 0 or 1, ticks per quarter note) read into one
 * list of channel messages in time order, timed in seconds through the
 * file's tempo map. For cwrnn-lv2-render --midi. */
#ifndef CW_SMF_H
#define CW_SMF_H

#include <stddef.h>
#include <stdint.h>

#define SMF_MAX_BYTES ((size_t)64 << 20)

typedef struct {
	double seconds;    /* from the start of the song */
	uint8_t msg[3];    /* status and data bytes */
	uint8_t size;      /* 2 or 3 */
} smf_event;

typedef struct {
	smf_event *events; /* (n), sorted by time, ties in file order; owned */
	size_t n;
} smf_song;

/* Reads path. Running status, tempo changes (in any track), SysEx and meta
 * events (skipped) are understood; SMPTE time division and type 2 files are
 * refused. Returns 0, or -1 with one line in msg naming the file and what is
 * wrong (and where). */
int smf_read(const char *path, smf_song *song, char *msg, size_t msg_len);

/* The same over bytes in memory; name stands for the file in messages. */
int smf_parse(const uint8_t *data, size_t size, const char *name, smf_song *song, char *msg,
              size_t msg_len);

void smf_free(smf_song *song);

#endif
