/* URIs of the plugin and the URIDs it maps in instantiate. */
#ifndef CW_URIS_H
#define CW_URIS_H

#include <lv2/atom/atom.h>
#include <lv2/core/lv2.h>
#include <lv2/midi/midi.h>
#include <lv2/patch/patch.h>
#include <lv2/urid/urid.h>

#define CW_URI "https://cwrnn.org/lv2"
#define CW_URI_MONO CW_URI "/mono"
#define CW_URI_STEREO CW_URI "/stereo"
#define CW_URI_INSTRUMENT CW_URI "/instrument"
#define CW_URI_MODEL CW_URI "#model" /* patch:Parameter, range atom:Path */
#define CW_URI_KNOBS CW_URI "#knobs" /* patch:Parameter (readable), range atom:Tuple */
#define CW_URI_KNOB CW_URI "#Knob"   /* one knob of the model, an element of #knobs */
#define CW_URI_RDFS_LABEL "http://www.w3.org/2000/01/rdf-schema#label"

typedef struct {
	LV2_URID atom_Path;
	LV2_URID atom_URID;
	LV2_URID atom_Sequence;
	LV2_URID atom_eventTransfer;
	LV2_URID midi_Event;
	LV2_URID patch_Get;
	LV2_URID patch_Set;
	LV2_URID patch_property;
	LV2_URID patch_value;
	LV2_URID cw_model;
	LV2_URID cw_knobs;
	LV2_URID cw_Knob;
	LV2_URID lv2_symbol;
	LV2_URID lv2_minimum;
	LV2_URID lv2_maximum;
	LV2_URID lv2_default;
	LV2_URID rdfs_label;
} cw_uris;

static inline void
cw_uris_map(cw_uris *u, LV2_URID_Map *map)
{
	u->atom_Path = map->map(map->handle, LV2_ATOM__Path);
	u->atom_URID = map->map(map->handle, LV2_ATOM__URID);
	u->atom_Sequence = map->map(map->handle, LV2_ATOM__Sequence);
	u->atom_eventTransfer = map->map(map->handle, LV2_ATOM__eventTransfer);
	u->midi_Event = map->map(map->handle, LV2_MIDI__MidiEvent);
	u->patch_Get = map->map(map->handle, LV2_PATCH__Get);
	u->patch_Set = map->map(map->handle, LV2_PATCH__Set);
	u->patch_property = map->map(map->handle, LV2_PATCH__property);
	u->patch_value = map->map(map->handle, LV2_PATCH__value);
	u->cw_model = map->map(map->handle, CW_URI_MODEL);
	u->cw_knobs = map->map(map->handle, CW_URI_KNOBS);
	u->cw_Knob = map->map(map->handle, CW_URI_KNOB);
	u->lv2_symbol = map->map(map->handle, LV2_CORE__symbol);
	u->lv2_minimum = map->map(map->handle, LV2_CORE__minimum);
	u->lv2_maximum = map->map(map->handle, LV2_CORE__maximum);
	u->lv2_default = map->map(map->handle, LV2_CORE__default);
	u->rdfs_label = map->map(map->handle, CW_URI_RDFS_LABEL);
}

#endif
