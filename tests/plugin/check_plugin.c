/*
 * Plugin tests through lilv: the bundle as hosts see it, run() against the
 * engine's own cwrnn_process, model loading through the worker and patch
 * messages, state, controls, generators, sample rates, and no heap calls in
 * run(). Needs LV2_PATH pointing at build/ (make check-plugin sets it).
 */
#define _XOPEN_SOURCE 700 /* realpath, M_PI */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cwrnn.h"
#include "heap.h"
#include "host.h"
#include "ports.h"
#include "slot.h"
#include "suites.h"
#include "uris.h"

#define N_SIG 12000

static char tmp_dir[1024];
static char bundle_default[1024];

/* ------------------------------------------------------------- helpers */

static uint64_t rng_state;

static double
uniform(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(rng_state >> 11) * (1.0 / 9007199254740992.0);
}

static double
gauss(void)
{
	double s = 0;
	for (int i = 0; i < 12; i++)
		s += uniform();
	return s - 6.0;
}

/* A small random model saved under tmp_dir; returns its path (static buffer
 * per call site is avoided: the caller passes out). */
static void
make_model(char *out, size_t out_len, const char *name, cwrnn_task task, int n_in, int skip,
           float rate, uint64_t seed)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 4, 3);
	cfg.n_inputs = n_in;
	cfg.n_outputs = 1;
	cfg.skip = skip;
	cfg.task = task;
	cfg.sample_rate = rate;
	snprintf(cfg.name, sizeof cfg.name, "%s", name);
	char msg[256];
	cwrnn_model *m = cwrnn_model_new(&cfg, msg, sizeof msg);
	ck_assert_msg(m != NULL, "model_new: %s", msg);
	rng_state = seed;
	const cwrnn_layout *l = &m->layout;
	const double gain = task == CWRNN_TASK_GENERATE ? 0.3 : 0.9;
	for (int i = 0; i < cfg.n_modules; i++) {
		size_t k = (size_t)cfg.sizes[i], cols = (size_t)(l->n - l->unit_offset[i]);
		for (size_t j = 0; j < k * cols; j++)
			m->params[l->w_h[i] + j] = (float)(gain * gauss() / sqrt((double)cols));
		for (size_t j = 0; j < k * (size_t)n_in; j++)
			m->params[l->w_i[i] + j] = (float)gauss();
		for (size_t j = 0; j < k; j++)
			m->params[l->b[i] + j] = (float)((task == CWRNN_TASK_GENERATE ? 0.02 : 0.5) * gauss());
	}
	if (task == CWRNN_TASK_GENERATE) {
		/* a growing rotation in each module's first two units: tanh turns it
		 * into a limit cycle, so generators keep oscillating */
		for (int i = 0; i < cfg.n_modules; i++) {
			size_t cols = (size_t)(l->n - l->unit_offset[i]);
			float *w = m->params + l->w_h[i];
			double th = 0.35 / (i + 1), r = 1.6;
			w[0] = (float)(r * cos(th));
			w[1] = (float)(-r * sin(th));
			w[cols] = (float)(r * sin(th));
			w[cols + 1] = (float)(r * cos(th));
		}
	}
	for (int j = 0; j < l->n; j++)
		m->params[l->w_o + (size_t)j] = (float)(gauss() / sqrt((double)l->n));
	m->params[l->b_o] = 0.05f;
	snprintf(out, out_len, "%s/%s.cwrnn", tmp_dir, name);
	ck_assert_int_eq(cwrnn_model_save(m, out, msg, sizeof msg), CWRNN_OK);
	cwrnn_model_free(m);
}

static void
make_signal(float *x, size_t n, uint64_t seed)
{
	rng_state = seed;
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(0.4 * sin(0.013 * (double)i) + 0.3 * (uniform() - 0.5));
}

/* The engine's output for a model file on a fresh state. periods: module
 * overrides (NULL: none). */
