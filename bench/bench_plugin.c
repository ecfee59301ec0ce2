/*
 * The plugin's cost per sample through lilv (the project's host,
 * tools/lv2host, with every feature: its per-run bookkeeping counts with the
 * plugin, as a real host's would) for the bundled default model, against
 * the engine's bare cwrnn_process on the same model and audio,
 * measured in the same run: medians of repeats, 256-frame blocks at 48 kHz.
 *
 *   LV2_PATH=build bench_plugin build/cwrnn.lv2/models/default.cwrnn
 *
 * Prints: bench: plugin_default ns_per_sample=X engine_ns_per_sample=Y
 *         ratio=X/Y realtime_factor=Z   (Z: seconds of audio per second of CPU)
 * and the same for plugin_default_44k1: the host at 44.1 kHz, where the
 * 48 kHz default model is stepped fractionally with band-limited resampling
 * (engine time there is for the same number of network steps).
 *
 * Then every bundled instrument (the instrument plugin's model port) with 16
 * voices held, C2 to E6 in minor thirds:
 *   bench: instrument_N voices=16 ns_per_sample=X core_percent=P
 * (P: share of one core at 48 kHz).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cwrnn.h"
#include "lv2host.h"
#include "uris.h"
#include "timing.h"

#define RATE 48000.0
#define BLOCK 256
#define FRAMES (48000 * 2)
#define REPEATS 7

static lh_host host; /* large: buffers inside */

static int
fatal(const char *what)
{
	fprintf(stderr, "bench_plugin: %s\n", what);
	return 1;
}

/* Times the plugin at host rate `rate` against the engine on the same
 * audio, medians of REPEATS, and prints one bench line. */
static int
measure(cwrnn_state *state, const char *name, double rate, const float *in, float *out)
{
	char msg[1024];
	if (lh_open(&host, CW_URI_MONO, rate, LH_ALL, msg, sizeof msg) != 0) {
		lh_close(&host);
		return fatal(msg);
	}

	/* the engine runs as many steps as the plugin's network does */
	const int steps = (int)((double)FRAMES * RATE / rate) / BLOCK * BLOCK;
	double t_plugin[REPEATS], t_engine[REPEATS];
	for (int r = 0; r < REPEATS; r++) {
		double t0 = bench_seconds();
		for (int at = 0; at < FRAMES; at += BLOCK) {
			const float *ip[1] = { in + at };
			float *op[1] = { out + at };
			lh_run(&host, ip, op, BLOCK);
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
	lh_close(&host);
	return 0;
}

/* Times the instrument plugin with model port value `model` and 16 voices
 * sounding, medians of REPEATS over FRAMES frames after the notes started.
 * Returns 0, 1 on failure, 2 when there is no such model. */
static int
measure_instrument(int model)
{
	char msg[1024];
	if (lh_open(&host, CW_URI_INSTRUMENT, RATE, LH_ALL, msg, sizeof msg) != 0) {
		lh_close(&host);
		return fatal(msg);
	}
	LilvNode *sym = lilv_new_string(host.world, "model");
	LilvScalePoints *points =
	    lilv_port_get_scale_points(host.plugin, lilv_plugin_get_port_by_symbol(host.plugin, sym));
	int n = points ? (int)lilv_scale_points_size(points) : 0;
	lilv_scale_points_free(points);
	lilv_node_free(sym);
	if (model >= n) {
		lh_close(&host);
		return 2;
	}
	lh_set_control(&host, "model", (float)model);
	lh_set_control(&host, "voices", 16.0f);
	for (int k = 0; k < 16; k++) {
		const uint8_t on[3] = { 0x90, (uint8_t)(36 + 3 * k), 100 };
		lh_send_midi(&host, 0, on, 3);
	}
	static float l[BLOCK], r[BLOCK];
	float *op[2] = { l, r };
	double t[REPEATS];
	for (int rep = 0; rep < REPEATS; rep++) {
		double t0 = bench_seconds();
		for (int at = 0; at < FRAMES; at += BLOCK)
			lh_run(&host, NULL, op, BLOCK);
		t[rep] = (bench_seconds() - t0) * 1e9 / FRAMES;
	}
	double ns = bench_median(t, REPEATS);
	printf("bench: instrument_%d voices=16 ns_per_sample=%.2f core_percent=%.2f\n", model, ns,
	       100.0 * ns * RATE * 1e-9);
	lh_close(&host);
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

	int st = measure(state, "plugin_default", RATE, in, out);
	if (!st)
		st = measure(state, "plugin_default_44k1", 44100.0, in, out);
	for (int m = 0; !st; m++) {
		int rc = measure_instrument(m);
		if (rc == 2)
			break;
		st = rc;
	}
	cwrnn_state_free(state);
	cwrnn_model_free(model);
	return st;
}
