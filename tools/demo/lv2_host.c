/* The offline lilv host (see lv2_host.h). */
#include "lv2_host.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/atom/util.h>
#include <lv2/patch/patch.h>

/* ------------------------------------------------------------- URID map */

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
	lh_host *h = handle;
	for (uint32_t i = 0; i < h->n_uris; i++)
		if (!strcmp(h->uris[i], uri))
			return i + 1;
	if (h->n_uris == h->cap_uris) {
		uint32_t cap = h->cap_uris ? 2 * h->cap_uris : 64;
		char **u = realloc(h->uris, cap * sizeof *u);
		if (!u)
			return 0;
		h->uris = u;
		h->cap_uris = cap;
	}
	char *copy = strdup(uri);
	if (!copy)
		return 0;
	h->uris[h->n_uris] = copy;
	return ++h->n_uris;
}

static const char *
unmap_uri(LV2_URID_Unmap_Handle handle, LV2_URID urid)
{
	lh_host *h = handle;
	return urid >= 1 && urid <= h->n_uris ? h->uris[urid - 1] : NULL;
}

/* ------------------------------------------------------------------ log */

static int
log_vprintf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, va_list ap)
{
	lh_host *h = handle;
	char line[1024];
	vsnprintf(line, sizeof line, fmt, ap);
	int error = type == map_uri(h, LV2_LOG__Error);
	if (error) {
		h->log_errors++;
		snprintf(h->last_error, sizeof h->last_error, "%s", line);
	}
	if (error || type == map_uri(h, LV2_LOG__Warning) || !h->quiet)
		fprintf(stderr, "%s", line);
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
queue(lh_host *h, lh_msg *q, int *n, uint32_t size, const void *data)
{
	if (*n == LH_MAX_QUEUED || size > LH_MAX_MSG) {
		h->dropped++;
		return LV2_WORKER_ERR_NO_SPACE;
	}
	q[*n].size = size;
	memcpy(q[*n].data, data, size);
	(*n)++;
	return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status
schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size, const void *data)
{
	lh_host *h = handle;
	return queue(h, h->requests, &h->n_requests, size, data);
}

static LV2_Worker_Status
respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
	lh_host *h = handle;
	return queue(h, h->responses, &h->n_responses, size, data);
}

/* Works the requests of the last run, then delivers the responses: the
 * order a threaded host guarantees, without the thread. */
static void
work(lh_host *h)
{
	if (!h->worker)
		return;
	LV2_Handle handle = lilv_instance_get_handle(h->instance);
	for (int i = 0; i < h->n_requests; i++)
		h->worker->work(handle, respond, h, h->requests[i].size, h->requests[i].data);
	h->n_requests = 0;
	for (int i = 0; i < h->n_responses; i++)
		h->worker->work_response(handle, h->responses[i].size, h->responses[i].data);
	h->n_responses = 0;
	if (h->worker->end_run)
		h->worker->end_run(handle);
}

/* ---------------------------------------------------------------- ports */

static void
atom_in_reset(lh_host *h)
{
	lv2_atom_forge_set_buffer(&h->forge, (uint8_t *)h->atom_in_buf, sizeof h->atom_in_buf);
	lv2_atom_forge_sequence_head(&h->forge, &h->seq_frame, 0);
}

/* Classifies every port and connects the ones that need no buffer per run.
 * Returns 0 or -1 with msg for a required port this host cannot feed. */