static void
engine_ref(const char *path, const float *in, float *out, size_t n, const uint32_t *periods)
{
	char msg[256];
	cwrnn_model *m = NULL;
	ck_assert_msg(cwrnn_model_load(path, &m, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	cwrnn_state *s = cwrnn_state_new(m);
	ck_assert_ptr_nonnull(s);
	for (int i = 0; periods && i < m->config.n_modules; i++)
		cwrnn_state_set_period(s, i, periods[i]);
	if (m->config.n_inputs == 0) {
		cwrnn_process(s, NULL, out, n);
	} else {
		ck_assert_int_eq(m->config.n_inputs, 1);
		cwrnn_process(s, in, out, n);
	}
	cwrnn_state_free(s);
	cwrnn_model_free(m);
}

static double
max_diff(const float *a, const float *b, size_t n)
{
	double d = 0;
	for (size_t i = 0; i < n; i++) {
		double e = fabs((double)a[i] - (double)b[i]);
		if (!(e <= d))
			d = e; /* NaN propagates */
	}
	return d;
}

/* Standard deviation: how much a signal moves. */
static double
spread(const float *a, size_t n)
{
	double m = 0, v = 0;
	for (size_t i = 0; i < n; i++)
		m += a[i];
	m /= (double)n;
	for (size_t i = 0; i < n; i++)
		v += (a[i] - m) * (a[i] - m);
	return sqrt(v / (double)n);
}

static double
rms(const float *a, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += (double)a[i] * a[i];
	return sqrt(s / (double)n);
}

/* lilv saves an external file as a link in the state directory */
static void
assert_same_file(const char *a, const char *b)
{
	char ra[4096], rb[4096];
	ck_assert_msg(realpath(a, ra) != NULL, "%s does not exist", a);
	ck_assert_msg(realpath(b, rb) != NULL, "%s does not exist", b);
	ck_assert_str_eq(ra, rb);
}

/* Sends a patch:Set and runs one frame of silence, after which the worker
 * has delivered the new model: the next run plays it from its start. */
static void
load_by_patch(lh_host *h, const char *path)
{
	lh_send_set_path(h, 0, CW_URI_MODEL, path);
	lh_run(h, NULL, NULL, 1);
}

static void
fixture_setup(void)
{
	const char *base = getenv("CW_TEST_TMP");
	if (!base)
		base = "/tmp";
	mkdir(base, 0755);
	snprintf(tmp_dir, sizeof tmp_dir, "%s/cwplugin-XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
	const char *lv2_path = getenv("LV2_PATH");
	ck_assert_msg(lv2_path != NULL, "set LV2_PATH to the build directory");
	snprintf(bundle_default, sizeof bundle_default, "%s/cwrnn.lv2/models/default.cwrnn",
	         lv2_path);
}

static void
fixture_teardown(void)
{
	if (getenv("CW_TEST_KEEP"))
		return;
	char cmd[1100];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp_dir);
}

/* ------------------------------------------------------------- bundle */

START_TEST(test_heap_counter_sees_calls_under_the_guard)
{
	long before = th_heap_violations();
	th_heap_guard(1);
	void *volatile p = malloc(16);
	free(p);
	th_heap_guard(0);
	ck_assert_int_eq(th_heap_violations() - before, 2);
	th_heap_reset();
}
END_TEST

START_TEST(test_bundle_lists_both_plugins_with_the_port_table)
{
	LilvWorld *w = lilv_world_new();
	lilv_world_load_all(w);
	const char *uris[2] = { CW_URI_MONO, CW_URI_STEREO };
	LilvNode *integer = lilv_new_uri(w, LV2_CORE__integer);
	LilvNode *toggled = lilv_new_uri(w, LV2_CORE__toggled);
	LilvNode *enumeration = lilv_new_uri(w, LV2_CORE__enumeration);
	LilvNode *optional = lilv_new_uri(w, LV2_CORE__connectionOptional);
	for (int p = 0; p < 2; p++) {
		LilvNode *u = lilv_new_uri(w, uris[p]);
		const LilvPlugin *pl = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(w), u);
		lilv_node_free(u);
		ck_assert_msg(pl != NULL, "%s not found in LV2_PATH", uris[p]);
		uint32_t n = lilv_plugin_get_num_ports(pl);
		ck_assert_uint_eq(n, p ? CW_N_PORTS : CW_N_PORTS_MONO);
		ck_assert_int_eq(lilv_plugin_has_latency(pl), 1);
		ck_assert_uint_eq(lilv_plugin_get_latency_port_index(pl), CW_PORT_LATENCY);
		float mins[CW_N_PORTS], maxs[CW_N_PORTS], defs[CW_N_PORTS];
		lilv_plugin_get_port_ranges_float(pl, mins, maxs, defs);
		for (uint32_t i = 0; i < n; i++) {
			const LilvPort *port = lilv_plugin_get_port_by_index(pl, i);
			const cw_port_info *info = &cw_ports[i];
			ck_assert_str_eq(lilv_node_as_string(lilv_port_get_symbol(pl, port)),
			                 cw_port_symbol((int)i, p));
			LilvNode *name = lilv_port_get_name(pl, port);
			ck_assert_ptr_nonnull(name);
			lilv_node_free(name);
			if (info->kind == CW_KIND_CONTROL_IN || info->kind == CW_KIND_CONTROL_OUT) {
				ck_assert_float_eq(mins[i], info->min);
				ck_assert_float_eq(defs[i], info->def);
				if (i != CW_PORT_MODEL)
					ck_assert_float_eq(maxs[i], info->max);
			}
			ck_assert_int_eq(lilv_port_has_property(pl, port, integer),
			                 !!(info->props & CW_PROP_INTEGER));
			ck_assert_int_eq(lilv_port_has_property(pl, port, toggled),
			                 !!(info->props & CW_PROP_TOGGLED));
			ck_assert_int_eq(lilv_port_has_property(pl, port, enumeration),
			                 !!(info->props & CW_PROP_ENUM));
			ck_assert_int_eq(lilv_port_has_property(pl, port, optional),
			                 !!(info->props & CW_PROP_OPTIONAL));
		}
		/* the model port lists the bundled default */
		LilvScalePoints *sp =
		    lilv_port_get_scale_points(pl, lilv_plugin_get_port_by_index(pl, CW_PORT_MODEL));
		ck_assert_ptr_nonnull(sp);
		ck_assert_uint_ge(lilv_scale_points_size(sp), 1);
		lilv_scale_points_free(sp);
		ck_assert_float_eq(maxs[CW_PORT_MODEL], (float)(lilv_plugin_get_num_ports(pl) ? maxs[CW_PORT_MODEL] : 0));
	}
	lilv_node_free(integer);
	lilv_node_free(toggled);
	lilv_node_free(enumeration);
	lilv_node_free(optional);
	lilv_world_free(w);
}
END_TEST

/* --------------------------------------------------- engine equivalence */

static const uint32_t plan_1[] = { 1 };
static const uint32_t plan_64[] = { 64 };
static const uint32_t plan_1000[] = { 1000 };
static const uint32_t plan_4096[] = { 4096 };
static const uint32_t plan_vary[] = { 7, 0, 1, 333, 64, 2048, 3, 8192, 511, 0, 90 };
static const struct {
	const uint32_t *sizes;
	int n;
} plans[] = { { plan_1, 1 }, { plan_64, 1 }, { plan_1000, 1 }, { plan_4096, 1 }, { plan_vary, 11 } };

/* Opens a host whose plugin plays path from its first sample: the model is
 * loaded by patch:Set in a first instance, saved as state, and restored into
 * a second one before activation (a synchronous load). */
static lh_host *
open_with_model(const char *uri, double rate, const char *path)
{
	char dir[1200];
	snprintf(dir, sizeof dir, "%s/open-%g", tmp_dir, rate);
	lh_host *a = host_open(uri, rate, LH_ALL);
	load_by_patch(a, path);
	ck_assert_int_eq(lh_save_state(a, dir), 0);
	host_free(a);
	lh_host *h = host_open(uri, rate, LH_ALL | LH_DEFER_ACTIVATE);
	ck_assert_int_eq(lh_restore_state(h, dir), 0);
	ck_assert_msg(h->log_errors == 0, "restore: %s", h->last_error);
	lh_activate(h);
	return h;
}

/* Plans 0..4 at 48 kHz with the bundled default (a 48 kHz model), plans
 * 0..4 again at 44.1 kHz with a 44.1 kHz model. */
START_TEST(test_plugin_plays_like_the_engine_for_every_block_plan)
{
	const int plan = _i % 5;
	const double rate = _i < 5 ? 48000 : 44100;
	char path[1100];
	if (rate == 48000)
		snprintf(path, sizeof path, "%s", bundle_default);
	else
		make_model(path, sizeof path, "plans", CWRNN_TASK_TRANSFORM, 1, 1, 44100, 71);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 1);
	engine_ref(path, x, ref, N_SIG, NULL);
	ck_assert_double_gt(rms(ref, N_SIG), 0.01);
	lh_host *h = rate == 48000 ? host_open(CW_URI_MONO, rate, LH_ALL)
	                           : open_with_model(CW_URI_MONO, rate, path);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, N_SIG, plans[plan].sizes, plans[plan].n);
	ck_assert_msg(max_diff(y, ref, N_SIG) <= 1e-6, "%g Hz, plan %d: max diff %g", rate, plan,
	              max_diff(y, ref, N_SIG));
	ck_assert_float_eq(h->controls[CW_PORT_LATENCY], 0.0f);
	host_free(h);
}
END_TEST

