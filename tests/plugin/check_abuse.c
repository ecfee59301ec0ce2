/*
 * The plugin under abuse, through lilv like the other host tests: hostile
 * signals (NaN, infinities, denormals, full-scale squares) with every control
 * at its extremes, out of range and NaN, jumping every block; block sizes 0,
 * 1, odd and 8192; session rates 8 kHz to 192 kHz; patch:Set with every kind
 * of bad file (directory, missing, empty, truncated, sparse and huge, absurd
 * dimensions, FIFO) and with paths full of odd characters; state restored
 * with its model gone; 16 instances with different models at once; a model
 * switch every block. Every run is under the heap guard (no malloc in run()),
 * every output sample is checked finite, every refusal must be in the host's
 * log naming the file and the reason.
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_cases.h"
#include "cwrnn.h"
#include "fixture.h"
#include "ports.h"
#include "suites.h"
#include "uris.h"

/* A model with g modules of k units, saved at path (seeded weights). */
static void
save_model(const char *path, cwrnn_task task, int g, int k, float rate, uint64_t seed)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, g, k);
	cfg.task = task;
	cfg.n_inputs = task == CWRNN_TASK_GENERATE ? 0 : 1;
	cfg.n_outputs = 1;
	cfg.skip = task == CWRNN_TASK_TRANSFORM;
	cfg.sample_rate = rate;
	snprintf(cfg.name, sizeof cfg.name, "abuse-%llu", (unsigned long long)seed);
	char msg[512];
	cwrnn_model *m = cwrnn_model_new(&cfg, msg, sizeof msg);
	ck_assert_msg(m != NULL, "%s", msg);
	double *w = malloc(m->layout.n_params * sizeof *w);
	cwrnn_params_init(&cfg, w, 0.0, seed);
	ck_assert_int_eq(cwrnn_model_from_double(m, w), 0);
	ck_assert_msg(cwrnn_model_save(m, path, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	free(w);
	cwrnn_model_free(m);
}

static void
assert_finite(const float *y, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(isfinite(y[i]), "%s: output[%zu] = %g", what, i, (double)y[i]);
}

/* Hostile input: NaN, +-Inf, denormals, full-scale and huge squares, silence,
 * in runs of 97 samples. */
static float
hostile(size_t i)
{
	size_t run = i / 97;
	int sq = (i / 23) % 2 ? 1 : -1;
	switch (run % 8) {
	case 0: return NAN;
	case 1: return (i % 2) ? INFINITY : -INFINITY;
	case 2: return (float)sq * 1e-40f;          /* denormal */
	case 3: return (float)sq;                   /* full-scale square */
	case 4: return (float)sq * 3.4e38f;         /* the largest float */
	case 5: return 0.0f;
	case 6: return (float)sin(0.05 * (double)i);
	default: return (float)sq * 0.999f;
	}
}

/* Every control input: k cycles through minimum, maximum, a random in-range
 * value, far below, far above, NaN and infinity. */
static void
jump_controls(lh_host *h, int k)
{
	for (int i = 0; i < h->n_ports && i < CW_N_PORTS; i++) {
		if (cw_ports[i].kind != CW_KIND_CONTROL_IN)
			continue;
		float lo = cw_ports[i].min, hi = cw_ports[i].max, v;
		switch ((k + i) % 7) {
		case 0: v = lo; break;
		case 1: v = hi; break;
		case 2: v = lo + (float)rng_uniform() * (hi - lo); break;
		case 3: v = lo - 1e6f; break;
		case 4: v = hi + 1e6f; break;
		case 5: v = NAN; break;
		default: v = (k % 2) ? INFINITY : -INFINITY; break;
		}
		h->controls[i] = v;
	}
}

static const uint32_t hostile_plan[] = { 0, 1, 7, 8192, 333, 0, 1, 64, 4095, 1023, 2 };
#define N_PLAN (int)(sizeof hostile_plan / sizeof *hostile_plan)
#define N_HOSTILE 40000
static const double session_rates[] = { 8000, 11025, 22050, 44100, 48000, 88200, 96000, 192000 };

/* Runs the whole hostile signal, controls jumping every block, MIDI notes on
 * and off; returns the number of blocks. */
static int
run_hostile(lh_host *h, float *yl, float *yr)
{
	static float x[N_HOSTILE];
	for (size_t i = 0; i < N_HOSTILE; i++)
		x[i] = hostile(i);
	size_t done = 0;
	int k = 0;
	while (done < N_HOSTILE) {
		uint32_t b = hostile_plan[k % N_PLAN];
		if (b > N_HOSTILE - done)
			b = (uint32_t)(N_HOSTILE - done);
		jump_controls(h, k);
		if (b > 0 && k % 3 == 0)
			lh_send_midi(h, b - 1,
			             (const uint8_t[]){ 0x90, (uint8_t)(k * 37 % 128), (uint8_t)(k % 128) }, 3);
		if (b > 0 && k % 5 == 0)
			lh_send_midi(h, 0, (const uint8_t[]){ 0x80, (uint8_t)(k * 37 % 128), 0 }, 3);
		const float *in[2] = { x + done, x + done };
		float *out[2] = { yl + done, yr + done };
		lh_run(h, in, out, b);
		ck_assert_msg(isfinite(h->controls[CW_PORT_LATENCY]), "latency %g", (double)h->controls[CW_PORT_LATENCY]);
		done += b;
		k++;
	}
	return k;
}

/* _i: the session rate. The bundled default (a 48 kHz effect), then a
 * 44.1 kHz generator loaded while the abuse goes on (the model port jumps
 * between the bundled models all along, too). */
START_TEST(test_hostile_signals_and_controls_at_every_rate)
{
	double rate = session_rates[_i];
	static float yl[N_HOSTILE], yr[N_HOSTILE];
	char gen[1200];
	snprintf(gen, sizeof gen, "%s/gen.cwrnn", tmp_dir);
	save_model(gen, CWRNN_TASK_GENERATE, 4, 4, 44100, 3);
	lh_host *h = host_open(CW_URI_STEREO, rate, LH_ALL);
	run_hostile(h, yl, yr);
	assert_finite(yl, N_HOSTILE, "default model, left");
	assert_finite(yr, N_HOSTILE, "default model, right");
	lh_send_set_path(h, 0, CW_URI_MODEL, gen);
	lh_run(h, NULL, NULL, 1);
	ck_assert_msg(h->log_errors == 0, "%s", h->last_error);
	run_hostile(h, yl, yr);
	assert_finite(yl, N_HOSTILE, "generator, left");
	assert_finite(yr, N_HOSTILE, "generator, right");
	/* the model port jumps too, so which model plays at the end varies */
	ck_assert_msg(h->log_errors == 0, "%s", h->last_error);
	host_free(h);
}
END_TEST

/* ------------------------------------------------------------ bad files */

static void
write_bytes(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static unsigned char *
read_bytes(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	rewind(f);
	unsigned char *b = malloc(*n);
	ck_assert_uint_eq(fread(b, 1, *n, f), *n);
	fclose(f);
	return b;
}

static void
put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A copy of a valid model with the u32 at offset 'at' set to v and the
 * checksum made right again, so only the dimension check can refuse it. */
static void
absurd_model(const char *good, const char *path, size_t at, uint32_t v)
{
	size_t n;
	unsigned char *b = read_bytes(good, &n);
	put_u32(b + at, v);
	put_u32(b + n - 4, cwrnn_crc32(0, b, n - 4));
	write_bytes(path, b, n);
	free(b);
}

typedef struct {
	char path[1200];
	const char *says; /* the reason the log must give */
} bad_file;

START_TEST(test_patch_set_with_bad_files_logs_why_and_keeps_playing)
{
	char good[1200];
	snprintf(good, sizeof good, "%s/good.cwrnn", tmp_dir);
	save_model(good, CWRNN_TASK_TRANSFORM, 3, 4, 48000, 5);
	bad_file bad[] = {
		{ "", "is a directory" },
		{ "", "No such file" },
		{ "", "truncated: file has 0 bytes" },
		{ "", "truncated: file has" },
		{ "", "more than any model can have" },
		{ "", "module count 1000000" },
		{ "", "has 2147483647 units" },
		{ "", "input count 4294967295" },
		{ "", "not a regular file" },
		{ "", "No such file" },
	};
	const int n_bad = (int)(sizeof bad / sizeof *bad);
	snprintf(bad[0].path, sizeof bad[0].path, "%s", tmp_dir);
	snprintf(bad[1].path, sizeof bad[1].path, "%s/missing.cwrnn", tmp_dir);
	snprintf(bad[2].path, sizeof bad[2].path, "%s/empty.cwrnn", tmp_dir);
	write_bytes(bad[2].path, "", 0);
	snprintf(bad[3].path, sizeof bad[3].path, "%s/truncated.cwrnn", tmp_dir);
	{
		size_t n;
		unsigned char *b = read_bytes(good, &n);
		write_bytes(bad[3].path, b, n / 2);
		free(b);
	}
	/* sparse: 1 GiB on paper, nothing on disk */
	snprintf(bad[4].path, sizeof bad[4].path, "%s/huge.cwrnn", tmp_dir);
	int fd = open(bad[4].path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)1 << 30), 0);
	close(fd);
	/* header: magic 8, version 8, header bytes 12, flags 16, task 20,
	 * modules 24, inputs 28, outputs 32 ...; the module sizes follow it at
	 * 72 (format version 2, which saving writes) */
	snprintf(bad[5].path, sizeof bad[5].path, "%s/modules.cwrnn", tmp_dir);
	absurd_model(good, bad[5].path, 24, 1000000);
	snprintf(bad[6].path, sizeof bad[6].path, "%s/units.cwrnn", tmp_dir);
	absurd_model(good, bad[6].path, 72, 0x7fffffff);
	snprintf(bad[7].path, sizeof bad[7].path, "%s/inputs.cwrnn", tmp_dir);
	absurd_model(good, bad[7].path, 28, 0xffffffffu);
	snprintf(bad[8].path, sizeof bad[8].path, "%s/fifo.cwrnn", tmp_dir);
	ck_assert_int_eq(mkfifo(bad[8].path, 0644), 0);
	snprintf(bad[9].path, sizeof bad[9].path, "%s/no dir/\"x\" 'y'.cwrnn", tmp_dir);

	static float x[4096], y[4096];
	for (int i = 0; i < 4096; i++)
		x[i] = (float)sin(0.01 * i);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	for (int b = 0; b < n_bad; b++) {
		int before = h->log_errors;
		lh_send_set_path(h, 0, CW_URI_MODEL, bad[b].path);
		const float *in[1] = { x };
		float *out[1] = { y };
		lh_run(h, in, out, 4096);
		assert_finite(y, 4096, bad[b].path);
		ck_assert_msg(h->log_errors == before + 1, "no error logged for %s", bad[b].path);
		ck_assert_msg(strstr(h->last_error, bad[b].path) != NULL, "log does not name %s: %s",
		              bad[b].path, h->last_error);
		/* the reason, after the path (the file names contain reasons too) */
		const char *why = strstr(h->last_error, bad[b].path) + strlen(bad[b].path);
		ck_assert_msg(strstr(why, bad[b].says) != NULL, "log for %s does not say '%s': %s",
		              bad[b].path, bad[b].says, h->last_error);
		ck_assert_msg(strstr(h->last_error, "keeping the current model") != NULL, "%s",
		              h->last_error);
		if (getenv("CW_TEST_VERBOSE"))
			fprintf(stderr, "%s", h->last_error);
	}
	assert_playing(h, "default.cwrnn");
	host_free(h);
}
END_TEST

