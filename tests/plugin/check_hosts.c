/*
 * What real hosts do beyond lilv's own calls (HOSTS.md): Carla and REAPER
 * restore a string state value without its terminating NUL; every host
 * applies a preset (a state without a model path) while a model file may be
 * playing; Carla and Ardour file a plugin under the menu of its lv2 class
 * and show its maker and licence. Needs LV2_PATH like check_plugin.c.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/state/state.h>

#include "check_cases.h"
#include "host.h"
#include "plugin.h" /* CW_MAX_PATH */
#include "suites.h"
#include "uris.h"

#define N_SIG 8000
#define RATE 48000.0
#define FADE_SAMPLES ((size_t)(0.02 * RATE) + 2)
#define WARM_OVERDRIVE CW_URI "/presets/warm-overdrive"
#define USER_MODEL "fuzz.cwrnn" /* a bundled model file, loaded as a user file */

static char models_dir[1100];
static char user_model[1200];
static char default_model[1200];
static float x[N_SIG];

static void
setup(void)
{
	const char *lv2_path = getenv("LV2_PATH");
	ck_assert_msg(lv2_path != NULL, "set LV2_PATH to the build directory");
	snprintf(models_dir, sizeof models_dir, "%s/cwrnn.lv2/models", lv2_path);
	snprintf(user_model, sizeof user_model, "%s/%s", models_dir, USER_MODEL);
	snprintf(default_model, sizeof default_model, "%s/default.cwrnn", models_dir);
	uint32_t r = 12345;
	for (size_t i = 0; i < N_SIG; i++) {
		r = r * 1664525u + 1013904223u;
		x[i] = 0.5f * ((float)(r >> 8) / 16777216.0f - 0.5f) + 0.3f * (float)((i / 50) % 2);
	}
}

static void
assert_same_file(const char *a, const char *b)
{
	char ra[4096], rb[4096];
	ck_assert_msg(realpath(a, ra) != NULL, "'%s' does not exist", a);
	ck_assert_msg(realpath(b, rb) != NULL, "'%s' does not exist", b);
	ck_assert_str_eq(ra, rb);
}

static void
assert_same_audio(const float *a, const float *b, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(a[i] == b[i], "%s: sample %zu differs (%g, %g)", what, i, (double)a[i],
		              (double)b[i]);
}

/* ------------------------------------------------ a host's state restore */

/* One saved value of the model path, handed back the way the host under
 * test does; type is a URI (mapped through the host at restore). */
typedef struct {
	const char *value;
	size_t size;
	const char *type;
	LV2_URID key_urid, type_urid; /* set by host_restore */
} saved_value;

static const void *
retrieve(LV2_State_Handle handle, uint32_t key, size_t *size, uint32_t *type, uint32_t *flags)
{
	const saved_value *v = handle;
	if (key != v->key_urid)
		return NULL;
	*size = v->size;
	*type = v->type_urid;
	*flags = LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE;
	return v->value;
}

/* state:mapPath as a host offers it: abstract paths are relative to the
 * bundle's model folder (Carla's are relative to its project folder). */
static char *
absolute_path(LV2_State_Map_Path_Handle handle, const char *abstract)
{
	(void)handle;
	char *p = malloc(strlen(models_dir) + strlen(abstract) + 2);
	ck_assert_ptr_nonnull(p);
	if (abstract[0] == '/')
		strcpy(p, abstract);
	else
		sprintf(p, "%s/%s", models_dir, abstract);
	return p;
}

static char *
abstract_path(LV2_State_Map_Path_Handle handle, const char *absolute)
{
	(void)handle;
	return strdup(absolute);
}

/* Calls the plugin's LV2_State_Interface restore with the host's features
 * and state:mapPath, as Carla does when it reloads a project. */
