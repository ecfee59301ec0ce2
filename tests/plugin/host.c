/* The test host (see host.h). */
#include "host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/atom/util.h>
#include <lv2/log/log.h>
#include <lv2/patch/patch.h>
#include <lv2/midi/midi.h>
#include <lv2/state/state.h>

#include "heap.h"
#include "uris.h"

/* ------------------------------------------------------------- URID map */

#define TH_MAX_URIS 1024
static char *uris[TH_MAX_URIS];
static int n_uris;

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
	(void)handle;
	for (int i = 0; i < n_uris; i++)
		if (!strcmp(uris[i], uri))
			return (LV2_URID)(i + 1);
	if (n_uris == TH_MAX_URIS)
		return 0;
	uris[n_uris] = strdup(uri);
	return (LV2_URID)++n_uris;
}

static const char *
unmap_uri(LV2_URID_Unmap_Handle handle, LV2_URID urid)
{
	(void)handle;
	return urid >= 1 && (int)urid <= n_uris ? uris[urid - 1] : NULL;
}

static LV2_URID_Map map = { NULL, map_uri };
static LV2_URID_Unmap unmap = { NULL, unmap_uri };

LV2_URID_Map *
th_map(void)
{
	return &map;
}

LV2_URID_Unmap *
th_unmap(void)
{
	return &unmap;
}

/* ------------------------------------------------------------------ log */

static int
log_vprintf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, va_list ap)
{
	th_host *h = handle;
	vsnprintf(h->last_log, sizeof h->last_log, fmt, ap);
	if (type == map_uri(NULL, LV2_LOG__Error))
		h->log_errors++;
	return 0;
}

static int
log_printf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = log_vprintf(handle, type, fmt, ap);
	va_end(ap);
	return r;
}

/* --------------------------------------------------------------- worker */

static LV2_Worker_Status
schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size, const void *data)
{
	th_host *h = handle;
	if (h->n_requests == TH_MAX_REQUESTS || size > TH_MAX_MSG)
		return LV2_WORKER_ERR_NO_SPACE;
	h->requests[h->n_requests].size = size;
	memcpy(h->requests[h->n_requests].data, data, size);
	h->n_requests++;
	return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status
respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
	th_host *h = handle;
	if (h->n_responses == TH_MAX_REQUESTS || size > TH_MAX_MSG)
		return LV2_WORKER_ERR_NO_SPACE;
	h->responses[h->n_responses].size = size;
	memcpy(h->responses[h->n_responses].data, data, size);
	h->n_responses++;
	return LV2_WORKER_SUCCESS;
}

static void
work_pending(th_host *h)
{
	if (!h->worker)
		return;
	LV2_Handle handle = lilv_instance_get_handle(h->instance);
	for (int i = 0; i < h->n_requests; i++)
		h->worker->work(handle, respond, h, h->requests[i].size, h->requests[i].data);
	h->n_requests = 0;
	th_heap_guard(1);
	for (int i = 0; i < h->n_responses; i++)
		h->worker->work_response(handle, h->responses[i].size, h->responses[i].data);
	if (h->worker->end_run)
		h->worker->end_run(handle);
	th_heap_guard(0);
	h->n_responses = 0;
}

/* ---------------------------------------------------------------- atoms */

static void
control_reset(th_host *h)
{
	lv2_atom_forge_set_buffer(&h->forge, (uint8_t *)h->control_buf, sizeof h->control_buf);
	lv2_atom_forge_sequence_head(&h->forge, &h->seq_frame, 0);
}

void
th_send_set_path(th_host *h, uint32_t frame, const char *path)
{
	LV2_Atom_Forge_Frame f;
	lv2_atom_forge_frame_time(&h->forge, frame);
	lv2_atom_forge_object(&h->forge, &f, 0, map_uri(NULL, LV2_PATCH__Set));
	lv2_atom_forge_key(&h->forge, map_uri(NULL, LV2_PATCH__property));
	lv2_atom_forge_urid(&h->forge, map_uri(NULL, CW_URI_MODEL));
	lv2_atom_forge_key(&h->forge, map_uri(NULL, LV2_PATCH__value));
	lv2_atom_forge_path(&h->forge, path, (uint32_t)strlen(path));
	lv2_atom_forge_pop(&h->forge, &f);
}

void
th_send_get(th_host *h, uint32_t frame)
{
	LV2_Atom_Forge_Frame f;
	lv2_atom_forge_frame_time(&h->forge, frame);
	lv2_atom_forge_object(&h->forge, &f, 0, map_uri(NULL, LV2_PATCH__Get));
	lv2_atom_forge_pop(&h->forge, &f);
}