static int
scan_ports(lh_host *h, char *msg, size_t msg_len)
{
	LilvWorld *w = h->world;
	LilvNode *audio = lilv_new_uri(w, LV2_CORE__AudioPort);
	LilvNode *control = lilv_new_uri(w, LV2_CORE__ControlPort);
	LilvNode *atom = lilv_new_uri(w, LV2_ATOM__AtomPort);
	LilvNode *input = lilv_new_uri(w, LV2_CORE__InputPort);
	LilvNode *optional = lilv_new_uri(w, LV2_CORE__connectionOptional);
	float def[LH_MAX_PORTS];
	lilv_plugin_get_port_ranges_float(h->plugin, NULL, NULL, def);
	int rc = 0;
	h->atom_in = h->atom_out = -1;
	for (uint32_t i = 0; i < h->n_ports && rc == 0; i++) {
		const LilvPort *p = lilv_plugin_get_port_by_index(h->plugin, i);
		lh_port *port = &h->ports[i];
		port->symbol = lilv_node_as_string(lilv_port_get_symbol(h->plugin, p));
		port->input = lilv_port_is_a(h->plugin, p, input);
		port->type = lilv_port_is_a(h->plugin, p, audio)     ? LH_PORT_AUDIO
		             : lilv_port_is_a(h->plugin, p, control) ? LH_PORT_CONTROL
		             : lilv_port_is_a(h->plugin, p, atom)    ? LH_PORT_ATOM
		                                                     : LH_PORT_OTHER;
		int *n_audio = port->input ? &h->n_audio_in : &h->n_audio_out;
		int *atom_port = port->input ? &h->atom_in : &h->atom_out;
		if (port->type == LH_PORT_CONTROL) {
			port->value = isnan(def[i]) ? 0.0f : def[i];
			lilv_instance_connect_port(h->instance, i, &port->value);
		} else if (port->type == LH_PORT_AUDIO && *n_audio < LH_MAX_AUDIO) {
			(port->input ? h->audio_in : h->audio_out)[(*n_audio)++] = i;
		} else if (port->type == LH_PORT_ATOM && *atom_port < 0) {
			*atom_port = (int)i;
			lilv_instance_connect_port(h->instance, i,
			                           port->input ? h->atom_in_buf : h->atom_out_buf);
		} else if (lilv_port_has_property(h->plugin, p, optional)) {
			lilv_instance_connect_port(h->instance, i, NULL);
		} else {
			snprintf(msg, msg_len, "port %u ('%s') is of a kind this host does not support", i,
			         port->symbol);
			rc = -1;
		}
	}
	lilv_node_free(audio);
	lilv_node_free(control);
	lilv_node_free(atom);
	lilv_node_free(input);
	lilv_node_free(optional);
	return rc;
}

/* ----------------------------------------------------------- lifecycle */

int
lh_open(lh_host *h, const char *uri, double rate, char *msg, size_t msg_len)
{
	int quiet = h->quiet;
	memset(h, 0, sizeof *h);
	h->quiet = quiet;
	h->rate = rate;
	h->map = (LV2_URID_Map){ h, map_uri };
	h->unmap = (LV2_URID_Unmap){ h, unmap_uri };
	h->log = (LV2_Log_Log){ h, log_printf, log_vprintf };
	h->schedule = (LV2_Worker_Schedule){ h, schedule_work };
	h->f_map = (LV2_Feature){ LV2_URID__map, &h->map };
	h->f_unmap = (LV2_Feature){ LV2_URID__unmap, &h->unmap };
	h->f_schedule = (LV2_Feature){ LV2_WORKER__schedule, &h->schedule };
	h->f_log = (LV2_Feature){ LV2_LOG__log, &h->log };
	h->features[0] = &h->f_map;
	h->features[1] = &h->f_unmap;
	h->features[2] = &h->f_schedule;
	h->features[3] = &h->f_log;
	h->features[4] = NULL;

	h->world = lilv_world_new();
	if (!h->world) {
		snprintf(msg, msg_len, "cannot create the lilv world");
		return -1;
	}
	lilv_world_load_all(h->world);
	LilvNode *u = lilv_new_uri(h->world, uri);
	h->plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(h->world), u);
	lilv_node_free(u);
	if (!h->plugin) {
		snprintf(msg, msg_len, "plugin <%s> not found in LV2_PATH=%s", uri,
		         getenv("LV2_PATH") ? getenv("LV2_PATH") : "(unset: the default path)");
		return -1;
	}
	h->n_ports = lilv_plugin_get_num_ports(h->plugin);
	if (h->n_ports > LH_MAX_PORTS) {
		snprintf(msg, msg_len, "<%s> has %u ports (this host handles %d)", uri, h->n_ports,
		         LH_MAX_PORTS);
		return -1;
	}
	h->instance = lilv_plugin_instantiate(h->plugin, rate, h->features);
	if (!h->instance) {
		snprintf(msg, msg_len, "<%s> failed to instantiate at %g Hz%s%s", uri, rate,
		         h->log_errors ? ": " : "", h->last_error);
		return -1;
	}
	h->worker = lilv_instance_get_extension_data(h->instance, LV2_WORKER__interface);
	lv2_atom_forge_init(&h->forge, &h->map);
	atom_in_reset(h);
	return scan_ports(h, msg, msg_len);
}

void
lh_activate(lh_host *h)
{
	lilv_instance_activate(h->instance);
	h->activated = 1;
}

