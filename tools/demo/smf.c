/* Standard MIDI files (see smf.h). */
#include "smf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
	uint64_t tick;
	size_t order;      /* position in the file: keeps ties in file order */
	uint32_t tempo;    /* microseconds per quarter (a tempo change), or 0 */
	uint8_t msg[3], size;
} raw_event;

typedef struct {
	raw_event *v;
	size_t n, cap;
} raw_list;

static int
push(raw_list *l, const raw_event *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		raw_event *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *e;
	return 0;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A variable-length quantity at *at (below end); -1 if it runs off. */
static int
vlq(const uint8_t *p, size_t end, size_t *at, uint32_t *out)
{
	uint32_t v = 0;
	for (int k = 0; k < 4; k++) {
		if (*at >= end)
			return -1;
		uint8_t b = p[(*at)++];
		v = v << 7 | (b & 0x7F);
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

/* One MTrk chunk's body [at, end). */
static int
read_track(const uint8_t *p, size_t at, size_t end, int track, const char *name, raw_list *l,
           char *msg, size_t len)
{
	uint64_t tick = 0;
	uint8_t running = 0;
	while (at < end) {
		size_t where = at;
		uint32_t delta;
		if (vlq(p, end, &at, &delta) != 0 || at >= end)
			return cw_fail(msg, len, "%s: track %d ends inside an event (byte %zu)", name, track,
			            where);
		tick += delta;
		uint8_t status = p[at];
		if (status & 0x80)
			at++;
		else if (running)
			status = running;
		else
			return cw_fail(msg, len, "%s: track %d: data byte without a status (byte %zu)", name,
			            track, at);
		raw_event e = { .tick = tick, .order = l->n };
		if (status == 0xFF) {
			uint32_t n;
			if (at >= end)
				return cw_fail(msg, len, "%s: track %d: truncated meta event", name, track);
			uint8_t type = p[at++];
			if (vlq(p, end, &at, &n) != 0 || n > end - at)
				return cw_fail(msg, len, "%s: track %d: meta event runs past the track (byte %zu)",
				            name, track, where);
			if (type == 0x2F)
				return 0; /* end of track */
			if (type == 0x51) {
				if (n != 3)
					return cw_fail(msg, len, "%s: track %d: a tempo event of %u bytes", name, track,
					            n);
				e.tempo = (uint32_t)p[at] << 16 | (uint32_t)p[at + 1] << 8 | p[at + 2];
				if (e.tempo == 0)
					return cw_fail(msg, len, "%s: track %d: tempo 0", name, track);
				if (push(l, &e) != 0)
					return cw_fail(msg, len, "%s: out of memory", name);
			}
			at += n;
			running = 0;
		} else if (status == 0xF0 || status == 0xF7) {
			uint32_t n;
			if (vlq(p, end, &at, &n) != 0 || n > end - at)
				return cw_fail(msg, len, "%s: track %d: SysEx runs past the track (byte %zu)", name,
				            track, where);
			at += n;
			running = 0;
		} else if (status >= 0xF0) {
			return cw_fail(msg, len, "%s: track %d: status 0x%02X is not allowed in a file (byte "
			            "%zu)", name, track, status, where);
		} else {
			uint8_t kind = status & 0xF0;
			uint8_t size = kind == 0xC0 || kind == 0xD0 ? 2 : 3;
			if (at + size - 1 > end)
				return cw_fail(msg, len, "%s: track %d: event runs past the track", name, track);
			e.msg[0] = status;
			for (int k = 1; k < size; k++) {
				if (p[at] & 0x80)
					return cw_fail(msg, len, "%s: track %d: bad data byte 0x%02X (byte %zu)", name,
					            track, p[at], at);
				e.msg[k] = p[at++];
			}
			e.size = size;
			running = status;
			if (push(l, &e) != 0)
				return cw_fail(msg, len, "%s: out of memory", name);
		}
	}
	return cw_fail(msg, len, "%s: track %d has no end-of-track event", name, track);
}

static int
by_tick(const void *a, const void *b)
{
	const raw_event *x = a, *y = b;
	if (x->tick != y->tick)
		return x->tick < y->tick ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

int
smf_parse(const uint8_t *p, size_t size, const char *name, smf_song *song, char *msg,
          size_t len)
{
	memset(song, 0, sizeof *song);
	if (size < 14 || memcmp(p, "MThd", 4) != 0 || be32(p + 4) < 6)
		return cw_fail(msg, len, "%s is not a standard MIDI file (no MThd header)", name);
	size_t hlen = be32(p + 4);
	unsigned format = (unsigned)p[8] << 8 | p[9], tracks = (unsigned)p[10] << 8 | p[11];
	unsigned division = (unsigned)p[12] << 8 | p[13];
	if (format > 1)
		return cw_fail(msg, len, "%s is a type %u MIDI file; only types 0 and 1 are played", name,
		            format);
	if (division & 0x8000)
		return cw_fail(msg, len, "%s uses SMPTE time; only ticks per quarter note are played", name);
	if (division == 0)
		return cw_fail(msg, len, "%s: 0 ticks per quarter note", name);
	raw_list l = { 0 };
	size_t at = 8 + hlen;
	if (hlen > size - 8)
		return cw_fail(msg, len, "%s: the header runs past the file", name);
	unsigned found = 0;
	while (found < tracks && at + 8 <= size) {
		size_t clen = be32(p + at + 4);
		if (clen > size - at - 8) {
			free(l.v);
			return cw_fail(msg, len, "%s: chunk at byte %zu runs past the file", name, at);
		}
		if (!memcmp(p + at, "MTrk", 4)) {
			if (read_track(p, at + 8, at + 8 + clen, (int)found + 1, name, &l, msg, len) != 0) {
				free(l.v);
				return -1;
			}
			found++;
		}
		at += 8 + clen;
	}
	if (found < tracks) {
		free(l.v);
		return cw_fail(msg, len, "%s: the header announces %u tracks but %u are there", name,
		            tracks, found);
	}
	qsort(l.v, l.n, sizeof *l.v, by_tick);
	song->events = malloc((l.n ? l.n : 1) * sizeof *song->events);
	if (!song->events) {
		free(l.v);
		return cw_fail(msg, len, "%s: out of memory", name);
	}
	/* ticks to seconds through the tempo map (120 bpm until the first tempo) */
	double seconds = 0.0, per_tick = 0.5 / division;
	uint64_t last = 0;
	for (size_t i = 0; i < l.n; i++) {
		const raw_event *e = &l.v[i];
		seconds += (double)(e->tick - last) * per_tick;
		last = e->tick;
		if (e->tempo) {
			per_tick = e->tempo * 1e-6 / division;
			continue;
		}
		smf_event *o = &song->events[song->n++];
		o->seconds = seconds;
		memcpy(o->msg, e->msg, sizeof o->msg);
		o->size = e->size;
	}
	free(l.v);
	return 0;
}

int
smf_read(const char *path, smf_song *song, char *msg, size_t len)
{
	memset(song, 0, sizeof *song);
	unsigned char *data;
	size_t n;
	if (cw_read_file(path, SMF_MAX_BYTES, "MIDI file", &data, &n, msg, len) != 0)
		return -1;
	int rc = smf_parse(data, n, path, song, msg, len);
	free(data);
	return rc;
}

void
smf_free(smf_song *song)
{
	free(song->events);
	memset(song, 0, sizeof *song);
}