/* Paths with spaces, quotes, unicode, shell and URI metacharacters load, and
 * survive a state save and restore. Not a tab: lilv 0.24.14 writes it into
 * state.ttl as "%9" (not "%09") and serd 0.30.16 then reads past the end of
 * the node while decoding it (valgrind: invalid read in serd_file_uri_parse);
 * the restored path is garbage the plugin refuses and logs. That is the
 * host library's bug, so the tab is only loaded, not saved (below). */
START_TEST(test_odd_characters_in_paths_load_and_restore)
{
	static const char *names[] = {
		"with space.cwrnn",
		"dq\"uote.cwrnn",
		"sq'uote.cwrnn",
		"ünïcødé ✓ 模型.cwrnn",
		"%20 #frag ?q=1 &amp; $HOME `x` \\back.cwrnn",
		"sub dir/ ~ (1) [2] {3} ;*!.cwrnn",
	};
	char sub[1200];
	snprintf(sub, sizeof sub, "%s/sub dir", tmp_dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	for (size_t n = 0; n < sizeof names / sizeof *names; n++) {
		char path[1300], state[1300];
		snprintf(path, sizeof path, "%s/%s", tmp_dir, names[n]);
		save_model(path, CWRNN_TASK_TRANSFORM, 2, 3, 48000, 10 + n);
		lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
		lh_send_set_path(h, 0, CW_URI_MODEL, path);
		lh_run(h, NULL, NULL, 64);
		lh_run(h, NULL, NULL, 64); /* notify comes with the run after the load */
		ck_assert_msg(h->log_errors == 0, "%s: %s", names[n], h->last_error);
		ck_assert_str_eq(h->notified, path);
		snprintf(state, sizeof state, "%s/state-%zu", tmp_dir, n);
		ck_assert_int_eq(lh_save_state(h, state), 0);
		host_free(h);
		h = host_open(CW_URI_MONO, 48000, LH_ALL);
		ck_assert_int_eq(lh_restore_state(h, state), 0);
		lh_run(h, NULL, NULL, 64);
		lh_send_get(h, 0);
		lh_run(h, NULL, NULL, 64);
		ck_assert_msg(h->log_errors == 0, "restore %s: %s", names[n], h->last_error);
		char real_a[4096], real_b[4096];
		ck_assert_ptr_nonnull(realpath(path, real_a));
		ck_assert_msg(realpath(h->notified, real_b) != NULL, "restored %s", h->notified);
		ck_assert_str_eq(real_a, real_b);
		host_free(h);
	}
}
END_TEST

START_TEST(test_a_tab_and_newline_in_a_path_load_by_patch_set)
{
	char path[1300];
	snprintf(path, sizeof path, "%s/tab\there\nnewline.cwrnn", tmp_dir);
	save_model(path, CWRNN_TASK_TRANSFORM, 2, 3, 48000, 31);
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	lh_send_set_path(h, 0, CW_URI_MODEL, path);
	lh_run(h, NULL, NULL, 64);
	lh_run(h, NULL, NULL, 64);
	ck_assert_msg(h->log_errors == 0, "%s", h->last_error);
	ck_assert_str_eq(h->notified, path);
	host_free(h);
}
END_TEST

/* A path longer than the plugin takes (4095 bytes): run() cannot log, so the
 * worker does, with the path's start. */
START_TEST(test_an_overlong_path_is_logged)
{
	static char path[5001];
	memset(path, 'a', sizeof path - 1);
	path[0] = '/';
	path[sizeof path - 1] = '\0';
	lh_host *h = host_open(CW_URI_MONO, 48000, LH_ALL);
	lh_send_set_path(h, 0, CW_URI_MODEL, path);
	lh_run(h, NULL, NULL, 64);
	ck_assert_int_eq(h->log_errors, 1);
	ck_assert_msg(strstr(h->last_error, "longer than 4095 bytes") != NULL, "%s", h->last_error);
	ck_assert_msg(strstr(h->last_error, "/aaaa") != NULL, "%s", h->last_error);
	assert_playing(h, "default.cwrnn");
	host_free(h);
}
END_TEST

/* A session whose model was deleted, restored while the plugin runs: the
 * error is logged naming the file, the plugin keeps playing its default. */
START_TEST(test_state_restore_with_missing_model_while_running)
{
	char path[1200], state[1200];
	snprintf(path, sizeof path, "%s/gone.cwrnn", tmp_dir);
	save_model(path, CWRNN_TASK_TRANSFORM, 2, 3, 48000, 9);
	snprintf(state, sizeof state, "%s/state", tmp_dir);
	lh_host *a = host_open(CW_URI_STEREO, 48000, LH_ALL);
	lh_send_set_path(a, 0, CW_URI_MODEL, path);
	lh_run(a, NULL, NULL, 16);
	ck_assert_int_eq(lh_save_state(a, state), 0);
	host_free(a);
	ck_assert_int_eq(unlink(path), 0);
	lh_host *b = host_open(CW_URI_STEREO, 48000, LH_ALL);
	static float x[8192], yl[8192], yr[8192];
	for (int i = 0; i < 8192; i++)
		x[i] = (float)sin(0.02 * i);
	const float *in[2] = { x, x };
	float *out[2] = { yl, yr };
	lh_run(b, in, out, 512);
	lh_restore_state(b, state);
	lh_run(b, in, out, 8192);
	lh_run(b, in, out, 8192);
	assert_finite(yl, 8192, "left");
	ck_assert_int_ge(b->log_errors, 1);
	ck_assert_msg(strstr(b->last_error, "gone.cwrnn") != NULL, "log: %s", b->last_error);
	ck_assert_double_gt(fabs(yl[8000]) + fabs(yl[7000]) + fabs(yl[6000]), 1e-4);
	host_free(b);
}
END_TEST

/* ------------------------------------------------------------ instances */

#define N_INST 16
#define N_RUN 6000

/* 16 instances, each with its own model (different shapes, tasks, rates),
 * run interleaved in blocks of different sizes: each one's output is its
 * model's, as the engine computes it alone. */
START_TEST(test_sixteen_instances_with_different_models)
{
	static float x[N_RUN], y[N_INST][N_RUN], ref[N_RUN];
	for (int i = 0; i < N_RUN; i++)
		x[i] = (float)(0.5 * sin(0.031 * i) + 0.2 * sin(0.0071 * i));
	char paths[N_INST][1200];
	lh_host *h[N_INST];
	for (int k = 0; k < N_INST; k++) {
		snprintf(paths[k], sizeof paths[k], "%s/inst-%d.cwrnn", tmp_dir, k);
		save_model(paths[k], CWRNN_TASK_TRANSFORM, 1 + k % 5, 2 + k % 7, 48000, 100 + k);
		h[k] = host_open(CW_URI_MONO, 48000, LH_ALL);
		lh_send_set_path(h[k], 0, CW_URI_MODEL, paths[k]);
		lh_run(h[k], NULL, NULL, 1);
		ck_assert_msg(h[k]->log_errors == 0, "%d: %s", k, h[k]->last_error);
	}
	size_t done[N_INST] = { 0 };
	for (int round = 0, left = N_INST; left > 0; round++) {
		left = 0;
		for (int k = 0; k < N_INST; k++) {
			if (done[k] >= N_RUN)
				continue;
			uint32_t b = hostile_plan[(round + k) % N_PLAN] % 700;
			if (b > N_RUN - done[k])
				b = (uint32_t)(N_RUN - done[k]);
			const float *in[1] = { x + done[k] };
			float *out[1] = { y[k] + done[k] };
			lh_run(h[k], in, out, b);
			done[k] += b;
			left += done[k] < N_RUN;
		}
	}
	size_t fade = (size_t)(0.02 * 48000) + 2;
	for (int k = 0; k < N_INST; k++) {
		cwrnn_model *m = NULL;
		char msg[256];
		ck_assert_int_eq(cwrnn_model_load(paths[k], &m, msg, sizeof msg), CWRNN_OK);
		cwrnn_state *s = cwrnn_state_new(m);
		cwrnn_process(s, x, ref, N_RUN);
		double d = 0;
		for (size_t i = fade; i < N_RUN; i++)
			d = fmax(d, fabs((double)y[k][i] - ref[i]));
		ck_assert_msg(d <= 1e-6, "instance %d differs from its model by %g", k, d);
		ck_assert_str_eq(h[k]->notified, paths[k]);
		cwrnn_state_free(s);
		cwrnn_model_free(m);
		host_free(h[k]);
	}
}
END_TEST

/* A patch:Set every block, some to bad files, some several per block, block
 * sizes 1 to 600: every crossfade is cut short by the next model. */
START_TEST(test_rapid_model_switching_while_running)
{
	char paths[6][1200];
	for (int k = 0; k < 4; k++) {
		snprintf(paths[k], sizeof paths[k], "%s/switch-%d.cwrnn", tmp_dir, k);
		save_model(paths[k], k == 3 ? CWRNN_TASK_GENERATE : CWRNN_TASK_TRANSFORM, 2 + k, 3,
		           k % 2 ? 44100 : 48000, 200 + k);
	}
	snprintf(paths[4], sizeof paths[4], "%s/missing.cwrnn", tmp_dir);
	snprintf(paths[5], sizeof paths[5], "%s", tmp_dir);
	static float x[600], yl[600], yr[600];
	for (int i = 0; i < 600; i++)
		x[i] = (float)sin(0.05 * i);
	lh_host *h = host_open(CW_URI_STEREO, 48000, LH_ALL);
	rng_seed(77);
	int errors = 0;
	for (int k = 0; k < 3000; k++) {
		uint32_t b = 1 + (uint32_t)(rng_uniform() * 600);
		if (b > 600)
			b = 600;
		int which = (int)(rng_uniform() * 6);
		lh_send_set_path(h, 0, CW_URI_MODEL, paths[which]);
		errors += which >= 4;
		if (k % 7 == 0 && b > 1)
			lh_send_set_path(h, b - 1, CW_URI_MODEL, paths[(which + 1) % 4]);
		const float *in[2] = { x, x };
		float *out[2] = { yl, yr };
		lh_run(h, in, out, b);
		assert_finite(yl, b, "left");
		assert_finite(yr, b, "right");
	}
	ck_assert_int_eq(h->log_errors, errors);
	lh_send_set_path(h, 0, CW_URI_MODEL, paths[2]);
	lh_run(h, NULL, NULL, 1);
	lh_run(h, NULL, NULL, 4096);
	ck_assert_str_eq(h->notified, paths[2]);
	host_free(h);
}
END_TEST

Suite *
abuse_suite(void)
{
	Suite *s = suite_create("abuse");
	TCase *tc = fixture_tcase("abuse");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_hostile_signals_and_controls_at_every_rate, 0,
	                    (int)(sizeof session_rates / sizeof *session_rates));
	suite_add_tests(s, tc, TESTS(test_patch_set_with_bad_files_logs_why_and_keeps_playing,
	                             test_odd_characters_in_paths_load_and_restore,
	                             test_a_tab_and_newline_in_a_path_load_by_patch_set,
	                             test_an_overlong_path_is_logged,
	                             test_state_restore_with_missing_model_while_running,
	                             test_sixteen_instances_with_different_models,
	                             test_rapid_model_switching_while_running));
	return s;
}