START_TEST(test_plugin_runs_without_any_host_feature)
{
	/* what lv2apply offers: no urid map, no worker, atom ports unconnected */
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 2);
	engine_ref(bundle_default, x, ref, N_SIG, NULL);
	lh_host *h = host_open(CW_URI_MONO, 48000, 0);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, N_SIG, plan_1, 1);
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(h);
}
END_TEST

START_TEST(test_stereo_channels_are_independent_streams)
{
	static float xl[N_SIG], xr[N_SIG], yl[N_SIG], yr[N_SIG], rl[N_SIG], rr[N_SIG];
	make_signal(xl, N_SIG, 3);
	make_signal(xr, N_SIG, 4);
	engine_ref(bundle_default, xl, rl, N_SIG, NULL);
	engine_ref(bundle_default, xr, rr, N_SIG, NULL);
	lh_host *h = host_open(CW_URI_STEREO, 48000, LH_ALL);
	ck_assert_int_eq(h->n_audio_in, 2);
	const float *in[2] = { xl, xr };
	float *out[2] = { yl, yr };
	lh_run_blocks(h, in, out, N_SIG, plan_vary, 11);
	ck_assert_double_le(max_diff(yl, rl, N_SIG), 1e-6);
	ck_assert_double_le(max_diff(yr, rr, N_SIG), 1e-6);
	host_free(h);
}
END_TEST

/* ------------------------------------------------ model loading (worker) */

START_TEST(test_patch_set_swaps_the_model_and_notify_reports_it)
{
	static const double rates[2] = { 44100, 48000 };
	double rate = rates[_i];
	char path[1100];
	make_model(path, sizeof path, "swap", CWRNN_TASK_TRANSFORM, 1, 1, (float)rate, 11);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 5);
	engine_ref(path, x, ref, N_SIG, NULL);

	lh_host *h = host_open(CW_URI_MONO, rate, LH_ALL);
	lh_send_get(h, 0);
	lh_run(h, NULL, NULL, 16);
	ck_assert_int_eq(h->n_notified, 1);
	ck_assert_msg(strstr(h->notified, "default.cwrnn") != NULL, "get answered %s", h->notified);

	load_by_patch(h, path);
	ck_assert_int_eq(h->log_errors, 0);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, N_SIG, plan_vary, 11);
	ck_assert_int_eq(h->n_notified, 2);
	ck_assert_str_eq(h->notified, path);
	/* after the 20 ms crossfade from the default model, exactly the new one */
	size_t fade = (size_t)(0.02 * rate) + 2;
	ck_assert_double_le(max_diff(y + fade, ref + fade, N_SIG - fade), 1e-6);
	ck_assert_double_gt(max_diff(y, ref, fade), 1e-4); /* the fade did happen */

	lh_send_get(h, 3);
	lh_run(h, NULL, NULL, 8);
	ck_assert_int_eq(h->n_notified, 3);
	ck_assert_str_eq(h->notified, path);

	/* a second swap retires the first user model through the worker */
	char path2[1100];
	make_model(path2, sizeof path2, "swap2", CWRNN_TASK_TRANSFORM, 1, 0, (float)rate, 12);
	load_by_patch(h, path2);
	lh_run_blocks(h, in, out, 4096, plan_64, 1);
	ck_assert_str_eq(h->notified, path2);
	host_free(h);
}
END_TEST

START_TEST(test_bad_model_paths_keep_the_old_model_and_log_an_error)
{
	char garbage[1100], truncated[1100], good[1100];
	snprintf(garbage, sizeof garbage, "%s/garbage.cwrnn", tmp_dir);
	FILE *f = fopen(garbage, "wb");
	for (int i = 0; i < 3000; i++)
		fputc((i * 7919) & 0xFF, f);
	fclose(f);
	make_model(good, sizeof good, "trunc", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 13);
	snprintf(truncated, sizeof truncated, "%s/truncated.cwrnn", tmp_dir);
	{
		FILE *in = fopen(good, "rb");
		FILE *out = fopen(truncated, "wb");
		char buf[100];
		size_t n = fread(buf, 1, sizeof buf, in);
		fwrite(buf, 1, n, out);
		fclose(in);
		fclose(out);
	}
	const char *bad[] = { "/nonexistent/model.cwrnn", tmp_dir, garbage, truncated };

	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 6);
	engine_ref(bundle_default, x, ref, N_SIG, NULL);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	size_t at = 0;
	for (int b = 0; b < 4; b++) {
		lh_send_set_path(h, 0, CW_URI_MODEL, bad[b]);
		const float *in[1] = { x + at };
		float *out[1] = { y + at };
		lh_run_blocks(h, in, out, 1000, plan_64, 1);
		at += 1000;
		ck_assert_msg(h->log_errors == b + 1, "no error logged for %s", bad[b]);
		ck_assert_msg(strstr(h->last_error, bad[b]) != NULL, "log does not name the file: %s",
		              h->last_error);
	}
	const float *in[1] = { x + at };
	float *out[1] = { y + at };
	lh_send_get(h, 0);
	lh_run_blocks(h, in, out, N_SIG - at, plan_1000, 1);
	ck_assert_msg(strstr(h->notified, "default.cwrnn") != NULL, "now playing %s", h->notified);
	/* the default model never stopped */
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(h);
}
END_TEST

