/* The port table (see ports.h). */
#include "ports.h"

#include <math.h>
#include <stddef.h>

#define AUDIO(kind_, sym, ssym, nm, snm) \
	{ .symbol = sym, .stereo_symbol = ssym, .name = nm, .stereo_name = snm, .kind = kind_ }

const cw_port_info cw_ports[CW_N_PORTS] = {
	[CW_PORT_IN] = AUDIO(CW_KIND_AUDIO_IN, "in", "in_l", "In", "In L"),
	[CW_PORT_OUT] = AUDIO(CW_KIND_AUDIO_OUT, "out", "out_l", "Out", "Out L"),
	[CW_PORT_CONTROL] = { .symbol = "control", .name = "Control", .kind = CW_KIND_ATOM_IN,
	                      .props = CW_PROP_OPTIONAL | CW_PROP_CONTROL },
	[CW_PORT_NOTIFY] = { .symbol = "notify", .name = "Notify", .kind = CW_KIND_ATOM_OUT,
	                     .props = CW_PROP_OPTIONAL },
	[CW_PORT_ENABLED] = { .symbol = "enabled", .name = "Enabled", .kind = CW_KIND_CONTROL_IN,
	                      .min = 0, .max = 1, .def = 1,
	                      .props = CW_PROP_TOGGLED | CW_PROP_ENABLED },
	[CW_PORT_LATENCY] = { .symbol = "latency", .name = "Latency", .kind = CW_KIND_CONTROL_OUT,
	                      .min = 0, .max = 1024, .def = 0, .unit = "units:frame",
	                      .props = CW_PROP_INTEGER | CW_PROP_LATENCY },
	[CW_PORT_MODEL] = { .symbol = "model", .name = "Bundled model", .kind = CW_KIND_CONTROL_IN,
	                    .min = 0, .max = 0, .def = 0,
	                    .props = CW_PROP_INTEGER | CW_PROP_ENUM },
	[CW_PORT_IN_GAIN] = { .symbol = "in_gain", .name = "Input gain", .kind = CW_KIND_CONTROL_IN,
	                      .min = -60, .max = 24, .def = 0, .unit = "units:db" },
	[CW_PORT_OUT_GAIN] = { .symbol = "out_gain", .name = "Output gain",
	                       .kind = CW_KIND_CONTROL_IN, .min = -60, .max = 24, .def = 0,
	                       .unit = "units:db" },
	[CW_PORT_DRY_WET] = { .symbol = "dry_wet", .name = "Dry/wet", .kind = CW_KIND_CONTROL_IN,
	                      .min = 0, .max = 100, .def = 100, .unit = "units:pc" },
	[CW_PORT_STRETCH] = { .symbol = "stretch", .name = "Clock stretch",
	                      .kind = CW_KIND_CONTROL_IN, .min = 0.25f, .max = 16, .def = 1,
	                      .unit = "units:coef", .props = CW_PROP_LOG },
#define PERIOD(i) \
	[CW_PORT_PERIOD_1 + (i)-1] = { .symbol = "period_" #i, .name = "Period " #i, \
	                               .kind = CW_KIND_CONTROL_IN, .min = 0, \
	                               .max = CW_MAX_PERIOD_PORT, .def = 0, \
	                               .unit = "units:frame", .props = CW_PROP_INTEGER }
	PERIOD(1), PERIOD(2), PERIOD(3), PERIOD(4), PERIOD(5), PERIOD(6), PERIOD(7), PERIOD(8),
#undef PERIOD
	[CW_PORT_ROOT] = { .symbol = "root", .name = "Root note", .kind = CW_KIND_CONTROL_IN,
	                   .min = 0, .max = 127, .def = 60, .unit = "units:midiNote",
	                   .props = CW_PROP_INTEGER },
	[CW_PORT_TRIGGER] = { .symbol = "trigger", .name = "Restart", .kind = CW_KIND_CONTROL_IN,
	                      .min = 0, .max = 1, .def = 0,
	                      .props = CW_PROP_TOGGLED | CW_PROP_TRIGGER },
	[CW_PORT_INPUT_MIX] = { .symbol = "input_mix", .name = "Input mix",
	                        .kind = CW_KIND_CONTROL_IN, .min = 0, .max = 100, .def = 0,
	                        .unit = "units:pc" },
	[CW_PORT_NOISE] = { .symbol = "noise", .name = "Noise", .kind = CW_KIND_CONTROL_IN,
	                    .min = 0, .max = 0.1f, .def = 0, .unit = "units:coef" },
#define KNOB(i) \
	[CW_PORT_KNOB_1 + (i)-1] = { .symbol = "knob_" #i, .name = "Knob " #i, \
	                             .kind = CW_KIND_CONTROL_IN, .min = 0, .max = 100, \
	                             .def = 50, .unit = "units:pc" }
	KNOB(1), KNOB(2), KNOB(3), KNOB(4),
#undef KNOB
	[CW_PORT_IN_R] = AUDIO(CW_KIND_AUDIO_IN, "in_r", NULL, "In R", NULL),
	[CW_PORT_OUT_R] = AUDIO(CW_KIND_AUDIO_OUT, "out_r", NULL, "Out R", NULL),
	[CW_PORT_VOICES] = { .symbol = "voices", .name = "Voices", .kind = CW_KIND_CONTROL_IN,
	                     .min = 1, .max = 32, .def = 16, .props = CW_PROP_INTEGER },
	[CW_PORT_BEND_RANGE] = { .symbol = "bend_range", .name = "Pitch bend range",
	                         .kind = CW_KIND_CONTROL_IN, .min = 0, .max = 24, .def = 2,
	                         .unit = "units:semitone12TET" },
	[CW_PORT_SPREAD] = { .symbol = "spread", .name = "Spread", .kind = CW_KIND_CONTROL_IN,
	                     .min = 0, .max = 100, .def = 50, .unit = "units:pc" },
};

