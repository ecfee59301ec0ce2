/* The project's LV2 host over lilv (see lv2host.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "lv2host.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/atom/util.h>
#include <lv2/midi/midi.h>
#include <lv2/patch/patch.h>
#include <lv2/presets/presets.h>
#include <lv2/state/state.h>

#define RDFS_LABEL "http://www.w3.org/2000/01/rdf-schema#label"

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

LV2_URID
lh_map(lh_host *h, const char *uri)
{
	return map_uri(h, uri);
}

static void
map_urids(lh_host *h)
{
	h->urid.atom_Chunk = map_uri(h, LV2_ATOM__Chunk);
	h->urid.atom_Float = map_uri(h, LV2_ATOM__Float);
	h->urid.atom_Path = map_uri(h, LV2_ATOM__Path);
	h->urid.atom_Sequence = map_uri(h, LV2_ATOM__Sequence);
	h->urid.atom_URID = map_uri(h, LV2_ATOM__URID);
	h->urid.log_Error = map_uri(h, LV2_LOG__Error);
	h->urid.log_Warning = map_uri(h, LV2_LOG__Warning);
	h->urid.midi_Event = map_uri(h, LV2_MIDI__MidiEvent);
	h->urid.patch_Get = map_uri(h, LV2_PATCH__Get);
	h->urid.patch_Set = map_uri(h, LV2_PATCH__Set);
	h->urid.patch_property = map_uri(h, LV2_PATCH__property);
	h->urid.patch_value = map_uri(h, LV2_PATCH__value);
}

/* ------------------------------------------------------------------ log */

static int
log_vprintf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, va_list ap)
{
	lh_host *h = handle;
	char line[1024];
	vsnprintf(line, sizeof line, fmt, ap);
	int error = type == h->urid.log_Error;
	if (error) {
		h->log_errors++;
		snprintf(h->last_error, sizeof h->last_error, "%s", line);
	}
	int loud = error || type == h->urid.log_Warning;
	if ((h->options & LH_PRINT_NOTES) || (loud && (h->options & LH_PRINT_WARNINGS)))
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

static void
rt_guard(lh_host *h, int on)
{
	if (h->rt_guard)
		h->rt_guard(on);
}

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
	rt_guard(h, 1);
	for (int i = 0; i < h->n_responses; i++)
		h->worker->work_response(handle, h->responses[i].size, h->responses[i].data);
	if (h->worker->end_run)
		h->worker->end_run(handle);
	rt_guard(h, 0);
	h->n_responses = 0;
}

/* ---------------------------------------------------------------- ports */