/* ---------------------------------------------------------------- state */

START_TEST(test_state_save_and_restore_keep_the_model_path)
{
	char path[1100], dir[1100];
	make_model(path, sizeof path, "saved", CWRNN_TASK_TRANSFORM, 1, 1, 44100, 21);
	snprintf(dir, sizeof dir, "%s/state", tmp_dir);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 7);
	engine_ref(path, x, ref, N_SIG, NULL);

	lh_host *a = host_open(CW_URI_MONO, 44100, LH_ALL);
	load_by_patch(a, path);
	lh_run(a, NULL, NULL, 256);
	ck_assert_int_eq(lh_save_state(a, dir), 0);
	ck_assert_msg(access(path, R_OK) == 0, "saving the state removed %s", path);
	host_free(a);

	/* restored before activation: loaded at once, plays from sample 0 */
	lh_host *b = host_open(CW_URI_MONO, 44100, LH_ALL | LH_DEFER_ACTIVATE);
	ck_assert_int_eq(lh_restore_state(b, dir), 0);
	ck_assert_msg(b->log_errors == 0, "restore logged: %s", b->last_error);
	lh_activate(b);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(b, in, out, N_SIG, plan_vary, 11);
	assert_same_file(b->notified, path);
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(b);

	/* restored while running: through the worker, then a crossfade */
	lh_host *c = host_open(CW_URI_MONO, 44100, LH_ALL);
	lh_run(c, NULL, NULL, 64);
	ck_assert_int_eq(lh_restore_state(c, dir), 0);
	ck_assert_int_eq(c->n_requests, 1);
	lh_run(c, NULL, NULL, 1); /* the worker loads it after this run */
	lh_run_blocks(c, in, out, N_SIG, plan_1000, 1);
	assert_same_file(c->notified, path);
	size_t fade = (size_t)(0.02 * 44100) + 2;
	ck_assert_double_le(max_diff(y + fade, ref + fade, N_SIG - fade), 1e-6);
	host_free(c);
}
END_TEST

START_TEST(test_restore_of_a_missing_file_logs_and_keeps_playing)
{
	char path[1100], dir[1100];
	make_model(path, sizeof path, "vanishing", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 22);
	snprintf(dir, sizeof dir, "%s/state2", tmp_dir);
	lh_host *a = host_open(CW_URI_MONO, 48000, LH_ALL);
	load_by_patch(a, path);
	ck_assert_int_eq(lh_save_state(a, dir), 0);
	host_free(a);
	ck_assert_msg(unlink(path) == 0, "cannot remove %s", path);

	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 8);
	engine_ref(bundle_default, x, ref, N_SIG, NULL);
	lh_host *b = host_open(CW_URI_MONO, 48000, LH_ALL | LH_DEFER_ACTIVATE);
	lh_restore_state(b, dir);
	ck_assert_int_eq(b->log_errors, 1);
	ck_assert_msg(strstr(b->last_error, "vanishing") != NULL, "log: %s", b->last_error);
	lh_activate(b);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(b, in, out, N_SIG, plan_64, 1);
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(b);
}
END_TEST

/* ------------------------------------------------------- bundled models */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bundled models in the model port's order: default first, then by name. */
static int
bundled_models(char names[][1200], int max)
{
	char dir[1100];
	snprintf(dir, sizeof dir, "%s/cwrnn.lv2/models", getenv("LV2_PATH"));
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	char *list[64];
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) && n < 64;) {
		size_t len = strlen(e->d_name);
		if (len > 6 && !strcmp(e->d_name + len - 6, ".cwrnn") && strcmp(e->d_name, "default.cwrnn"))
			list[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(list, (size_t)n, sizeof *list, cmp_str);
	int k = 0;
	snprintf(names[k++], 1200, "%s/default.cwrnn", dir);
	for (int i = 0; i < n; i++) {
		if (k < max)
			snprintf(names[k++], 1200, "%s/%s", dir, list[i]);
		free(list[i]);
	}
	return k;
}

START_TEST(test_model_port_selects_each_bundled_model)
{
	static char names[16][1200];
	int n = bundled_models(names, 16);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 16);
	lh_host *h = host_open(CW_URI_MONO, 48000, 0); /* no worker needed: all preloaded */
	h->controls[CW_PORT_MODEL] = 40.0f; /* out of range: the last model */
	for (int m = n - 1; m >= 0; m--) {
		char msg[256];
		cwrnn_model *model = NULL;
		ck_assert(cwrnn_model_load(names[m], &model, msg, sizeof msg) == CWRNN_OK);
		int generator = model->config.n_inputs == 0;
		int own_rate = model->config.sample_rate == 48000.0f;
		cwrnn_model_free(model);
		engine_ref(names[m], generator ? NULL : x, ref, N_SIG, NULL);
		const float *in[1] = { x };
		float *out[1] = { y };
		lh_run_blocks(h, in, out, N_SIG, plan_64, 1);
		/* the selected model starts from its initial state at the switch
		 * (or at the start for the last one) and plays alone after 20 ms;
		 * a model at another rate is resampled (not comparable sample by
		 * sample: presets/check_presets.c checks what the bundled ones play) */
		size_t fade = n == 1 ? 0 : 962;
		if (own_rate)
			ck_assert_msg(max_diff(y + fade, ref + fade, N_SIG - fade) <= 1e-6,
			              "model %d (%s): max diff %g", m, names[m],
			              max_diff(y + fade, ref + fade, N_SIG - fade));
		else
			ck_assert_msg(spread(y + fade, N_SIG - fade) > 1e-3, "model %d (%s) is silent",
			              m, names[m]);
		h->controls[CW_PORT_MODEL] = (float)(m - 1);
	}
	host_free(h);
}
END_TEST

