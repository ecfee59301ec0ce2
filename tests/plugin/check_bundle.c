/*
 * The bundle as hosts see it (both plugins, the port table) and the plugin
 * playing exactly what the engine plays, whatever the block sizes, the
 * channels, and with no host feature at all.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "cwrnn.h"
#include "fixture.h"
#include "heap.h"
#include "ports.h"
#include "suites.h"
#include "uris.h"

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
		ck_assert_uint_eq(n, p ? CW_N_PORTS_STEREO : CW_N_PORTS_MONO);
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
	play_mono(h, x, y, N_SIG, plans[plan].sizes, plans[plan].n);
	ck_assert_msg(max_diff(y, ref, N_SIG) <= 1e-6, "%g Hz, plan %d: max diff %g", rate, plan,
	              max_diff(y, ref, N_SIG));
	ck_assert_float_eq(h->controls[CW_PORT_LATENCY], 0.0f);
	host_free(h);
}
END_TEST

START_TEST(test_plugin_runs_without_any_host_feature)
{
	/* what lv2apply offers: no urid map, no worker, atom ports unconnected */
	static float x[N_SIG], ref[N_SIG];
	default_signal(x, ref, 2);
	lh_host *h = host_open(CW_URI_MONO, 48000, 0);
	assert_plays(h, x, ref, plan_1, 1);
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

void
bundle_tcases(Suite *s)
{
	TCase *tc = fixture_tcase("bundle");
	if (th_heap_hooked())
		tcase_add_test(tc, test_heap_counter_sees_calls_under_the_guard);
	else
		fprintf(stderr, "check_plugin: sanitizer build, heap calls in run() not counted\n");
	suite_add_tests(s, tc, TESTS(test_bundle_lists_both_plugins_with_the_port_table));
	tc = suite_add_tests(s, fixture_tcase("engine equivalence"),
	                     TESTS(test_plugin_runs_without_any_host_feature,
	                           test_stereo_channels_are_independent_streams));
	tcase_add_loop_test(tc, test_plugin_plays_like_the_engine_for_every_block_plan, 0, 10);
}