/* The instrument's ports in lv2:index order. */
static const int instrument_ports[] = {
	CW_PORT_OUT, CW_PORT_OUT_R, CW_PORT_CONTROL, CW_PORT_NOTIFY, CW_PORT_MODEL,
	CW_PORT_OUT_GAIN, CW_PORT_STRETCH, CW_PORT_PERIOD_1, CW_PORT_PERIOD_2, CW_PORT_PERIOD_3,
	CW_PORT_PERIOD_4, CW_PORT_PERIOD_5, CW_PORT_PERIOD_6, CW_PORT_PERIOD_7, CW_PORT_PERIOD_8,
	CW_PORT_VOICES, CW_PORT_BEND_RANGE, CW_PORT_SPREAD,
};

int
cw_plugin_n_ports(cw_plugin_kind k)
{
	switch (k) {
	case CW_PLUGIN_MONO: return CW_N_PORTS_MONO;
	case CW_PLUGIN_STEREO: return CW_N_PORTS_STEREO;
	case CW_PLUGIN_INSTRUMENT: return (int)(sizeof instrument_ports / sizeof *instrument_ports);
	}
	return 0;
}

int
cw_plugin_port(cw_plugin_kind k, int index)
{
	if (index < 0 || index >= cw_plugin_n_ports(k))
		return -1;
	return k == CW_PLUGIN_INSTRUMENT ? instrument_ports[index] : index;
}

const char *
cw_port_symbol(int i, int stereo)
{
	if (stereo && cw_ports[i].stereo_symbol)
		return cw_ports[i].stereo_symbol;
	return cw_ports[i].symbol;
}

float
cw_port_clamp(int i, float value, int n_models)
{
	const cw_port_info *p = &cw_ports[i];
	float max = i == CW_PORT_MODEL ? (float)(n_models > 0 ? n_models - 1 : 0) : p->max;
	if (isnan(value))
		return p->def;
	if (p->props & CW_PROP_TOGGLED)
		return value > 0.5f ? 1.0f : 0.0f;
	if (value < p->min)
		value = p->min;
	if (value > max)
		value = max;
	if (p->props & CW_PROP_INTEGER)
		value = rintf(value);
	return value;
}