/* Every way a user model can be replaced while models cross-fade: each
 * retired model is freed exactly once (a double free aborts the test, or
 * shows under SANITIZE=1) and the last choice plays. */
START_TEST(test_models_replaced_during_crossfades_are_freed_once)
{
	static char names[16][1200];
	int n = bundled_models(names, 16);
	char u[1100], v[1100], w[1100];
	make_model(u, sizeof u, "u", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 51);
	make_model(v, sizeof v, "v", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 52);
	make_model(w, sizeof w, "w", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 53);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 17);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	const float *in[1] = { x };
	float *out[1] = { y };
	load_by_patch(h, u);
	lh_run(h, in, out, 100);  /* u fading in */
	load_by_patch(h, v);      /* u replaced while fading in */
	lh_run(h, in, out, 2000); /* v alone */
	if (n > 1) {
		h->controls[CW_PORT_MODEL] = 1.0f; /* v fades out, still the user model */
		lh_run(h, in, out, 100);
		load_by_patch(h, w);           /* v replaced while fading out */
		lh_run(h, in, out, 100);
		h->controls[CW_PORT_MODEL] = 0.0f; /* w fades out, then back */
		lh_run(h, in, out, 100);
		h->controls[CW_PORT_MODEL] = 1.0f;
		lh_run(h, in, out, 2000);
	}
	load_by_patch(h, w);
	lh_run(h, in, out, 2000);
	engine_ref(w, x, ref, N_SIG, NULL);
	lh_run_blocks(h, in, out, N_SIG, plan_64, 1);
	ck_assert_double_le(max_diff(y + 1000, ref + 1000, N_SIG - 1000), 1e-6);
	host_free(h);
}
END_TEST

/* Every preset in the bundle restores without an error (while running, so
 * through the worker) and plays finite, non-silent audio. */
START_TEST(test_every_bundled_preset_restores_and_plays)
{
	static float x[N_SIG], y[N_SIG];
	make_signal(x, N_SIG, 20);
	const char *uris[2] = { CW_URI_MONO, CW_URI_STEREO };
	int n_presets = 0;
	for (int p = 0; p < 2; p++) {
		lh_host *h = host_open(uris[p], 48000, LH_ALL);
		LilvNode *preset_class = lilv_new_uri(h->world, "http://lv2plug.in/ns/ext/presets#Preset");
		LilvNodes *presets = lilv_plugin_get_related(h->plugin, preset_class);
		lilv_node_free(preset_class);
		LILV_FOREACH (nodes, i, presets) {
			const char *uri = lilv_node_as_uri(lilv_nodes_get(presets, i));
			ck_assert_msg(lh_apply_preset(h, uri) == 0, "preset %s not found", uri);
			const float *in[2] = { x, x };
			float *out[2] = { y, y };
			lh_run_blocks(h, in, out, N_SIG, plan_1000, 1);
			ck_assert_msg(h->log_errors == 0, "preset %s: %s", uri, h->last_error);
			for (int k = 0; k < N_SIG; k++)
				ck_assert(isfinite(y[k]));
			ck_assert_msg(rms(y + N_SIG / 2, N_SIG / 2) > 1e-4, "preset %s is silent", uri);
			n_presets++;
		}
		lilv_nodes_free(presets);
		host_free(h);
	}
	fprintf(stderr, "check_plugin: %d bundled presets restored\n", n_presets);
}
END_TEST

/* Atom ports but no worker: a patch:Set cannot be honoured, and is ignored;
 * MIDI notes do not touch a transform model. */
START_TEST(test_without_a_worker_patch_set_is_ignored)
{
	char path[1100];
	make_model(path, sizeof path, "nowork", CWRNN_TASK_TRANSFORM, 1, 1, 48000, 61);
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 18);
	engine_ref(bundle_default, x, ref, N_SIG, NULL);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_WITH_ATOMS | LH_WITH_LOG);
	lh_send_set_path(h, 0, CW_URI_MODEL, path);
	lh_send_midi(h, 5, (const uint8_t[]){ 0x90, 72, 100 }, 3);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run(h, in, out, 512);
	in[0] = x + 512;
	out[0] = y + 512;
	lh_send_get(h, 0);
	lh_run_blocks(h, in, out, N_SIG - 512, plan_1000, 1);
	ck_assert_msg(strstr(h->notified, "default.cwrnn") != NULL, "playing %s", h->notified);
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(h);
}
END_TEST

START_TEST(test_unusual_session_rates_play_finite_audio)
{
	static const double rates[] = { 8000, 22050, 192000, 384000 };
	static float x[N_SIG], y[N_SIG];
	make_signal(x, N_SIG, 19);
	lh_host *h = host_open(CW_URI_STEREO, rates[_i], LH_ALL);
	const float *in[2] = { x, x };
	float *out[2] = { y, y };
	lh_run_blocks(h, in, out, N_SIG, plan_vary, 11);
	for (int i = 0; i < N_SIG; i++)
		ck_assert(isfinite(y[i]));
	ck_assert_double_gt(rms(y + N_SIG / 2, N_SIG / 2), 0.01);
	ck_assert_float_ge(h->controls[CW_PORT_LATENCY], 1.0f);
	host_free(h);
}
END_TEST

/* ------------------------------------------------------------- controls */

START_TEST(test_bypass_crossfades_to_the_dry_signal)
{
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 9);
	engine_ref(bundle_default, x, ref, N_SIG, NULL);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, 2000, plan_64, 1);
	h->controls[CW_PORT_ENABLED] = 0.0f;
	in[0] = x + 2000;
	out[0] = y + 2000;
	lh_run_blocks(h, in, out, N_SIG - 2000, plan_64, 1);
	ck_assert_double_le(max_diff(y, ref, 2000), 1e-6);
	size_t ramp = 480 + 2; /* 10 ms */
	ck_assert_double_eq(max_diff(y + 2000 + ramp, x + 2000 + ramp, N_SIG - 2000 - ramp), 0.0);
	/* during the ramp: a linear crossfade from wet to dry */
	for (size_t j = 0; j + 2 < ramp; j++) {
		double en = 1.0 - (double)(j + 1) / 480.0;
		double want = en * ref[2000 + j] + (1.0 - en) * x[2000 + j];
		ck_assert_msg(fabs(y[2000 + j] - want) <= 1e-4, "ramp sample %zu: %g vs %g", j,
		              y[2000 + j], want);
	}
	host_free(h);
}
END_TEST