void
th_send_midi(th_host *h, uint32_t frame, uint8_t s, uint8_t d1, uint8_t d2)
{
	const uint8_t msg[3] = { s, d1, d2 };
	lv2_atom_forge_frame_time(&h->forge, frame);
	lv2_atom_forge_atom(&h->forge, 3, map_uri(NULL, LV2_MIDI__MidiEvent));
	lv2_atom_forge_write(&h->forge, msg, 3);
}

static void
read_notify(th_host *h)
{
	const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h->notify_buf;
	LV2_URID set = map_uri(NULL, LV2_PATCH__Set), value_key = map_uri(NULL, LV2_PATCH__value);
	LV2_URID prop_key = map_uri(NULL, LV2_PATCH__property), model = map_uri(NULL, CW_URI_MODEL);
	LV2_URID path_type = map_uri(NULL, LV2_ATOM__Path);
	LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
		const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&ev->body;
		if (!lv2_atom_forge_is_object_type(&h->forge, ev->body.type) || obj->body.otype != set)
			continue;
		const LV2_Atom *prop = NULL, *value = NULL;
		lv2_atom_object_get(obj, prop_key, &prop, value_key, &value, 0);
		if (prop && ((const LV2_Atom_URID *)prop)->body == model && value &&
		    value->type == path_type) {
			snprintf(h->notified, sizeof h->notified, "%s",
			         (const char *)LV2_ATOM_BODY_CONST(value));
			h->n_notified++;
		}
	}
}

/* ------------------------------------------------------------------ run */

void
th_run(th_host *h, const float *const *in, float *const *out, uint32_t n)
{
	for (int c = 0; c < h->n_channels; c++) {
		uint32_t ip = c ? CW_PORT_IN_R : CW_PORT_IN, op = c ? CW_PORT_OUT_R : CW_PORT_OUT;
		lilv_instance_connect_port(h->instance, ip, in && in[c] ? (void *)in[c] : h->silence);
		lilv_instance_connect_port(h->instance, op, out && out[c] ? out[c] : h->scratch[c]);
	}
	LV2_Atom_Sequence *notify = (LV2_Atom_Sequence *)h->notify_buf;
	notify->atom.type = 0;
	notify->atom.size = sizeof h->notify_buf - sizeof(LV2_Atom);

	th_heap_guard(1);
	lilv_instance_run(h->instance, n);
	th_heap_guard(0);

	if (h->options & TH_WITH_ATOMS) {
		read_notify(h);
		control_reset(h);
	}
	work_pending(h);
}

void
th_run_blocks(th_host *h, const float *const *in, float *const *out, size_t n,
              const uint32_t *sizes, int n_sizes)
{
	size_t done = 0;
	for (int k = 0; done < n; k = (k + 1) % n_sizes) {
		uint32_t b = sizes[k];
		if (b > n - done)
			b = (uint32_t)(n - done);
		const float *ip[2] = { NULL, NULL };
		float *op[2] = { NULL, NULL };
		for (int c = 0; c < h->n_channels; c++) {
			ip[c] = in && in[c] ? in[c] + done : NULL;
			op[c] = out && out[c] ? out[c] + done : NULL;
		}
		th_run(h, ip, op, b);
		done += b;
	}
}

/* ----------------------------------------------------------- lifecycle */