static LV2_State_Status
host_restore(lh_host *h, saved_value v)
{
	v.key_urid = lh_map(h, CW_URI_MODEL);
	v.type_urid = lh_map(h, v.type);
	const LV2_State_Interface *iface =
	    lilv_instance_get_extension_data(h->instance, LV2_STATE__interface);
	ck_assert_ptr_nonnull(iface);
	LV2_State_Map_Path map_path = { NULL, abstract_path, absolute_path };
	LV2_Feature f_map_path = { LV2_STATE__mapPath, &map_path };
	const LV2_Feature *features[8];
	int n = 0;
	for (; h->features[n]; n++)
		features[n] = h->features[n];
	features[n++] = &f_map_path;
	features[n] = NULL;
	return iface->restore(lilv_instance_get_handle(h->instance), retrieve,
	                      (LV2_State_Handle)&v, 0, features);
}

/* A path value in a buffer with no NUL after it (with_nul: one NUL counted
 * in the size, as lilv does; without: strlen, as Carla and REAPER do). */
static saved_value
path_value(char *buf, size_t cap, const char *path, int with_nul)
{
	size_t len = strlen(path);
	ck_assert_uint_lt(len + 1, cap);
	memset(buf, 'X', cap);
	memcpy(buf, path, len);
	if (with_nul)
		buf[len] = '\0';
	return (saved_value){ .value = buf, .size = len + (size_t)with_nul, .type = LV2_ATOM__Path };
}

/* The plugin's output over x from activation on, after prepare (may be NULL)
 * ran on the instance before activation. */
static void
play_from_activation(float *y, void (*prepare)(lh_host *h, const void *arg), const void *arg)
{
	lh_host *h = host_open(CW_URI_MONO, RATE, LH_ALL | LH_DEFER_ACTIVATE);
	if (prepare)
		prepare(h, arg);
	lh_activate(h);
	const float *in[1] = { x };
	float *out[1] = { y };
	const uint32_t blocks[] = { 256 };
	lh_run_blocks(h, in, out, N_SIG, blocks, 1);
	host_free(h);
}

/* After prepare, the instance plays exactly what a fresh one plays: the
 * bundled default, from activation on. */
static void
assert_plays_the_default(void (*prepare)(lh_host *h, const void *arg), const void *arg,
                         const char *what)
{
	static float ref[N_SIG], y[N_SIG];
	play_from_activation(ref, NULL, NULL);
	play_from_activation(y, prepare, arg);
	assert_same_audio(y, ref, N_SIG, what);
}

/* Carla's project reload: restore before activation, size without the NUL,
 * the byte after the value not a NUL. Relative and absolute paths, with and
 * without the NUL: all four play exactly the same model file, which is not
 * the default one, and report it on notify. */
START_TEST(test_a_path_restores_with_or_without_its_nul)
{
	static float ref[N_SIG], y[N_SIG], dflt[N_SIG];
	play_from_activation(dflt, NULL, NULL);
	for (int k = 0; k < 4; k++) {
		static const char *const what[4] = { "absolute, NUL counted", "absolute, strlen",
		                                     "relative, NUL counted", "relative, strlen" };
		int with_nul = !(k & 1), relative = k & 2;
		char buf[CW_MAX_PATH + 16];
		saved_value v = path_value(buf, sizeof buf, relative ? USER_MODEL : user_model, with_nul);
		lh_host *h = host_open(CW_URI_MONO, RATE, LH_ALL | LH_DEFER_ACTIVATE);
		ck_assert_int_eq(host_restore(h, v), LV2_STATE_SUCCESS);
		ck_assert_msg(h->log_errors == 0, "%s: %s", what[k], h->last_error);
		lh_activate(h);
		const float *in[1] = { x };
		float *out[1] = { k ? y : ref };
		const uint32_t blocks[] = { 256 };
		lh_run_blocks(h, in, out, N_SIG, blocks, 1);
		ck_assert_msg(h->n_notified > 0, "%s: no model reported on notify", what[k]);
		assert_same_file(h->notified, user_model);
		host_free(h);
		if (k)
			assert_same_audio(y, ref, N_SIG, what[k]);
	}
	size_t same = 0;
	for (size_t i = 0; i < N_SIG; i++)
		same += ref[i] == dflt[i];
	ck_assert_msg(same < N_SIG / 2, "the restored file plays like the default model");
}
END_TEST