START_TEST(test_gain_and_dry_wet_scale_the_wet_signal)
{
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 10);
	engine_ref(bundle_default, x, ref, N_SIG, NULL);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	h->controls[CW_PORT_OUT_GAIN] = -6.0f;  /* set before the first run: no ramp */
	h->controls[CW_PORT_DRY_WET] = 75.0f;
	h->controls[CW_PORT_IN_GAIN] = 500.0f;  /* clamped to +24 dB */
	h->controls[CW_PORT_IN_GAIN] = 0.0f;
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, 4000, plan_1000, 1);
	double g = pow(10.0, -6.0 / 20.0);
	for (size_t i = 0; i < 4000; i++)
		ck_assert_double_le(fabs(y[i] - (0.25 * x[i] + 0.75 * g * ref[i])), 1e-5);

	/* a change is smoothed: no jump to the new gain at once */
	h->controls[CW_PORT_OUT_GAIN] = -40.0f;
	h->controls[CW_PORT_DRY_WET] = 100.0f;
	in[0] = x + 4000;
	out[0] = y + 4000;
	lh_run_blocks(h, in, out, N_SIG - 4000, plan_64, 1);
	double old_mix = 0.25 * x[4000] + 0.75 * g * ref[4000], new_mix = 0.01 * ref[4000];
	double first = fabs(y[4000] - old_mix), settled = 0;
	ck_assert_double_lt(first, 0.1 * fabs(new_mix - old_mix) + 1e-4);
	for (size_t i = N_SIG - 2000; i < N_SIG; i++)
		settled = fmax(settled, fabs(y[i] - 0.01 * ref[i]));
	ck_assert_double_le(settled, 1e-5);

	/* out-of-range and NaN controls are clamped */
	h->controls[CW_PORT_OUT_GAIN] = NAN;
	h->controls[CW_PORT_IN_GAIN] = 1e9f;
	h->controls[CW_PORT_STRETCH] = -3.0f;
	lh_run_blocks(h, in, out, 2000, plan_64, 1);
	for (size_t i = 0; i < 2000; i++)
		ck_assert(isfinite(out[0][i]));
	host_free(h);
}
END_TEST

START_TEST(test_period_ports_and_stretch_override_the_model_periods)
{
	static float x[N_SIG], y[N_SIG], ref[N_SIG];
	make_signal(x, N_SIG, 11);
	/* default model: 6 modules, periods 1..32 */
	uint32_t periods[6] = { 0, 3, 0, 0, 100, 0 };
	engine_ref(bundle_default, x, ref, N_SIG, periods);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	h->controls[CW_PORT_PERIOD_2] = 3.2f; /* integer port: rounds to 3 */
	h->controls[CW_PORT_PERIOD_5] = 100.0f;
	h->controls[CW_PORT_PERIOD_8] = 7.0f; /* no module 8: ignored */
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, N_SIG, plan_vary, 11);
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(h);

	/* stretch 2: every period doubled, overrides included */
	uint32_t doubled[6] = { 2, 6, 8, 16, 200, 64 };
	engine_ref(bundle_default, x, ref, N_SIG, doubled);
	h = host_open(CW_URI_MONO, 48000, LH_ALL);
	h->controls[CW_PORT_PERIOD_2] = 3.0f;
	h->controls[CW_PORT_PERIOD_5] = 100.0f;
	h->controls[CW_PORT_STRETCH] = 2.0f;
	lh_run_blocks(h, in, out, N_SIG, plan_1000, 1);
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
	host_free(h);
}
END_TEST

START_TEST(test_nonfinite_input_never_reaches_the_output)
{
	static float x[N_SIG], y[N_SIG];
	make_signal(x, N_SIG, 12);
	x[100] = NAN;
	x[2000] = INFINITY;
	x[2001] = -INFINITY;
	for (int i = 3000; i < 3100; i++)
		x[i] = 1e-40f; /* denormals */
	lh_host *h = host_open(CW_URI_STEREO, 48000, LH_ALL);
	h->controls[CW_PORT_DRY_WET] = 50.0f;
	const float *in[2] = { x, x };
	float *out[2] = { y, y };
	lh_run_blocks(h, in, out, N_SIG, plan_vary, 11);
	for (int i = 0; i < N_SIG; i++)
		ck_assert_msg(isfinite(y[i]), "y[%d] = %g", i, y[i]);
	lh_run(h, in, out, 0);
	host_free(h);
}
END_TEST

/* ------------------------------------------------------------ generators */

