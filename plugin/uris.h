/* URIs of the plugin and the URIDs it maps in instantiate. */
#ifndef CW_URIS_H
#define CW_URIS_H

#include <lv2/atom/atom.h>
#include <lv2/midi/midi.h>
#include <lv2/patch/patch.h>
#include <lv2/urid/urid.h>

#define CW_URI "https://cwrnn.org/lv2"
#define CW_URI_MONO CW_URI "/mono"
#define CW_URI_STEREO CW_URI "/stereo"
#define CW_URI_MODEL CW_URI "#model" /* patch:Parameter, range atom:Path */

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
}

#endif