static void
restore_refused(lh_host *h, const void *arg)
{
	const saved_value *v = arg;
	ck_assert_int_ne(host_restore(h, *v), LV2_STATE_SUCCESS);
	ck_assert_int_eq(h->log_errors, 1);
	ck_assert_msg(strstr(h->last_error, "saved model path") != NULL, "log: %s", h->last_error);
}

/* Values that are not a path are refused with one error each, and the
 * default model plays as if nothing had been restored. */
START_TEST(test_values_that_are_not_a_path_are_refused)
{
	static char big[CW_MAX_PATH + 2];
	memset(big, 'a', sizeof big);
	big[0] = '/';
	const char *path = LV2_ATOM__Path, *string = LV2_ATOM__String;
	const saved_value cases[] = {
		{ .value = "", .size = 0, .type = path },              /* empty */
		{ .value = "", .size = 1, .type = path },              /* only the NUL */
		{ .value = big, .size = CW_MAX_PATH, .type = path },   /* too long for the plugin */
		{ .value = big, .size = sizeof big, .type = path },    /* longer still */
		{ .value = USER_MODEL "\0tail", .size = sizeof USER_MODEL + 4, .type = path }, /* NUL inside */
		{ .value = USER_MODEL, .size = sizeof USER_MODEL, .type = string }, /* not a path */
	};
	assert_plays_the_default(restore_refused, &cases[_i], "after a refused value");
}
END_TEST

/* ---------------------------------------------------------------- presets */

/* A model file plays (loaded by patch:Set while running); then the host
 * applies "Warm overdrive", whose model port value (0) is the one the port
 * already has: after the crossfade the bundled default plays, exactly as a
 * fresh instance plays it from the moment of the switch. */
START_TEST(test_a_preset_replaces_a_playing_model_file)
{
	static float y[N_SIG], ref[N_SIG];
	const size_t at = 3000;
	lh_host *h = host_open(CW_URI_MONO, RATE, LH_ALL);
	ck_assert_float_eq(h->controls[CW_PORT_MODEL], 0.0f);
	lh_send_set_path(h, 0, CW_URI_MODEL, user_model);
	lh_run(h, NULL, NULL, 1);
	const float *in[1] = { x };
	float *out[1] = { y };
	const uint32_t blocks[] = { 256 };
	lh_run_blocks(h, in, out, at, blocks, 1);
	assert_same_file(h->notified, user_model);

	ck_assert_int_eq(lh_apply_preset(h, WARM_OVERDRIVE), 0);
	ck_assert_float_eq(h->controls[CW_PORT_MODEL], 0.0f);
	const float *in2[1] = { x + at };
	float *out2[1] = { y + at };
	lh_run_blocks(h, in2, out2, N_SIG - at, blocks, 1);
	ck_assert_msg(h->log_errors == 0, "%s", h->last_error);
	assert_same_file(h->notified, default_model);
	host_free(h);

	lh_host *f = host_open(CW_URI_MONO, RATE, LH_ALL);
	const float *in3[1] = { x + at };
	float *out3[1] = { ref };
	lh_run_blocks(f, in3, out3, N_SIG - at, blocks, 1);
	host_free(f);
	assert_same_audio(y + at + FADE_SAMPLES, ref + FADE_SAMPLES, N_SIG - at - FADE_SAMPLES,
	                  "after the preset");
}
END_TEST

static void
restore_file_then_preset(lh_host *h, const void *arg)
{
	(void)arg;
	char buf[CW_MAX_PATH + 16];
	saved_value v = path_value(buf, sizeof buf, user_model, 1);
	ck_assert_int_eq(host_restore(h, v), LV2_STATE_SUCCESS);
	ck_assert_int_eq(lh_apply_preset(h, WARM_OVERDRIVE), 0);
	ck_assert_msg(h->log_errors == 0, "%s", h->last_error);
}

