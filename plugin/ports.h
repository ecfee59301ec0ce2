/*
 * The plugin's ports: one enum whose values are the lv2:index of each port,
 * and one table with every port's symbol, name, range, default, unit and
 * properties. build/plugin/gen_ttl writes the port part of cwrnn.ttl from
 * this table, and run() clamps control values to the same ranges, so the
 * TTL and the code cannot disagree.
 *
 * The mono plugin has ports 0 .. CW_N_PORTS_MONO - 1; the stereo plugin adds
 * a right input and output at the end.
 */
#ifndef CW_PORTS_H
#define CW_PORTS_H

#include <stdint.h>

typedef enum {
	CW_PORT_IN = 0,     /* audio in (left in stereo) */
	CW_PORT_OUT,        /* audio out (left in stereo) */
	CW_PORT_CONTROL,    /* atom sequence in: MIDI + patch:Set/Get */
	CW_PORT_NOTIFY,     /* atom sequence out: patch:Set with the model path */
	CW_PORT_ENABLED,    /* lv2:enabled (bypass with a crossfade) */
	CW_PORT_LATENCY,    /* output: reported latency in frames */
	CW_PORT_MODEL,      /* enumeration: bundled model */
	CW_PORT_IN_GAIN,    /* dB */
	CW_PORT_OUT_GAIN,   /* dB */
	CW_PORT_DRY_WET,    /* % wet */
	CW_PORT_STRETCH,    /* clock stretch: every period times this */
	CW_PORT_PERIOD_1,   /* module 1's period, 0 = the model's own */
	CW_PORT_PERIOD_2,
	CW_PORT_PERIOD_3,
	CW_PORT_PERIOD_4,
	CW_PORT_PERIOD_5,
	CW_PORT_PERIOD_6,
	CW_PORT_PERIOD_7,
	CW_PORT_PERIOD_8,
	CW_PORT_ROOT,       /* MIDI note that plays at the model's own rate, for a model
	                       that records none (cw_note_inc) */
	CW_PORT_TRIGGER,    /* restart generators (rising edge) */
	CW_PORT_INPUT_MIX,  /* continue models: share of audio input vs own output */
	CW_PORT_NOISE,      /* continue models: noise added to the fed-back input */
	CW_PORT_KNOB_1,     /* the model's first knob, 0..100 % of its range (50: its default) */
	CW_PORT_KNOB_2,
	CW_PORT_KNOB_3,
	CW_PORT_KNOB_4,
	CW_PORT_IN_R,       /* stereo only */
	CW_PORT_OUT_R,      /* stereo and instrument */
	CW_PORT_VOICES,     /* instrument only: polyphony */
	CW_PORT_BEND_RANGE, /* instrument only: pitch bend range, semitones */
	CW_PORT_SPREAD,     /* instrument only: stereo spread of voices by pitch */
	CW_N_PORTS
} cw_port_index;

#define CW_N_PORTS_MONO CW_PORT_IN_R
#define CW_N_PORTS_STEREO (CW_PORT_OUT_R + 1)
#define CW_N_PERIOD_PORTS 8
#define CW_MAX_PERIOD_PORT 4096
#define CW_N_KNOB_PORTS 4
/* Time constant of the one-pole smoothing of gains, dry/wet and knobs: a
 * control moves by at most 1 - exp(-1 / (CW_SMOOTH_SECONDS * rate)) of its
 * remaining distance per sample. */
#define CW_SMOOTH_SECONDS 0.01

typedef enum {
	CW_KIND_AUDIO_IN,
	CW_KIND_AUDIO_OUT,
	CW_KIND_ATOM_IN,
	CW_KIND_ATOM_OUT,
	CW_KIND_CONTROL_IN,
	CW_KIND_CONTROL_OUT
} cw_port_kind;

enum {
	CW_PROP_INTEGER = 1 << 0,
	CW_PROP_TOGGLED = 1 << 1,
	CW_PROP_ENUM = 1 << 2,     /* scale points: the bundled models */
	CW_PROP_LOG = 1 << 3,
	CW_PROP_TRIGGER = 1 << 4,
	CW_PROP_ENABLED = 1 << 5,  /* lv2:designation lv2:enabled */
	CW_PROP_LATENCY = 1 << 6,  /* lv2:designation lv2:latency, reportsLatency */
	CW_PROP_OPTIONAL = 1 << 7, /* lv2:connectionOptional */
	CW_PROP_CONTROL = 1 << 8   /* lv2:designation lv2:control */
};

typedef struct {
	const char *symbol;
	const char *stereo_symbol; /* NULL: same as symbol */
	const char *name;
	const char *stereo_name;   /* NULL: same as name */
	cw_port_kind kind;
	float min, max, def;       /* control ports only */
	const char *unit;          /* "units:db" or NULL */
	uint32_t props;
} cw_port_info;

/* Indexed by cw_port_index. The model port's maximum is set from the number
 * of bundled models (cw_port_max). */
extern const cw_port_info cw_ports[CW_N_PORTS];

/* Symbol of port i in the mono (stereo = 0) or stereo plugin (the
 * instrument uses the stereo symbols). */
const char *cw_port_symbol(int i, int stereo);

/* The three plugins of the bundle. The mono and stereo plugins' lv2:index
 * of a port is its cw_port_index; the instrument (no audio input) lists a
 * subset in its own order (cw_plugin_port). */
typedef enum { CW_PLUGIN_MONO, CW_PLUGIN_STEREO, CW_PLUGIN_INSTRUMENT } cw_plugin_kind;

/* How many ports plugin k has. */
int cw_plugin_n_ports(cw_plugin_kind k);

/* The port (cw_port_index) at lv2:index `index` of plugin k, or -1. */
int cw_plugin_port(cw_plugin_kind k, int index);

/* Clamps a control value to port i's range (n_models sets the model port's
 * maximum) and rounds integer and toggled ports. NaN becomes the default. */
float cw_port_clamp(int i, float value, int n_models);

#endif
