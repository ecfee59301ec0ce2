/*
 * A small lilv host for the plugin tests: finds the plugin by URI (with
 * LV2_PATH pointing at build/), offers urid map/unmap, a worker (requests
 * queued during run() and worked synchronously after it, responses delivered
 * between runs), log (errors counted) and state through lilv. Every run()
 * and work_response() is made under the heap guard (heap.h).
 */
#ifndef TH_HOST_H
#define TH_HOST_H

#include <stddef.h>
#include <stdint.h>

#include <lilv/lilv.h>
#include <lv2/atom/forge.h>
#include <lv2/log/log.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include "ports.h"

#define TH_MAX_REQUESTS 16
#define TH_MAX_MSG 4200
#define TH_ATOM_CAPACITY 8192
#define TH_MAX_BLOCK 8192

typedef struct {
	uint32_t size;
	uint8_t data[TH_MAX_MSG];
} th_msg;

/* Features offered (none of the first three: no features at all, like
 * lv2apply) and whether th_open activates. */
enum { TH_WITH_WORKER = 1, TH_WITH_ATOMS = 2, TH_WITH_LOG = 4, TH_ALL = 7, TH_DEFER_ACTIVATE = 8 };

typedef struct {
	LilvWorld *world;
	const LilvPlugin *plugin;
	LilvInstance *instance;
	const LV2_Worker_Interface *worker;
	int n_channels;
	int n_ports;
	double rate;
	int options;

	float controls[CW_N_PORTS];
	float latency;
	float silence[TH_MAX_BLOCK];
	float scratch[2][TH_MAX_BLOCK];

	/* atom ports: the control sequence is built before run and cleared after */
	uint64_t control_buf[TH_ATOM_CAPACITY / 8];
	uint64_t notify_buf[TH_ATOM_CAPACITY / 8];
	LV2_Atom_Forge forge;
	LV2_Atom_Forge_Frame seq_frame;
	char notified[4096];      /* last path seen in a patch:Set on notify */
	int n_notified;

	th_msg requests[TH_MAX_REQUESTS];
	int n_requests;
	th_msg responses[TH_MAX_REQUESTS];
	int n_responses;
	LV2_Worker_Schedule schedule;

	int log_errors;
	char last_log[1024];

	LV2_Log_Log log;
	LV2_Feature f_map, f_unmap, f_schedule, f_log;
	const LV2_Feature *features[6];
} th_host;

/* Process-wide URID map (also used to build messages). */
LV2_URID_Map *th_map(void);
LV2_URID_Unmap *th_unmap(void);

/* Loads the world, instantiates uri at rate with the features in options,
 * connects every port (controls at their defaults) and activates. Returns 0,
 * or -1 if the plugin is missing or instantiate fails. */
int th_open(th_host *h, const char *uri, double rate, int options);
void th_close(th_host *h);

/* Activates a host opened with TH_DEFER_ACTIVATE. */
void th_activate(th_host *h);

/* Runs n frames (any n up to TH_MAX_BLOCK): in/out are per channel (NULL
 * input: silence), then works queued requests and delivers responses. */
void th_run(th_host *h, const float *const *in, float *const *out, uint32_t n);

/* Runs a whole signal in blocks: block sizes come from sizes[] cyclically. */
void th_run_blocks(th_host *h, const float *const *in, float *const *out, size_t n,
                   const uint32_t *sizes, int n_sizes);

/* Queue an event for the next run (frame offsets within that run). */
void th_send_set_path(th_host *h, uint32_t frame, const char *path);
void th_send_get(th_host *h, uint32_t frame);
void th_send_midi(th_host *h, uint32_t frame, uint8_t s, uint8_t d1, uint8_t d2);

/* Restores the preset with this URI (from the world) into the instance. */
int th_apply_preset(th_host *h, const char *uri);

/* State through lilv: save to dir/state.ttl, restore from it. */
int th_save_state(th_host *h, const char *dir);
int th_restore_state(th_host *h, const char *dir);

#endif