void
lh_deactivate(lh_host *h)
{
	if (!h->activated)
		return;
	lilv_instance_deactivate(h->instance);
	h->activated = 0;
	work(h); /* what the plugin handed back to be freed */
}

void
lh_close(lh_host *h)
{
	if (h->instance) {
		lh_deactivate(h);
		lilv_instance_free(h->instance);
	}
	if (h->world)
		lilv_world_free(h->world);
	for (uint32_t i = 0; i < h->n_uris; i++)
		free(h->uris[i]);
	free(h->uris);
	h->instance = NULL;
	h->world = NULL;
	h->uris = NULL;
	h->n_uris = h->cap_uris = 0;
}

/* ------------------------------------------------------------- controls */

static lh_port *
find_control(lh_host *h, const char *symbol, int input)
{
	for (uint32_t i = 0; i < h->n_ports; i++)
		if (h->ports[i].type == LH_PORT_CONTROL && h->ports[i].input == input &&
		    !strcmp(h->ports[i].symbol, symbol))
			return &h->ports[i];
	return NULL;
}

int
lh_set_control(lh_host *h, const char *symbol, float value)
{
	lh_port *p = find_control(h, symbol, 1);
	if (!p)
		return -1;
	p->value = value;
	return 0;
}

float
lh_control_output(const lh_host *h, const char *symbol)
{
	const lh_port *p = find_control((lh_host *)h, symbol, 0);
	return p ? p->value : NAN;
}

/* ---------------------------------------------------------------- atoms */

int
lh_send_set_path(lh_host *h, const char *property, const char *path)
{
	if (h->atom_in < 0)
		return -1;
	LV2_Atom_Forge_Frame f;
	LV2_Atom_Forge_Ref ok = lv2_atom_forge_frame_time(&h->forge, 0);
	ok = ok && lv2_atom_forge_object(&h->forge, &f, 0, map_uri(h, LV2_PATCH__Set));
	ok = ok && lv2_atom_forge_key(&h->forge, map_uri(h, LV2_PATCH__property));
	ok = ok && lv2_atom_forge_urid(&h->forge, map_uri(h, property));
	ok = ok && lv2_atom_forge_key(&h->forge, map_uri(h, LV2_PATCH__value));
	ok = ok && lv2_atom_forge_path(&h->forge, path, (uint32_t)strlen(path));
	if (!ok)
		return -1;
	lv2_atom_forge_pop(&h->forge, &f);
	return 0;
}

int
lh_notified_path(lh_host *h, const char *property, char *buf, size_t len)
{
	if (h->atom_out < 0)
		return -1;
	const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h->atom_out_buf;
	if (seq->atom.type != map_uri(h, LV2_ATOM__Sequence))
		return -1;
	LV2_URID set = map_uri(h, LV2_PATCH__Set), prop = map_uri(h, property);
	LV2_URID path_type = map_uri(h, LV2_ATOM__Path);
	int found = -1;
	LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
		const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&ev->body;
		if (!lv2_atom_forge_is_object_type(&h->forge, ev->body.type) || obj->body.otype != set)
			continue;
		const LV2_Atom *key = NULL, *value = NULL;
		lv2_atom_object_get(obj, map_uri(h, LV2_PATCH__property), &key,
		                    map_uri(h, LV2_PATCH__value), &value, 0);
		if (key && key->type == map_uri(h, LV2_ATOM__URID) &&
		    ((const LV2_Atom_URID *)key)->body == prop && value && value->type == path_type) {
			snprintf(buf, len, "%.*s", (int)value->size, (const char *)LV2_ATOM_BODY_CONST(value));
			found = 0;
		}
	}
	return found;
}

/* ------------------------------------------------------------------ run */

void
lh_run(lh_host *h, const float *const *in, float *const *out, uint32_t n)
{
	for (int c = 0; c < h->n_audio_in; c++)
		lilv_instance_connect_port(h->instance, h->audio_in[c],
		                           in && in[c] ? (void *)in[c] : h->silence);
	for (int c = 0; c < h->n_audio_out; c++)
		lilv_instance_connect_port(h->instance, h->audio_out[c],
		                           out && out[c] ? out[c] : h->scratch[c]);
	LV2_Atom_Sequence *notify = (LV2_Atom_Sequence *)h->atom_out_buf;
	notify->atom.type = map_uri(h, LV2_ATOM__Chunk); /* space the plugin may fill */
	notify->atom.size = sizeof h->atom_out_buf - sizeof(LV2_Atom);
	lilv_instance_run(h->instance, n);
	atom_in_reset(h);
	work(h);
}
