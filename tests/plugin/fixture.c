/* What the plugin test files share (see fixture.h). */
#define _XOPEN_SOURCE 700 /* realpath, mkdtemp */
#include "fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "uris.h"

char tmp_dir[1024];
char bundle_default[1024];

const uint32_t plan_1[] = { 1 };
const uint32_t plan_64[] = { 64 };
const uint32_t plan_1000[] = { 1000 };
const uint32_t plan_4096[] = { 4096 };
const uint32_t plan_vary[] = { 7, 0, 1, 333, 64, 2048, 3, 8192, 511, 0, 90 };

static uint64_t rng_state;

void
rng_seed(uint64_t seed)
{
	rng_state = seed;
}

double
rng_uniform(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(rng_state >> 11) * (1.0 / 9007199254740992.0);
}

double
rng_gauss(void)
{
	double s = 0;
	for (int i = 0; i < 12; i++)
		s += rng_uniform();
	return s - 6.0;
}

void
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
	rng_seed(seed);
	const cwrnn_layout *l = &m->layout;
	const double gain = task == CWRNN_TASK_GENERATE ? 0.3 : 0.9;
	for (int i = 0; i < cfg.n_modules; i++) {
		size_t k = (size_t)cfg.sizes[i], cols = (size_t)(l->n - l->unit_offset[i]);
		for (size_t j = 0; j < k * cols; j++)
			m->params[l->w_h[i] + j] = (float)(gain * rng_gauss() / sqrt((double)cols));
		for (size_t j = 0; j < k * (size_t)n_in; j++)
			m->params[l->w_i[i] + j] = (float)rng_gauss();
		for (size_t j = 0; j < k; j++)
			m->params[l->b[i] + j] = (float)((task == CWRNN_TASK_GENERATE ? 0.02 : 0.5) * rng_gauss());
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
		m->params[l->w_o + (size_t)j] = (float)(rng_gauss() / sqrt((double)l->n));
	m->params[l->b_o] = 0.05f;
	snprintf(out, out_len, "%s/%s.cwrnn", tmp_dir, name);
	ck_assert_int_eq(cwrnn_model_save(m, out, msg, sizeof msg), CWRNN_OK);
	cwrnn_model_free(m);
}

void
make_instrument(char *out, size_t out_len, const char *name, int driver, float rate,
                uint64_t seed)
{
	make_model(out, out_len, name, CWRNN_TASK_GENERATE, 0, 0, rate, seed);
	char msg[256];
	cwrnn_model *old = NULL;
	ck_assert_msg(cwrnn_model_load(out, &old, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	cwrnn_config cfg = old->config;
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_VELOCITY, "velocity", 20, 100,
	                                          100, msg, sizeof msg), 0);
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_GATE, "gate", 0, 1, 0, msg,
	                                          sizeof msg), 0);
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_NOTE, "note", 48, 72, 60, msg,
	                                          sizeof msg), 0);
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_KNOB, "tone", 0, 2, 1, msg,
	                                          sizeof msg), 0);
	cwrnn_model *m = cwrnn_model_new(&cfg, msg, sizeof msg);
	ck_assert_msg(m != NULL, "model_new: %s", msg);
	const cwrnn_layout *lo = &old->layout, *l = &m->layout;
	for (int i = 0; i < cfg.n_modules; i++) {
		size_t k = (size_t)cfg.sizes[i], cols = (size_t)(l->n - l->unit_offset[i]);
		memcpy(m->params + l->w_h[i], old->params + lo->w_h[i], k * cols * sizeof *m->params);
		for (size_t j = 0; j < k; j++) {
			m->params[l->w_i[i] + j * 4 + (size_t)driver] = (float)(0.1 * rng_gauss());
			m->params[l->b[i] + j] = 0.0f;
		}
	}
	memcpy(m->params + l->w_o, old->params + lo->w_o, (size_t)l->n * sizeof *m->params);
	m->params[l->b_o] = 0.0f;
	ck_assert_int_eq(cwrnn_model_save(m, out, msg, sizeof msg), CWRNN_OK);
	cwrnn_model_free(m);
	cwrnn_model_free(old);
}

void
make_signal(float *x, size_t n, uint64_t seed)
{
	rng_seed(seed);
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(0.4 * sin(0.013 * (double)i) + 0.3 * (rng_uniform() - 0.5));
}

/* The engine's output for a model file on a fresh state, its controls (if
 * any) at their defaults. periods: module overrides (NULL: none). */
void
engine_ref(const char *path, const float *in, float *out, size_t n, const uint32_t *periods)
{
	char msg[256];
	cwrnn_model *m = NULL;
	ck_assert_msg(cwrnn_model_load(path, &m, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	cwrnn_state *s = cwrnn_state_new(m);
	ck_assert_ptr_nonnull(s);
	for (int i = 0; periods && i < m->config.n_modules; i++)
		cwrnn_state_set_period(s, i, periods[i]);
	int k = m->config.n_inputs, c = m->config.n_controls;
	if (k == 0) {
		cwrnn_process(s, NULL, out, n);
	} else if (c == 0) {
		ck_assert_int_eq(k, 1);
		cwrnn_process(s, in, out, n);
	} else { /* one audio input, then the controls held at their defaults */
		ck_assert_int_eq(k - c, 1);
		float *frames = malloc((size_t)k * n * sizeof *frames);
		ck_assert_ptr_nonnull(frames);
		for (size_t t = 0; t < n; t++) {
			frames[(size_t)k * t] = in[t];
			for (int j = 0; j < c; j++)
				frames[(size_t)k * t + 1 + (size_t)j] = m->config.controls[j].def;
		}
		cwrnn_process(s, frames, out, n);
		free(frames);
	}
	cwrnn_state_free(s);
	cwrnn_model_free(m);
}

void
default_signal(float *x, float *ref, uint64_t seed)
{
	make_signal(x, N_SIG, seed);
	engine_ref(bundle_default, x, ref, N_SIG, NULL);
}

double
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
double
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

double
rms(const float *a, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += (double)a[i] * a[i];
	return sqrt(s / (double)n);
}

/* lilv saves an external file as a link in the state directory */
void
assert_same_file(const char *a, const char *b)
{
	char ra[4096], rb[4096];
	ck_assert_msg(realpath(a, ra) != NULL, "%s does not exist", a);
	ck_assert_msg(realpath(b, rb) != NULL, "%s does not exist", b);
	ck_assert_str_eq(ra, rb);
}

/* Sends a patch:Set and runs one frame of silence, after which the worker
 * has delivered the new model: the next run plays it from its start. */
void
play_mono(lh_host *h, const float *x, float *y, size_t n, const uint32_t *sizes, int n_sizes)
{
	const float *in[1] = { x };
	float *out[1] = { y };
	lh_run_blocks(h, in, out, n, sizes, n_sizes);
}

void
assert_plays(lh_host *h, const float *x, const float *ref, const uint32_t *sizes, int n_sizes)
{
	static float y[N_SIG];
	play_mono(h, x, y, N_SIG, sizes, n_sizes);
	ck_assert_double_le(max_diff(y, ref, N_SIG), 1e-6);
}

void
assert_playing(lh_host *h, const char *name)
{
	lh_send_get(h, 0);
	lh_run(h, NULL, NULL, 16);
	ck_assert_msg(strstr(h->notified, name) != NULL, "now playing %s, not %s", h->notified, name);
}

void
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

TCase *
fixture_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	return tc;
}
