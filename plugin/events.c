/* Atom input (MIDI notes, patch:Set/Get of the model path) and the notify
 * output. Called from run() only. */
#include "plugin.h"

#include <string.h>

#include <lv2/atom/util.h>

void
cw_notify_begin(cw_plugin *self, LV2_Atom_Forge_Frame *frame)
{
	self->notify_open = 0;
	if (!self->notify || !self->map)
		return;
	const uint32_t capacity = self->notify->atom.size;
	lv2_atom_forge_set_buffer(&self->forge, (uint8_t *)self->notify, capacity);
	self->notify_open = lv2_atom_forge_sequence_head(&self->forge, frame, 0) != 0;
}

/* Starts a patch:Set of property at frames, up to its patch:value key, if
 * need bytes are free (all or nothing). Returns 1 when the caller is to
 * write the value and pop frame. */
static int
begin_set(cw_plugin *self, int64_t frames, LV2_URID property, uint32_t need,
          LV2_Atom_Forge_Frame *frame)
{
	const cw_uris *u = &self->uris;
	LV2_Atom_Forge *forge = &self->forge;
	if (!self->notify_open || forge->size - forge->offset < need)
		return 0;
	if (!lv2_atom_forge_frame_time(forge, frames))
		return 0;
	if (!lv2_atom_forge_object(forge, frame, 0, u->patch_Set))
		return 0;
	lv2_atom_forge_key(forge, u->patch_property);
	lv2_atom_forge_urid(forge, property);
	lv2_atom_forge_key(forge, u->patch_value);
	return 1;
}

/* patch:Set cwrnn:model <path of the playing model>. */
void
cw_notify_path(cw_plugin *self, int64_t frames)
{
	LV2_Atom_Forge_Frame frame;
	const char *path = self->cur->path;
	/* event header, object header, two properties, path */
	if (!begin_set(self, frames, self->uris.cw_model, 128 + (uint32_t)strlen(path) + 8, &frame))
		return;
	lv2_atom_forge_path(&self->forge, path, (uint32_t)strlen(path));
	lv2_atom_forge_pop(&self->forge, &frame);
}

/* One knob: [ a cwrnn:Knob ; rdfs:label "drive" ; lv2:minimum 0 ; lv2:maximum
 * 10 ; lv2:default 5 ; lv2:symbol "knob_1" ] (no symbol past Knob 4, nor in
 * the instrument, which has no knob ports). */
static void
forge_knob(cw_plugin *self, const cwrnn_control *ctl, int k)
{
	const cw_uris *u = &self->uris;
	LV2_Atom_Forge *forge = &self->forge;
	LV2_Atom_Forge_Frame frame;
	lv2_atom_forge_object(forge, &frame, 0, u->cw_Knob);
	lv2_atom_forge_key(forge, u->rdfs_label);
	lv2_atom_forge_string(forge, ctl->name, (uint32_t)strlen(ctl->name));
	lv2_atom_forge_key(forge, u->lv2_minimum);
	lv2_atom_forge_float(forge, ctl->min);
	lv2_atom_forge_key(forge, u->lv2_maximum);
	lv2_atom_forge_float(forge, ctl->max);
	lv2_atom_forge_key(forge, u->lv2_default);
	lv2_atom_forge_float(forge, ctl->def);
	if (cw_knob_has_port(self, k)) {
		const char *symbol = cw_ports[CW_PORT_KNOB_1 + k].symbol;
		lv2_atom_forge_key(forge, u->lv2_symbol);
		lv2_atom_forge_string(forge, symbol, (uint32_t)strlen(symbol));
	}
	lv2_atom_forge_pop(forge, &frame);
}

/* patch:Set cwrnn:knobs ( <one cwrnn:Knob per knob of the playing model> ),
 * an empty tuple for a model without knobs. */
void
cw_notify_knobs(cw_plugin *self, int64_t frames)
{
	const cw_slot *s = self->cur;
	LV2_Atom_Forge *forge = &self->forge;
	LV2_Atom_Forge_Frame frame, tuple;
	/* event and object headers, then per knob an object with five
	 * properties (a name of at most 32 bytes) */
	if (!begin_set(self, frames, self->uris.cw_knobs, 128 + 256 * (uint32_t)s->n_knobs, &frame))
		return;
	lv2_atom_forge_tuple(forge, &tuple);
	for (int k = 0; k < s->n_knobs; k++)
		forge_knob(self, &s->model->config.controls[s->knob_control[k]], k);
	lv2_atom_forge_pop(forge, &tuple);
	lv2_atom_forge_pop(forge, &frame);
}

static void
handle_midi(cw_plugin *self, const uint8_t *msg, uint32_t size)
{
	if (self->kind == CW_PLUGIN_INSTRUMENT) {
		cw_instrument_midi(self, msg, size);
		return;
	}
	if (size < 3 || self->cur->mode == CW_MODE_TRANSFORM)
		return;
	uint8_t status = msg[0] & 0xF0;
	if (status == 0x90 && msg[2] > 0) {
		cw_restart(self, msg[1] & 0x7F, (float)(msg[2] & 0x7F) / 127.0f);
	} else if (status == 0x80 || status == 0x90) {
		cw_release(self, msg[1] & 0x7F);
	} else if (status == 0xB0 && (msg[1] == 123 || msg[1] == 120)) {
		cw_release(self, -1); /* all notes off / all sound off */
	}
}

static void
handle_set(cw_plugin *self, const LV2_Atom_Object *obj)
{
	const cw_uris *u = &self->uris;
	const LV2_Atom *property = NULL, *value = NULL;
	lv2_atom_object_get(obj, u->patch_property, &property, u->patch_value, &value, 0);
	if (!property || property->type != u->atom_URID ||
	    ((const LV2_Atom_URID *)property)->body != u->cw_model)
		return;
	if (!value || value->type != u->atom_Path || value->size == 0)
		return;
	cw_schedule_load(self, self->schedule, LV2_ATOM_BODY_CONST(value), value->size);
}

/* patch:Get without a property answers both parameters. */
static void
handle_get(cw_plugin *self, const LV2_Atom_Object *obj, int64_t frames)
{
	const cw_uris *u = &self->uris;
	const LV2_Atom *property = NULL;
	lv2_atom_object_get(obj, u->patch_property, &property, 0);
	if (!property) {
		cw_notify_path(self, frames);
		cw_notify_knobs(self, frames);
		return;
	}
	if (property->type != u->atom_URID)
		return;
	LV2_URID which = ((const LV2_Atom_URID *)property)->body;
	if (which == u->cw_model)
		cw_notify_path(self, frames);
	else if (which == u->cw_knobs)
		cw_notify_knobs(self, frames);
}

void
cw_handle_event(cw_plugin *self, const LV2_Atom_Event *ev)
{
	const cw_uris *u = &self->uris;
	if (ev->body.type == u->midi_Event) {
		handle_midi(self, (const uint8_t *)(ev + 1), ev->body.size);
	} else if (lv2_atom_forge_is_object_type(&self->forge, ev->body.type)) {
		const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&ev->body;
		if (obj->body.otype == u->patch_Set)
			handle_set(self, obj);
		else if (obj->body.otype == u->patch_Get)
			handle_get(self, obj, ev->time.frames);
	}
}