START_TEST(test_generator_free_runs_and_notes_restart_and_release)
{
	char path[1100];
	make_model(path, sizeof path, "gen", CWRNN_TASK_GENERATE, 0, 0, 44100, 31);
	static float y[N_SIG], ref[N_SIG];
	engine_ref(path, NULL, ref, N_SIG, NULL);
	ck_assert_double_gt(spread(ref + N_SIG / 2, N_SIG / 2), 0.01);

	lh_host *h = host_open(CW_URI_MONO, 44100, LH_ALL);
	h->controls[CW_PORT_DRY_WET] = 100.0f;
	load_by_patch(h, path);
	/* free-running: after the crossfade, the engine's output, input ignored */
	static float x[N_SIG];
	make_signal(x, N_SIG, 13);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, 4000, plan_64, 1);
	ck_assert_double_le(max_diff(y + 1000, ref + 1000, 3000), 1e-6);

	/* note on at the root, velocity 127, while it sounds: it fades out over
	 * 2 ms, restarts from the initial state at zero and fades in over 2 ms */
	lh_send_midi(h, 10, (const uint8_t[]){ 0x90, 60, 127 }, 3);
	lh_run(h, NULL, out, 10 + 4000);
	size_t attack = 89; /* 2 ms */
	size_t start = 0;
	for (size_t o = 10; o <= 10 + 2 * attack && !start; o++)
		if (max_diff(y + o + attack, ref + attack, 3000) <= 1e-6)
			start = o;
	ck_assert_msg(start > 10 && start <= 10 + attack + 1, "restart at %zu", start);
	ck_assert_float_eq(y[start], 0.0f); /* restarted at zero level */
	for (size_t i = 11; i < start; i++) /* fading out: no jump */
		ck_assert_double_le(fabs(y[i]), fabs(y[9]) + 2 * spread(ref, N_SIG));
	ck_assert_double_le(fabs(y[start - 1]), 0.05 * (fabs(y[9]) + spread(ref, N_SIG)));

	/* note off: a 30 ms release, then silence */
	lh_send_midi(h, 0, (const uint8_t[]){ 0x80, 60, 0 }, 3);
	lh_run(h, NULL, out, 3000);
	ck_assert_double_eq(rms(y + 1400, 1600), 0.0);
	ck_assert_double_gt(rms(y, 100), 1e-4);

	/* the trigger control restarts it too */
	h->controls[CW_PORT_TRIGGER] = 1.0f;
	lh_run(h, NULL, out, 4000);
	ck_assert_double_le(max_diff(y + attack, ref + attack, 4000 - attack), 1e-6);
	host_free(h);
}
END_TEST

START_TEST(test_a_note_an_octave_up_steps_the_network_twice_per_sample)
{
	char path[1100];
	make_model(path, sizeof path, "gen8", CWRNN_TASK_GENERATE, 0, 0, 44100, 32);
	static float y[N_SIG], ref[2 * N_SIG + 2];
	engine_ref(path, NULL, ref, 2 * N_SIG + 2, NULL);
	ck_assert_double_gt(spread(ref + N_SIG, N_SIG), 0.01); /* it keeps moving */
	lh_host *h = host_open(CW_URI_MONO, 44100, LH_ALL);
	load_by_patch(h, path);
	/* all notes off: released, silent */
	lh_send_midi(h, 0, (const uint8_t[]){ 0xB0, 123, 0 }, 3);
	lh_run(h, NULL, NULL, 2000);
	h->controls[CW_PORT_ROOT] = 48.0f;
	/* from silence: restarts at once */
	lh_send_midi(h, 0, (const uint8_t[]){ 0x90, 60, 127 }, 3);
	float *out[1] = { y };
	lh_run_blocks(h, NULL, out, N_SIG, plan_64, 1);
	/* host sample n has run steps 0 .. 2n + 1 and plays the step stream,
	 * low-passed at the host's Nyquist, 1 + d_out steps before the newest */
	static cw_rs_kernel kernel;
	static cw_rs_stream ys;
	cw_rs_kernel_init(&kernel);
	cw_rs_clear(&ys);
	cw_drive d;
	cw_drive_set_rate(&d, &kernel, 2.0);
	double worst = 0;
	for (size_t n = 0; n < N_SIG; n++) {
		cw_rs_push(&ys, ref[2 * n]);
		cw_rs_push(&ys, ref[2 * n + 1]);
		if (n >= 100) /* after the attack */
			worst = fmax(worst, fabs(y[n] - cw_rs_read(&ys, &kernel, 1.0 + d.d_out, d.c_out)));
	}
	ck_assert_msg(worst <= 1e-5, "max error %g", worst);
	host_free(h);
}
END_TEST

START_TEST(test_continue_model_runs_on_its_own_output)
{
	char path[1100];
	make_model(path, sizeof path, "cont", CWRNN_TASK_CONTINUE, 1, 0, 48000, 33);
	/* reference: x(t) = y(t - 1), x(0) = 0 */
	static float y[N_SIG], ref[N_SIG];
	char msg[256];
	cwrnn_model *m = NULL;
	ck_assert(cwrnn_model_load(path, &m, msg, sizeof msg) == CWRNN_OK);
	cwrnn_state *s = cwrnn_state_new(m);
	float xin = 0.0f;
	for (int t = 0; t < N_SIG; t++) {
		cwrnn_step(s, &xin, &ref[t]);
		xin = ref[t];
	}
	cwrnn_state_free(s);
	cwrnn_model_free(m);

	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	load_by_patch(h, path);
	static float x[N_SIG];
	make_signal(x, N_SIG, 14);
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, N_SIG, plan_vary, 11);
	ck_assert_double_le(max_diff(y + 1000, ref + 1000, N_SIG - 1000), 1e-6);

	/* input mix and noise change what it plays */
	h->controls[CW_PORT_INPUT_MIX] = 50.0f;
	h->controls[CW_PORT_NOISE] = 0.05f;
	h->controls[CW_PORT_TRIGGER] = 1.0f;
	lh_run_blocks(h, in, out, N_SIG, plan_1000, 1);
	ck_assert_double_gt(max_diff(y + 1000, ref + 1000, N_SIG - 1000), 1e-3);
	host_free(h);
}
END_TEST

/* ---------------------------------------------------------- sample rates */

/* Amplitude and phase of the component at f cycles/sample of x[0..n), by a
 * Hann-windowed projection. */
static void
sine_fit(const float *x, size_t n, double f, double *amp, double *phase)
{
	double c = 0, s = 0, wsum = 0;
	for (size_t i = 0; i < n; i++) {
		double w = 0.5 - 0.5 * cos(2 * M_PI * (double)i / (double)n);
		c += w * x[i] * cos(2 * M_PI * f * (double)i);
		s += w * x[i] * sin(2 * M_PI * f * (double)i);
		wsum += w;
	}
	*amp = 2 * hypot(c, s) / wsum;
	*phase = atan2(-s, c); /* x ~ amp cos(2 pi f i + phase) */
}

static double
wrap(double a)
{
	return a - 2 * M_PI * floor((a + M_PI) / (2 * M_PI));
}

