/*
 * The project's one LV2 host, over lilv: cwrnn-lv2-render, the plugin tests
 * (tests/plugin), the presets check and the plugin benchmark all run the
 * plugin through it. It knows nothing of cwrnn's internals:
 *
 * - Ports come from the plugin's Turtle, by class and direction: up to two
 *   audio inputs (none for an instrument) and outputs, every control port
 *   (inputs start at their defaults), the first atom input and output.
 * - The atom input carries a sequence the caller fills before a run, events
 *   at frame offsets within that run (patch:Set of a path, patch:Get, MIDI;
 *   or anything else written with the forge after lh_event_time). The atom
 *   output is read after each run for patch:Set notifications of paths.
 * - Features, chosen at open: urid map and unmap, log (errors counted, the
 *   last one kept, printed to stderr or not) and a worker run synchronously
 *   after each run(), as an offline host may: the requests of a run are
 *   worked, then the responses delivered, before the next run().
 * - State save and restore and presets (by URI or label) through lilv.
 *
 * Real-time checks: when rt_guard is set (the plugin tests install their
 * heap counter, tests/plugin/heap.h; tools leave it NULL) it is called with
 * 1 before and 0 after each run() and each delivery of worker responses,
 * the calls a plugin must make without allocating.
 *
 * Threading: everything runs on the caller's one thread, which plays both
 * the audio and the worker role; nothing is called concurrently.
 */
#ifndef LH_LV2HOST_H
#define LH_LV2HOST_H

#include <stddef.h>
#include <stdint.h>

#include <lilv/lilv.h>
#include <lv2/atom/forge.h>
#include <lv2/log/log.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#define LH_MAX_PORTS 64
#define LH_MAX_AUDIO 2        /* audio inputs, and outputs, this host feeds */
#define LH_MAX_MSG 8192       /* bytes in one worker request or response */
#define LH_MAX_QUEUED 16      /* requests or responses between two runs */
#define LH_ATOM_BYTES 16384   /* each atom port's buffer */
#define LH_MAX_BLOCK 8192     /* frames per run() */
#define LH_MAX_PATH 4096      /* a path notified by the plugin */

/* What lh_open offers and does. LH_ALL: what a full host offers. None of
 * the first three: no feature at all, atom ports unconnected (lv2apply). */
enum {
	LH_WITH_WORKER = 1,     /* worker:schedule, and the worker interface used */
	LH_WITH_ATOMS = 2,      /* atom ports connected */
	LH_WITH_LOG = 4,        /* log:log */
	LH_ALL = 7,
	LH_DEFER_ACTIVATE = 8,  /* do not activate: the caller calls lh_activate */
	LH_PRINT_WARNINGS = 16, /* log errors and warnings to stderr */
	LH_PRINT_NOTES = 32,    /* and every other message */
};

typedef enum { LH_PORT_OTHER, LH_PORT_AUDIO, LH_PORT_CONTROL, LH_PORT_ATOM } lh_port_type;

typedef struct {
	lh_port_type type;
	int input;           /* 1: input, 0: output */
	const char *symbol;  /* owned by the world */
} lh_port;

typedef struct {
	uint32_t size;
	uint8_t data[LH_MAX_MSG];
} lh_msg;

