/*
 * A small offline LV2 host over lilv, for rendering files through a plugin
 * (cwrnn-lv2-render). It knows nothing of cwrnn's internals: ports are found
 * through lilv by class and direction, control inputs start at their
 * defaults (or a value set by symbol), atom ports carry patch:Set messages
 * in and are read back for patch:Set notifications. Features: urid map and
 * unmap, log (to stderr, errors counted) and a worker run synchronously
 * between run() calls, as an offline host may (LV2 worker: work() from any
 * non-audio context, responses before the next run()).
 *
 * Threading: everything here runs on the caller's one thread, which plays
 * both the audio and the worker role; nothing is called concurrently.
 */
#ifndef LH_HOST_H
#define LH_HOST_H

#include <stddef.h>
#include <stdint.h>

#include <lilv/lilv.h>
#include <lv2/atom/forge.h>
#include <lv2/log/log.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#define LH_MAX_PORTS 64
#define LH_MAX_AUDIO 2
#define LH_MAX_MSG 8192       /* bytes in one worker request or response */
#define LH_MAX_QUEUED 16      /* requests or responses between two runs */
#define LH_ATOM_BYTES 16384   /* each atom port's buffer */
#define LH_MAX_BLOCK 8192     /* frames per run() */

typedef enum { LH_PORT_OTHER, LH_PORT_AUDIO, LH_PORT_CONTROL, LH_PORT_ATOM } lh_port_type;

typedef struct {
	lh_port_type type;
	int input;            /* 1: input, 0: output */
	float value;          /* control ports: the value connected */
	const char *symbol;   /* owned by the world */
} lh_port;

typedef struct {
	uint32_t size;
	uint8_t data[LH_MAX_MSG];
} lh_msg;

typedef struct {
	LilvWorld *world;
	const LilvPlugin *plugin;
	LilvInstance *instance;
	const LV2_Worker_Interface *worker;  /* NULL if the plugin has none */
	double rate;

	lh_port ports[LH_MAX_PORTS];
	uint32_t n_ports;
	uint32_t audio_in[LH_MAX_AUDIO], audio_out[LH_MAX_AUDIO];
	int n_audio_in, n_audio_out;
	int atom_in, atom_out;               /* port index, or -1 */
	float silence[LH_MAX_BLOCK], scratch[LH_MAX_AUDIO][LH_MAX_BLOCK];

	uint64_t atom_in_buf[LH_ATOM_BYTES / 8];   /* the sequence sent next run */
	uint64_t atom_out_buf[LH_ATOM_BYTES / 8];  /* what the plugin wrote last run */
	LV2_Atom_Forge forge;
	LV2_Atom_Forge_Frame seq_frame;

	lh_msg requests[LH_MAX_QUEUED], responses[LH_MAX_QUEUED];
	int n_requests, n_responses, dropped;
	LV2_Worker_Schedule schedule;

	char **uris;                         /* URID n is uris[n - 1] */
	uint32_t n_uris, cap_uris;
	LV2_URID_Map map;
	LV2_URID_Unmap unmap;
	LV2_Log_Log log;
	int log_errors;
	char last_error[1024];
	int quiet;                           /* no log notes and traces on stderr */

	LV2_Feature f_map, f_unmap, f_schedule, f_log;
	const LV2_Feature *features[5];
	int activated;
} lh_host;

/* Loads the world (LV2_PATH), finds uri and instantiates it at rate with
 * every feature above, connecting every port: controls at their defaults,
 * optional ports the host has no use for to NULL. Does not activate.
 * Returns 0, or -1 with msg (plugin missing, unsupported port, instantiate
 * failed). lh_close is safe after either. */
int lh_open(lh_host *h, const char *uri, double rate, char *msg, size_t msg_len);
void lh_close(lh_host *h);

/* Sets a control input by symbol (before or between runs). Returns 0, or -1
 * if the plugin has no such control input. */
int lh_set_control(lh_host *h, const char *symbol, float value);

/* The value of a control output by symbol (after a run), NAN if none. */
float lh_control_output(const lh_host *h, const char *symbol);

void lh_activate(lh_host *h);
void lh_deactivate(lh_host *h);

/* Queues a patch:Set of property (a URI) to an atom:Path for the next run,
 * at frame 0. Returns 0, or -1 if the plugin has no atom input or the
 * message does not fit. */
int lh_send_set_path(lh_host *h, const char *property, const char *path);

/* Runs n frames (n <= LH_MAX_BLOCK) with in/out per audio port (NULL:
 * silence in, output discarded), then does the work the plugin scheduled
 * and delivers the responses. */
void lh_run(lh_host *h, const float *const *in, float *const *out, uint32_t n);

/* After a run: the path of the last patch:Set of property the plugin sent
 * on its atom output in that run, copied into buf; 0 if found, else -1. */
int lh_notified_path(lh_host *h, const char *property, char *buf, size_t len);

#endif