int
th_open(th_host *h, const char *uri, double rate, int options)
{
	memset(h, 0, sizeof *h);
	h->rate = rate;
	h->options = options;
	h->world = lilv_world_new();
	lilv_world_load_all(h->world);
	LilvNode *u = lilv_new_uri(h->world, uri);
	h->plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(h->world), u);
	lilv_node_free(u);
	if (!h->plugin)
		return -1;

	h->log = (LV2_Log_Log){ h, log_printf, log_vprintf };
	h->schedule = (LV2_Worker_Schedule){ h, schedule_work };
	h->f_map = (LV2_Feature){ LV2_URID__map, &map };
	h->f_unmap = (LV2_Feature){ LV2_URID__unmap, &unmap };
	h->f_schedule = (LV2_Feature){ LV2_WORKER__schedule, &h->schedule };
	h->f_log = (LV2_Feature){ LV2_LOG__log, &h->log };
	int nf = 0;
	if (options & TH_ALL) {
		h->features[nf++] = &h->f_map;
		h->features[nf++] = &h->f_unmap;
		if (options & TH_WITH_WORKER)
			h->features[nf++] = &h->f_schedule;
		if (options & TH_WITH_LOG)
			h->features[nf++] = &h->f_log;
	}
	h->features[nf] = NULL;

	h->instance = lilv_plugin_instantiate(h->plugin, rate, (options & TH_ALL) ? h->features : NULL);
	if (!h->instance)
		return -1;
	h->worker = (options & TH_WITH_WORKER)
	                ? lilv_instance_get_extension_data(h->instance, LV2_WORKER__interface)
	                : NULL;
	h->n_ports = (int)lilv_plugin_get_num_ports(h->plugin);
	h->n_channels = h->n_ports == CW_N_PORTS ? 2 : 1;
	lv2_atom_forge_init(&h->forge, &map);
	control_reset(h);
	for (int i = 0; i < h->n_ports && i < CW_N_PORTS; i++) {
		h->controls[i] = cw_ports[i].def;
		switch (cw_ports[i].kind) {
		case CW_KIND_CONTROL_IN:
			lilv_instance_connect_port(h->instance, (uint32_t)i, &h->controls[i]);
			break;
		case CW_KIND_CONTROL_OUT:
			lilv_instance_connect_port(h->instance, (uint32_t)i, &h->latency);
			break;
		case CW_KIND_ATOM_IN:
			lilv_instance_connect_port(h->instance, (uint32_t)i,
			                           (options & TH_WITH_ATOMS) ? h->control_buf : NULL);
			break;
		case CW_KIND_ATOM_OUT:
			lilv_instance_connect_port(h->instance, (uint32_t)i,
			                           (options & TH_WITH_ATOMS) ? h->notify_buf : NULL);
			break;
		default:
			break;
		}
	}
	if (!(options & TH_DEFER_ACTIVATE))
		lilv_instance_activate(h->instance);
	return 0;
}

void
th_activate(th_host *h)
{
	lilv_instance_activate(h->instance);
}

void
th_close(th_host *h)
{
	if (h->instance) {
		lilv_instance_deactivate(h->instance);
		work_pending(h); /* free what the plugin handed back */
		lilv_instance_free(h->instance);
	}
	if (h->world)
		lilv_world_free(h->world);
	h->instance = NULL;
	h->world = NULL;
}

/* ---------------------------------------------------------------- state */

static const void *
get_port_value(const char *symbol, void *user_data, uint32_t *size, uint32_t *type)
{
	th_host *h = user_data;
	for (int i = 0; i < h->n_ports; i++) {
		if (cw_ports[i].kind == CW_KIND_CONTROL_IN &&
		    !strcmp(symbol, cw_port_symbol(i, h->n_channels == 2))) {
			*size = sizeof(float);
			*type = map_uri(NULL, LV2_ATOM__Float);
			return &h->controls[i];
		}
	}
	*size = *type = 0;
	return NULL;
}

static void
set_port_value(const char *symbol, void *user_data, const void *value, uint32_t size,
               uint32_t type)
{
	th_host *h = user_data;
	if (size != sizeof(float) || type != map_uri(NULL, LV2_ATOM__Float))
		return;
	for (int i = 0; i < h->n_ports; i++)
		if (cw_ports[i].kind == CW_KIND_CONTROL_IN &&
		    !strcmp(symbol, cw_port_symbol(i, h->n_channels == 2)))
			memcpy(&h->controls[i], value, sizeof(float));
}

int
th_save_state(th_host *h, const char *dir)
{
	/* as jalv does: copy, link and save directory are the same (with no link
	 * directory, lilv 0.24 removes an external file while linking it) */
	LilvState *st = lilv_state_new_from_instance(h->plugin, h->instance, &map, NULL, dir, dir,
	                                             dir, get_port_value, h, 0, h->features);
	if (!st)
		return -1;
	int r = lilv_state_save(h->world, &map, &unmap, st, NULL, dir, "state.ttl");
	lilv_state_free(st);
	return r;
}

int
th_restore_state(th_host *h, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/state.ttl", dir);
	LilvState *st = lilv_state_new_from_file(h->world, &map, NULL, path);
	if (!st)
		return -1;
	lilv_state_restore(st, h->instance, set_port_value, h, 0, h->features);
	lilv_state_free(st);
	return 0;
}

int
th_apply_preset(th_host *h, const char *uri)
{
	LilvNode *u = lilv_new_uri(h->world, uri);
	lilv_world_load_resource(h->world, u);
	LilvState *st = lilv_state_new_from_world(h->world, &map, u);
	lilv_node_free(u);
	if (!st)
		return -1;
	lilv_state_restore(st, h->instance, set_port_value, h, 0, h->features);
	lilv_state_free(st);
	return 0;
}