typedef struct lh_host {
	LilvWorld *world;
	const LilvPlugin *plugin;
	LilvInstance *instance;
	const LV2_Worker_Interface *worker;  /* NULL without LH_WITH_WORKER or none */
	double rate;
	int options;
	int activated;

	lh_port ports[LH_MAX_PORTS];
	int n_ports;
	float controls[LH_MAX_PORTS];        /* control ports' values, by port index */
	uint32_t audio_in[LH_MAX_AUDIO], audio_out[LH_MAX_AUDIO];  /* port indices */
	int n_audio_in, n_audio_out;
	int atom_in, atom_out;               /* port index, or -1 */
	float silence[LH_MAX_BLOCK], scratch[LH_MAX_AUDIO][LH_MAX_BLOCK];

	uint64_t atom_in_buf[LH_ATOM_BYTES / 8];   /* the sequence sent next run */
	uint64_t atom_out_buf[LH_ATOM_BYTES / 8];  /* what the plugin wrote last run */
	LV2_Atom_Forge forge;                      /* writes into atom_in_buf */
	LV2_Atom_Forge_Frame seq_frame;

	/* the last patch:Set of a path the plugin sent, and how many so far */
	char notified[LH_MAX_PATH];
	LV2_URID notified_property;
	int n_notified;

	lh_msg requests[LH_MAX_QUEUED], responses[LH_MAX_QUEUED];
	int n_requests, n_responses, dropped;
	LV2_Worker_Schedule schedule;

	void (*rt_guard)(int on);            /* see the top of this file */

	char **uris;                         /* URID n is uris[n - 1] */
	uint32_t n_uris, cap_uris;
	LV2_URID_Map map;
	LV2_URID_Unmap unmap;
	struct {
		LV2_URID atom_Chunk, atom_Float, atom_Path, atom_Sequence, atom_URID;
		LV2_URID log_Error, log_Warning, midi_Event;
		LV2_URID patch_Get, patch_Set, patch_property, patch_value;
	} urid;

	LV2_Log_Log log;
	int log_errors;
	char last_error[1024];

	LV2_Feature f_map, f_unmap, f_schedule, f_log;
	const LV2_Feature *features[5];
} lh_host;

/* Loads the world (LV2_PATH), finds uri, instantiates it at rate with the
 * features in options and connects every port: control inputs at their
 * defaults, optional ports the host has no use for to NULL. Activates
 * unless LH_DEFER_ACTIVATE. Returns 0, or -1 with msg (plugin missing, a
 * port it cannot feed, instantiate failed). lh_close is safe after either.
 * The host is large (buffers inside): allocate it, or make it static. */
int lh_open(lh_host *h, const char *uri, double rate, int options, char *msg, size_t msg_len);
void lh_close(lh_host *h);

void lh_activate(lh_host *h);
/* Deactivates, then works what the plugin handed back to be freed. */
void lh_deactivate(lh_host *h);

/* The URID of uri in this host's map (0 if out of memory). */
LV2_URID lh_map(lh_host *h, const char *uri);

/* Sets a control input by symbol (before or between runs). Returns 0, or -1
 * if the plugin has no such control input. */
int lh_set_control(lh_host *h, const char *symbol, float value);

/* The value of a control output by symbol (after a run), NAN if none. */
float lh_control_output(const lh_host *h, const char *symbol);

/* Events for the next run, at frame offsets within it, appended in order of
 * frame (a sequence never goes back in time). Each returns 0, or -1 if the
 * plugin has no atom input connected or the event does not fit. */
int lh_event_time(lh_host *h, uint32_t frame); /* then write one atom with h->forge */
int lh_send_set_path(lh_host *h, uint32_t frame, const char *property, const char *path);
int lh_send_get(lh_host *h, uint32_t frame);
int lh_send_midi(lh_host *h, uint32_t frame, const uint8_t *msg, uint32_t size);

/* Runs n frames (n <= LH_MAX_BLOCK). in: one buffer per audio input, out:
 * one per audio output (the array or an entry NULL: silence in, output
 * discarded). Then reads the notifications, clears the event sequence, works
 * the requests the plugin scheduled and delivers the responses. */
void lh_run(lh_host *h, const float *const *in, float *const *out, uint32_t n);

/* Runs a whole signal of n frames in blocks whose sizes come from sizes[]
 * in turn (a size 0 is a run of no frames). */
void lh_run_blocks(lh_host *h, const float *const *in, float *const *out, size_t n,
                   const uint32_t *sizes, int n_sizes);

/* State through lilv: save into dir/state.ttl (files the plugin names are
 * linked or copied into dir), restore from it. Return 0 or -1. */
int lh_save_state(lh_host *h, const char *dir);
int lh_restore_state(lh_host *h, const char *dir);

/* Restores the plugin's preset whose URI or rdfs:label is name. Returns 0,
 * or -1 if the plugin has no such preset. */
int lh_apply_preset(lh_host *h, const char *name);

#endif