/* The same before activation (a session loads its file, then the user picks
 * the preset): the bundled default plays from the first sample. */
START_TEST(test_a_preset_before_activation_replaces_a_restored_model_file)
{
	assert_plays_the_default(restore_file_then_preset, NULL, "preset after a restored file");
}
END_TEST

/* --------------------------------------------------------- host catalogues */

/* Carla's plugin list takes the last lv2 class it knows, and files
 * lv2:SimulatorPlugin under "Other": each plugin is a lv2:DistortionPlugin
 * and nothing else. Carla and Ardour show the maker (lilv's author: the
 * project's doap:maintainer) and doap:license. lilv knows the classes from
 * lv2core, so the world also reads Debian's LV2 folder, as a host's does. */
START_TEST(test_hosts_file_the_plugins_as_distortion_with_maker_and_licence)
{
	char path[2048];
	snprintf(path, sizeof path, "%s:/usr/lib/lv2", getenv("LV2_PATH"));
	LilvWorld *w = lilv_world_new();
	LilvNode *lv2_path = lilv_new_string(w, path);
	lilv_world_set_option(w, LILV_OPTION_LV2_PATH, lv2_path);
	lilv_node_free(lv2_path);
	lilv_world_load_all(w);
	LilvNode *rdf_type = lilv_new_uri(w, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
	LilvNode *license = lilv_new_uri(w, "http://usefulinc.com/ns/doap#license");
	const char *uris[2] = { CW_URI_MONO, CW_URI_STEREO };
	for (int p = 0; p < 2; p++) {
		LilvNode *u = lilv_new_uri(w, uris[p]);
		const LilvPlugin *pl = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(w), u);
		lilv_node_free(u);
		ck_assert_msg(pl != NULL, "%s not found in LV2_PATH", uris[p]);
		const LilvPluginClass *cls = lilv_plugin_get_class(pl);
		ck_assert_str_eq(lilv_node_as_uri(lilv_plugin_class_get_uri(cls)),
		                 LV2_CORE__DistortionPlugin);
		LilvNodes *types = lilv_plugin_get_value(pl, rdf_type);
		LILV_FOREACH (nodes, i, types) {
			const char *t = lilv_node_as_uri(lilv_nodes_get(types, i));
			ck_assert_msg(!strcmp(t, LV2_CORE__Plugin) || !strcmp(t, LV2_CORE__DistortionPlugin),
			              "%s is also a %s", uris[p], t);
		}
		lilv_nodes_free(types);
		LilvNode *maker = lilv_plugin_get_author_name(pl);
		ck_assert_ptr_nonnull(maker);
		ck_assert_str_eq(lilv_node_as_string(maker), "cwrnn developers");
		lilv_node_free(maker);
		LilvNodes *lic = lilv_plugin_get_value(pl, license);
		ck_assert_ptr_nonnull(lic);
		ck_assert_str_eq(lilv_node_as_uri(lilv_nodes_get_first(lic)),
		                 "http://opensource.org/licenses/MIT");
		lilv_nodes_free(lic);
	}
	lilv_node_free(rdf_type);
	lilv_node_free(license);
	lilv_world_free(w);
}
END_TEST

/* A test case whose tests each start from setup(). */
static TCase *
hosts_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup, NULL);
	return tc;
}

Suite *
hosts_suite(void)
{
	Suite *s = suite_create("hosts");
	TCase *values = suite_add_tests(s, hosts_tcase("state values"),
	                                TESTS(test_a_path_restores_with_or_without_its_nul));
	tcase_add_loop_test(values, test_values_that_are_not_a_path_are_refused, 0, 6);
	suite_add_tests(s, hosts_tcase("presets"),
	                TESTS(test_a_preset_replaces_a_playing_model_file,
	                      test_a_preset_before_activation_replaces_a_restored_model_file));
	suite_add_tests(s, hosts_tcase("catalogues"),
	                TESTS(test_hosts_file_the_plugins_as_distortion_with_maker_and_licence));
	return s;
}
