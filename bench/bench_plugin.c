/*
 * The plugin's cost per sample through lilv for the bundled default model,
 * against the engine's bare cwrnn_process on the same model and audio,
 * measured in the same run: medians of repeats, 256-frame blocks at 48 kHz.
 *
 *   LV2_PATH=build bench_plugin build/cwrnn.lv2/models/default.cwrnn
 *
 * Prints: bench: plugin_default ns_per_sample=X engine_ns_per_sample=Y
 *         ratio=X/Y realtime_factor=Z   (Z: seconds of audio per second of CPU)
 * and the same for plugin_default_44k1: the host at 44.1 kHz, where the
 * 48 kHz default model is stepped fractionally with band-limited resampling
 * (engine time there is for the same number of network steps).
 */
#include <lilv/lilv.h>
#include <lv2/atom/atom.h>
#include <lv2/urid/urid.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cwrnn.h"
#include "ports.h"
#include "uris.h"
#include "timing.h"

#define RATE 48000.0
#define BLOCK 256
#define FRAMES (48000 * 2)
#define REPEATS 7

static char *uris[256];
static int n_uris;

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
	(void)handle;
	for (int i = 0; i < n_uris; i++)
		if (!strcmp(uris[i], uri))
			return (LV2_URID)(i + 1);
	if (n_uris == 256)
		return 0;
	uris[n_uris] = strdup(uri);
	return (LV2_URID)++n_uris;
}




static int
fatal(const char *what)
{
	fprintf(stderr, "bench_plugin: %s\n", what);
	return 1;
}

/* Times the plugin at host rate `rate` against the engine on the same
 * audio, medians of REPEATS, and prints one bench line. */
static int
measure(const LilvPlugin *plugin, cwrnn_state *state, const char *name, double rate,
        const float *in, float *out)
{
	LV2_URID_Map map = { NULL, map_uri };
	LV2_Feature map_feature = { LV2_URID__map, &map };
	const LV2_Feature *features[] = { &map_feature, NULL };
	LilvInstance *inst = lilv_plugin_instantiate(plugin, rate, features);
	if (!inst)
		return fatal("instantiate failed");

	float controls[CW_N_PORTS], latency = 0;
	uint64_t control_buf[64], notify_buf[512];
	LV2_Atom_Sequence *control = (LV2_Atom_Sequence *)control_buf;
	control->atom.type = map_uri(NULL, LV2_ATOM__Sequence);
	control->atom.size = sizeof(LV2_Atom_Sequence_Body);
	control->body.unit = control->body.pad = 0;
	for (int i = 0; i < CW_N_PORTS_MONO; i++) {
		controls[i] = cw_ports[i].def;
		if (cw_ports[i].kind == CW_KIND_CONTROL_IN)
			lilv_instance_connect_port(inst, (uint32_t)i, &controls[i]);
		else if (cw_ports[i].kind == CW_KIND_CONTROL_OUT)
			lilv_instance_connect_port(inst, (uint32_t)i, &latency);
	}
	lilv_instance_connect_port(inst, CW_PORT_CONTROL, control);
	lilv_instance_connect_port(inst, CW_PORT_NOTIFY, notify_buf);
	lilv_instance_activate(inst);

	/* the engine runs as many steps as the plugin's network does */
	const int steps = (int)((double)FRAMES * RATE / rate) / BLOCK * BLOCK;
	double t_plugin[REPEATS], t_engine[REPEATS];
	for (int r = 0; r < REPEATS; r++) {
		double t0 = bench_seconds();
		for (int at = 0; at < FRAMES; at += BLOCK) {
			LV2_Atom_Sequence *notify = (LV2_Atom_Sequence *)notify_buf;
			notify->atom.size = sizeof notify_buf - sizeof(LV2_Atom);
			lilv_instance_connect_port(inst, CW_PORT_IN, (void *)(in + at));
			lilv_instance_connect_port(inst, CW_PORT_OUT, out + at);
			lilv_instance_run(inst, BLOCK);
		}
		t_plugin[r] = (bench_seconds() - t0) * 1e9 / FRAMES;

		t0 = bench_seconds();
		for (int at = 0; at < steps; at += BLOCK)
			cwrnn_process(state, in + at, out + at, BLOCK);
		t_engine[r] = (bench_seconds() - t0) * 1e9 / FRAMES;
	}
	double p = bench_median(t_plugin, REPEATS), e = bench_median(t_engine, REPEATS);
	printf("bench: %s ns_per_sample=%.2f engine_ns_per_sample=%.2f ratio=%.3f "
	       "realtime_factor=%.1f\n",
	       name, p, e, p / e, 1e9 / rate / p);
	lilv_instance_deactivate(inst);
	lilv_instance_free(inst);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc != 2)
		return fatal("usage: bench_plugin DEFAULT_MODEL.cwrnn (with LV2_PATH set)");
	static float in[2 * FRAMES], out[2 * FRAMES]; /* room for the engine's extra steps */
	for (int i = 0; i < 2 * FRAMES; i++)
		in[i] = (float)(0.5 * sin(0.03 * i) + 0.1 * sin(0.0071 * i));

	char msg[512];
	cwrnn_model *model = NULL;
	if (cwrnn_model_load(argv[1], &model, msg, sizeof msg) != CWRNN_OK)
		return fatal(msg);
	cwrnn_state *state = cwrnn_state_new(model);
	if (!state)
		return fatal("out of memory");

	LilvWorld *world = lilv_world_new();
	lilv_world_load_all(world);
	LilvNode *uri = lilv_new_uri(world, CW_URI_MONO);
	const LilvPlugin *plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(world), uri);
	lilv_node_free(uri);
	if (!plugin)
		return fatal("plugin " CW_URI_MONO " not found: set LV2_PATH to the build directory");
	int st = measure(plugin, state, "plugin_default", RATE, in, out);
	if (!st)
		st = measure(plugin, state, "plugin_default_44k1", 44100.0, in, out);
	lilv_world_free(world);
	cwrnn_state_free(state);
	cwrnn_model_free(model);
	for (int i = 0; i < n_uris; i++)
		free(uris[i]);
	return st;
}