/* A 44.1 kHz transform model at other session rates. A CW-RNN is not time
 * invariant (its modules tick on a fixed clock), so the reference is the
 * engine at 44.1 kHz fed what the network should see: the host's tone at the
 * host time of each step, step k at host sample (k + 1) / inc - 1 - d_in.
 * The host must then play each tone with the reference's level (within
 * 0.1 dB) and the phase of reading the step stream at (n + 1) inc - 2 - d_out
 * (within 0.02 rad); the latency port reports d_in + (1 + d_out) / inc. At
 * 44.1 kHz the output is the engine's, bit for bit. */
START_TEST(test_a_model_keeps_its_own_rate_at_other_session_rates)
{
	static const double rates[4] = { 44100, 48000, 88200, 96000 };
	static const double tones[4] = { 440, 3000, 9000, 15000 };
	const double rate = rates[_i], model_rate = 44100, inc = model_rate / rate;
	char path[1100];
	make_model(path, sizeof path, "rate", CWRNN_TASK_TRANSFORM, 1, 1, (float)model_rate, 41);
	static cw_rs_kernel kernel;
	cw_rs_kernel_init(&kernel);
	cw_drive d;
	cw_drive_set_rate(&d, &kernel, inc);

	enum { N = 16384, SKIP = 2048 };
	static float xn[N], yn[N], xh[2 * N + 4096], yh[2 * N + 4096];
	const size_t nh = (size_t)((double)(N - 64) / inc);
	for (int t = 0; t < 4; t++) {
		const double f = tones[t];
		for (size_t i = 0; i < nh; i++)
			xh[i] = (float)(0.3 * sin(2 * M_PI * f * (double)i / rate));
		for (size_t k = 0; k < N; k++) {
			double at = inc == 1.0 ? (double)k : ((double)k + 1) / inc - 1 - d.d_in;
			xn[k] = at < 0 ? 0.0f : (float)(0.3 * sin(2 * M_PI * f * at / rate));
		}
		engine_ref(path, xn, yn, N, NULL);

		lh_host *h = host_open(CW_URI_MONO, rate, LH_ALL);
		load_by_patch(h, path); /* plays from its initial state from xh[0] on */
		const float *in[1] = { xh };
		float *out[1] = { yh };
		lh_run_blocks(h, in, out, nh, plan_vary, 11);
		ck_assert_float_eq(h->controls[CW_PORT_LATENCY], (float)rint(cw_drive_latency(&d)));
		host_free(h);

		if (inc == 1.0) {
			ck_assert_double_le(max_diff(yh + 1000, yn + 1000, nh - 1000), 1e-6);
			continue;
		}
		size_t n0 = (size_t)((double)SKIP / inc);
		double an, pn, ah, ph;
		sine_fit(yn + SKIP, N - 64 - SKIP, f / model_rate, &an, &pn);
		sine_fit(yh + n0, nh - n0, f / rate, &ah, &ph);
		double db = 20 * log10(ah / an);
		double want = pn + 2 * M_PI * f * (((double)n0 + 1) / rate - (2 + d.d_out + SKIP) / model_rate);
		ck_assert_msg(fabs(db) < 0.1, "%g Hz tone at %g Hz: level %+.3f dB", f, rate, db);
		ck_assert_msg(fabs(wrap(ph - want)) < 0.02, "%g Hz tone at %g Hz: phase off by %g rad",
		              f, rate, wrap(ph - want));
	}
}
END_TEST

/* ----------------------------------------------------------------- main */

static Suite *
plugin_suite(void)
{
	Suite *s = suite_create("plugin");
	TCase *tc = tcase_create("bundle");
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	if (th_heap_hooked())
		tcase_add_test(tc, test_heap_counter_sees_calls_under_the_guard);
	else
		fprintf(stderr, "check_plugin: sanitizer build, heap calls in run() not counted\n");
	tcase_add_test(tc, test_bundle_lists_both_plugins_with_the_port_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("engine equivalence");
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	tcase_add_loop_test(tc, test_plugin_plays_like_the_engine_for_every_block_plan, 0, 10);
	tcase_add_test(tc, test_plugin_runs_without_any_host_feature);
	tcase_add_test(tc, test_stereo_channels_are_independent_streams);
	suite_add_tcase(s, tc);

	tc = tcase_create("model loading");
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	tcase_add_loop_test(tc, test_patch_set_swaps_the_model_and_notify_reports_it, 0, 2);
	tcase_add_test(tc, test_bad_model_paths_keep_the_old_model_and_log_an_error);

	tcase_add_test(tc, test_model_port_selects_each_bundled_model);
	tcase_add_test(tc, test_models_replaced_during_crossfades_are_freed_once);
	tcase_add_test(tc, test_without_a_worker_patch_set_is_ignored);
	suite_add_tcase(s, tc);

	tc = tcase_create("state");
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	tcase_add_test(tc, test_state_save_and_restore_keep_the_model_path);
	tcase_add_test(tc, test_restore_of_a_missing_file_logs_and_keeps_playing);
	tcase_add_test(tc, test_every_bundled_preset_restores_and_plays);
	suite_add_tcase(s, tc);

	tc = tcase_create("controls");
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	tcase_add_test(tc, test_bypass_crossfades_to_the_dry_signal);
	tcase_add_test(tc, test_gain_and_dry_wet_scale_the_wet_signal);
	tcase_add_test(tc, test_period_ports_and_stretch_override_the_model_periods);
	tcase_add_test(tc, test_nonfinite_input_never_reaches_the_output);
	suite_add_tcase(s, tc);

	tc = tcase_create("generators");
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	tcase_add_test(tc, test_generator_free_runs_and_notes_restart_and_release);
	tcase_add_test(tc, test_a_note_an_octave_up_steps_the_network_twice_per_sample);
	tcase_add_test(tc, test_continue_model_runs_on_its_own_output);
	suite_add_tcase(s, tc);

	tc = tcase_create("sample rates");
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	tcase_add_loop_test(tc, test_a_model_keeps_its_own_rate_at_other_session_rates, 0, 4);
	tcase_add_loop_test(tc, test_unusual_session_rates_play_finite_audio, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(plugin_suite());
	srunner_add_suite(sr, resample_suite());
	srunner_add_suite(sr, abuse_suite());
	srunner_add_suite(sr, hosts_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