static void
events_clear(lh_host *h)
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
	int with_atoms = h->options & LH_WITH_ATOMS;
	h->atom_in = h->atom_out = -1;
	for (int i = 0; i < h->n_ports && rc == 0; i++) {
		const LilvPort *p = lilv_plugin_get_port_by_index(h->plugin, (uint32_t)i);
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
			h->controls[i] = isnan(def[i]) ? 0.0f : def[i];
			lilv_instance_connect_port(h->instance, (uint32_t)i, &h->controls[i]);
		} else if (port->type == LH_PORT_AUDIO && *n_audio < LH_MAX_AUDIO) {
			(port->input ? h->audio_in : h->audio_out)[(*n_audio)++] = (uint32_t)i;
		} else if (port->type == LH_PORT_ATOM && with_atoms && *atom_port < 0) {
			*atom_port = i;
			lilv_instance_connect_port(h->instance, (uint32_t)i,
			                           port->input ? h->atom_in_buf : h->atom_out_buf);
		} else if (lilv_port_has_property(h->plugin, p, optional) ||
		           (port->type == LH_PORT_ATOM && !with_atoms)) {
			lilv_instance_connect_port(h->instance, (uint32_t)i, NULL);
		} else {
			snprintf(msg, msg_len, "port %d ('%s') is of a kind this host does not support", i,
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

static void
offer_features(lh_host *h)
{
	h->map = (LV2_URID_Map){ h, map_uri };
	h->unmap = (LV2_URID_Unmap){ h, unmap_uri };
	h->log = (LV2_Log_Log){ h, log_printf, log_vprintf };
	h->schedule = (LV2_Worker_Schedule){ h, schedule_work };
	h->f_map = (LV2_Feature){ LV2_URID__map, &h->map };
	h->f_unmap = (LV2_Feature){ LV2_URID__unmap, &h->unmap };
	h->f_schedule = (LV2_Feature){ LV2_WORKER__schedule, &h->schedule };
	h->f_log = (LV2_Feature){ LV2_LOG__log, &h->log };
	int n = 0;
	if (h->options & LH_ALL) {
		h->features[n++] = &h->f_map;
		h->features[n++] = &h->f_unmap;
		if (h->options & LH_WITH_WORKER)
			h->features[n++] = &h->f_schedule;
		if (h->options & LH_WITH_LOG)
			h->features[n++] = &h->f_log;
	}
	h->features[n] = NULL;
}

/* lilv turns each LV2_PATH entry into a file URI and crashes on a relative
 * one (LV2_PATH=build/lv2): hand it the entries made absolute. Entries that
 * do not exist are left out, as lilv would find nothing there anyway. */
static void
set_absolute_lv2_path(LilvWorld *world)
{
	const char *path = getenv("LV2_PATH");
	if (!path || !*path)
		return;
	size_t cap = strlen(path) * 2 + PATH_MAX + 2, len = 0;
	char *abs = malloc(cap), *copy = strdup(path);
	if (!abs || !copy) {
		free(abs);
		free(copy);
		return;
	}
	abs[0] = '\0';
	char resolved[PATH_MAX];
	for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		if (!realpath(dir, resolved))
			continue;
		size_t n = strlen(resolved);
		if (len + n + 2 > cap)
			break;
		if (len)
			abs[len++] = ':';
		memcpy(abs + len, resolved, n + 1);
		len += n;
	}
	LilvNode *value = lilv_new_string(world, abs);
	lilv_world_set_option(world, LILV_OPTION_LV2_PATH, value);
	lilv_node_free(value);
	free(abs);
	free(copy);
}

int
lh_open(lh_host *h, const char *uri, double rate, int options, char *msg, size_t msg_len)
{
	memset(h, 0, sizeof *h);
	h->rate = rate;
	h->options = options;
	offer_features(h);
	map_urids(h);

	h->world = lilv_world_new();
	if (!h->world) {
		snprintf(msg, msg_len, "cannot create the lilv world");
		return -1;
	}
	set_absolute_lv2_path(h->world);
	lilv_world_load_all(h->world);
	LilvNode *u = lilv_new_uri(h->world, uri);
	h->plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(h->world), u);
	lilv_node_free(u);
	if (!h->plugin) {
		snprintf(msg, msg_len, "plugin <%s> not found in LV2_PATH=%s", uri,
		         getenv("LV2_PATH") ? getenv("LV2_PATH") : "(unset: the default path)");
		return -1;
	}
	h->n_ports = (int)lilv_plugin_get_num_ports(h->plugin);
	if (h->n_ports > LH_MAX_PORTS) {
		snprintf(msg, msg_len, "<%s> has %d ports (this host handles %d)", uri, h->n_ports,
		         LH_MAX_PORTS);
		return -1;
	}
	h->instance = lilv_plugin_instantiate(h->plugin, rate, h->features[0] ? h->features : NULL);
	if (!h->instance) {
		snprintf(msg, msg_len, "<%s> failed to instantiate at %g Hz%s%s", uri, rate,
		         h->log_errors ? ": " : "", h->last_error);
		return -1;
	}
	if (options & LH_WITH_WORKER)
		h->worker = lilv_instance_get_extension_data(h->instance, LV2_WORKER__interface);
	lv2_atom_forge_init(&h->forge, &h->map);
	events_clear(h);
	if (scan_ports(h, msg, msg_len) != 0)
		return -1;
	if (!(options & LH_DEFER_ACTIVATE))
		lh_activate(h);
	return 0;
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
	work(h);
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

static int
find_control(const lh_host *h, const char *symbol, int input)
{
	for (int i = 0; i < h->n_ports; i++)
		if (h->ports[i].type == LH_PORT_CONTROL && h->ports[i].input == input &&
		    !strcmp(h->ports[i].symbol, symbol))
			return i;
	return -1;
}

int
lh_set_control(lh_host *h, const char *symbol, float value)
{
	int i = find_control(h, symbol, 1);
	if (i < 0)
		return -1;
	h->controls[i] = value;
	return 0;
}

float
lh_control_output(const lh_host *h, const char *symbol)
{
	int i = find_control(h, symbol, 0);
	return i < 0 ? NAN : h->controls[i];
}

/* --------------------------------------------------------------- events */

int
lh_event_time(lh_host *h, uint32_t frame)
{
	if (h->atom_in < 0)
		return -1;
	return lv2_atom_forge_frame_time(&h->forge, frame) ? 0 : -1;
}

int
lh_send_set_path(lh_host *h, uint32_t frame, const char *property, const char *path)
{
	if (lh_event_time(h, frame) != 0)
		return -1;
	LV2_Atom_Forge_Frame f;
	LV2_Atom_Forge *forge = &h->forge;
	LV2_Atom_Forge_Ref ok = lv2_atom_forge_object(forge, &f, 0, h->urid.patch_Set);
	ok = ok && lv2_atom_forge_key(forge, h->urid.patch_property);
	ok = ok && lv2_atom_forge_urid(forge, map_uri(h, property));
	ok = ok && lv2_atom_forge_key(forge, h->urid.patch_value);
	ok = ok && lv2_atom_forge_path(forge, path, (uint32_t)strlen(path));
	if (!ok)
		return -1;
	lv2_atom_forge_pop(forge, &f);
	return 0;
}

int
lh_send_get(lh_host *h, uint32_t frame)
{
	if (lh_event_time(h, frame) != 0)
		return -1;
	LV2_Atom_Forge_Frame f;
	if (!lv2_atom_forge_object(&h->forge, &f, 0, h->urid.patch_Get))
		return -1;
	lv2_atom_forge_pop(&h->forge, &f);
	return 0;
}

int
lh_send_midi(lh_host *h, uint32_t frame, const uint8_t *msg, uint32_t size)
{
	if (lh_event_time(h, frame) != 0)
		return -1;
	LV2_Atom_Forge_Ref ok = lv2_atom_forge_atom(&h->forge, size, h->urid.midi_Event);
	ok = ok && lv2_atom_forge_write(&h->forge, msg, size);
	return ok ? 0 : -1;
}

/* Keeps the path of each patch:Set the plugin sent on its atom output. */
static void
read_notifications(lh_host *h)
{
	const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h->atom_out_buf;
	if (seq->atom.type != h->urid.atom_Sequence)
		return;
	LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
		const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&ev->body;
		if (!lv2_atom_forge_is_object_type(&h->forge, ev->body.type) ||
		    obj->body.otype != h->urid.patch_Set)
			continue;
		const LV2_Atom *key = NULL, *value = NULL;
		lv2_atom_object_get(obj, h->urid.patch_property, &key, h->urid.patch_value, &value, 0);
		if (key && key->type == h->urid.atom_URID && value &&
		    value->type == h->urid.atom_Path) {
			snprintf(h->notified, sizeof h->notified, "%.*s", (int)value->size,
			         (const char *)LV2_ATOM_BODY_CONST(value));
			h->notified_property = ((const LV2_Atom_URID *)key)->body;
			h->n_notified++;
		}
	}
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
	notify->atom.type = h->urid.atom_Chunk; /* space the plugin may fill */
	notify->atom.size = sizeof h->atom_out_buf - sizeof(LV2_Atom);

	rt_guard(h, 1);
	lilv_instance_run(h->instance, n);
	rt_guard(h, 0);

	if (h->atom_out >= 0)
		read_notifications(h);
	events_clear(h);
	work(h);
}

void
lh_run_blocks(lh_host *h, const float *const *in, float *const *out, size_t n,
              const uint32_t *sizes, int n_sizes)
{
	size_t done = 0;
	for (int k = 0; done < n; k = (k + 1) % n_sizes) {
		uint32_t b = sizes[k] < n - done ? sizes[k] : (uint32_t)(n - done);
		const float *ip[LH_MAX_AUDIO] = { NULL };
		float *op[LH_MAX_AUDIO] = { NULL };
		for (int c = 0; c < h->n_audio_in; c++)
			ip[c] = in && in[c] ? in[c] + done : NULL;
		for (int c = 0; c < h->n_audio_out; c++)
			op[c] = out && out[c] ? out[c] + done : NULL;
		lh_run(h, ip, op, b);
		done += b;
	}
}

/* ---------------------------------------------------------------- state */

static const void *
get_port_value(const char *symbol, void *user_data, uint32_t *size, uint32_t *type)
{
	lh_host *h = user_data;
	int i = find_control(h, symbol, 1);
	if (i < 0) {
		*size = *type = 0;
		return NULL;
	}
	*size = sizeof(float);
	*type = h->urid.atom_Float;
	return &h->controls[i];
}

static void
set_port_value(const char *symbol, void *user_data, const void *value, uint32_t size,
               uint32_t type)
{
	lh_host *h = user_data;
	int i = find_control(h, symbol, 1);
	if (i >= 0 && size == sizeof(float) && type == h->urid.atom_Float)
		memcpy(&h->controls[i], value, sizeof(float));
}

int
lh_save_state(lh_host *h, const char *dir)
{
	/* as jalv does: copy, link and save directory are the same (with no link
	 * directory, lilv 0.24 removes an external file while linking it) */
	LilvState *st = lilv_state_new_from_instance(h->plugin, h->instance, &h->map, NULL, dir, dir,
	                                             dir, get_port_value, h, 0, h->features);
	if (!st)
		return -1;
	int r = lilv_state_save(h->world, &h->map, &h->unmap, st, NULL, dir, "state.ttl");
	lilv_state_free(st);
	return r ? -1 : 0;
}

static int
restore(lh_host *h, LilvState *st)
{
	if (!st)
		return -1;
	lilv_state_restore(st, h->instance, set_port_value, h, 0, h->features);
	lilv_state_free(st);
	return 0;
}

int
lh_restore_state(lh_host *h, const char *dir)
{
	char path[LH_MAX_PATH];
	if (snprintf(path, sizeof path, "%s/state.ttl", dir) >= (int)sizeof path)
		return -1;
	return restore(h, lilv_state_new_from_file(h->world, &h->map, NULL, path));
}

/* 1 if the (loaded) preset p is called name, by URI or by label. */
static int
preset_is(lh_host *h, const LilvNode *p, const char *name)
{
	if (!strcmp(lilv_node_as_uri(p), name))
		return 1;
	LilvNode *label_key = lilv_new_uri(h->world, RDFS_LABEL);
	LilvNode *label = lilv_world_get(h->world, p, label_key, NULL);
	int is = label && !strcmp(lilv_node_as_string(label), name);
	lilv_node_free(label);
	lilv_node_free(label_key);
	return is;
}

int
lh_apply_preset(lh_host *h, const char *name)
{
	LilvNode *preset_class = lilv_new_uri(h->world, LV2_PRESETS__Preset);
	LilvNodes *presets = lilv_plugin_get_related(h->plugin, preset_class);
	lilv_node_free(preset_class);
	LilvState *st = NULL;
	LILV_FOREACH (nodes, i, presets) {
		const LilvNode *p = lilv_nodes_get(presets, i);
		lilv_world_load_resource(h->world, p);
		if (preset_is(h, p, name)) {
			st = lilv_state_new_from_world(h->world, &h->map, p);
			break;
		}
	}
	lilv_nodes_free(presets);
	return restore(h, st);
}
