/* The .cwrnn model file: CRC-32, round trips, every refusal of the loader,
 * atomic saving, and robustness against garbage. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_cases.h"
#include "cwrnn.h"
#include "suites.h"

/* ---------------------------------------------------------------- helpers */

/* splitmix64, local so the tests do not lean on engine internals. */
static uint64_t
next_random(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Any finite bit pattern, so round trips cover denormals and -0 too. */
static float
random_weight(uint64_t *s)
{
	uint32_t bits = (uint32_t)next_random(s);
	if ((bits & 0x7f800000u) == 0x7f800000u)
		bits &= ~0x00800000u;
	float f;
	memcpy(&f, &bits, sizeof f);
	return f;
}

static cwrnn_model *
random_model(const cwrnn_config *cfg, const char *summary, uint64_t seed)
{
	char msg[256] = "";
	cwrnn_model *model = cwrnn_model_new(cfg, msg, sizeof msg);
	ck_assert_msg(model != NULL, "cwrnn_model_new: %s", msg);
	ck_assert_int_eq(cwrnn_model_set_summary(model, summary), 0);
	for (size_t i = 0; i < model->layout.n_params; i++)
		model->params[i] = random_weight(&seed);
	return model;
}

static int
same_bits(float a, float b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

static void
assert_same_model(const cwrnn_model *a, const cwrnn_model *b)
{
	const cwrnn_config *x = &a->config, *y = &b->config;
	ck_assert_int_eq(x->n_modules, y->n_modules);
	for (int i = 0; i < x->n_modules; i++) {
		ck_assert_int_eq(x->sizes[i], y->sizes[i]);
		ck_assert_uint_eq(x->periods[i], y->periods[i]);
	}
	ck_assert_uint_eq(x->phase, y->phase);
	ck_assert_int_eq(x->n_inputs, y->n_inputs);
	ck_assert_int_eq(x->n_outputs, y->n_outputs);
	ck_assert_int_eq(x->skip, y->skip);
	ck_assert_int_eq(x->task, y->task);
	ck_assert(same_bits(x->sample_rate, y->sample_rate));
	ck_assert(same_bits(x->in_scale, y->in_scale));
	ck_assert(same_bits(x->out_scale, y->out_scale));
	ck_assert(same_bits(x->root_note, y->root_note));
	ck_assert_int_eq(x->n_controls, y->n_controls);
	for (int c = 0; c < x->n_controls; c++) {
		ck_assert_int_eq(x->controls[c].kind, y->controls[c].kind);
		ck_assert_str_eq(x->controls[c].name, y->controls[c].name);
		ck_assert(same_bits(x->controls[c].min, y->controls[c].min));
		ck_assert(same_bits(x->controls[c].max, y->controls[c].max));
		ck_assert(same_bits(x->controls[c].def, y->controls[c].def));
	}
	ck_assert_str_eq(x->name, y->name);
	ck_assert_str_eq(a->summary, b->summary);
	ck_assert_uint_eq(a->layout.n_params, b->layout.n_params);
	ck_assert(memcmp(a->params, b->params, a->layout.n_params * sizeof *a->params) == 0);
}

static void
put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Re-seals a tampered buffer so only the tampering is wrong. */
static void
fix_crc(unsigned char *data, size_t size)
{
	put_u32(data + size - 4, cwrnn_crc32(0, data, size - 4));
}

/* Loads data, expects the given refusal, a message naming needle, and no model. */
static void
expect_refusal(const unsigned char *data, size_t size, cwrnn_status status, const char *needle)
{
	static cwrnn_model sentinel;
	char msg[512] = "";
	cwrnn_model *model = &sentinel;  /* the loader must overwrite it with NULL */
	cwrnn_status st = cwrnn_model_load_buffer(data, size, &model, msg, sizeof msg);
	ck_assert_msg(st == status, "status %d (%s), expected %d; message: %s", st,
	              cwrnn_status_string(st), status, msg);
	ck_assert_ptr_null(model);
	ck_assert_msg(msg[0] != '\0', "empty message for status %d", st);
	ck_assert_msg(strstr(msg, needle) != NULL, "message \"%s\" does not mention \"%s\"", msg,
	              needle);
}

/* Re-seals tampered data and expects the refusal: only the tampering is wrong. */
static void
expect_resealed_refusal(unsigned char *data, size_t size, cwrnn_status status, const char *needle)
{
	fix_crc(data, size);
	expect_refusal(data, size, status, needle);
}

/* The small model the refusal tests tamper with: g = 4, m = 2, p = 1. */
enum { SMALL_G = 4, SIZES_AT = 72, PERIODS_AT = 72 + 4 * SMALL_G, NAME_AT = 72 + 8 * SMALL_G };

/* A knob model: 1 audio input + knobs "drive" (0..10) and "tone" (-1..1),
 * skip, g = 2. Its control table starts at CONTROLS_AT, 48 bytes each. */
enum { KNOB_G = 2, CONTROLS_AT = 72 + 8 * KNOB_G, CONTROL_BYTES = 48 };

static void
add_control(cwrnn_config *cfg, cwrnn_control_kind kind, const char *name, float min, float max,
            float def)
{
	char msg[256] = "";
	ck_assert_msg(cwrnn_config_add_control(cfg, kind, name, min, max, def, msg, sizeof msg) == 0,
	              "%s", msg);
}

static void
knob_config(cwrnn_config *cfg)
{
	cwrnn_config_default(cfg, KNOB_G, 3);
	cfg->n_inputs = 1;
	add_control(cfg, CWRNN_CONTROL_KNOB, "drive", 0.0f, 10.0f, 5.0f);
	add_control(cfg, CWRNN_CONTROL_KNOB, "tone", -1.0f, 1.0f, 0.0f);
	cfg->skip = 1;
	cfg->task = CWRNN_TASK_TRANSFORM;
	strcpy(cfg->name, "knobs");
}

static unsigned char *
knob_model_bytes(size_t *size)
{
	cwrnn_config cfg;
	knob_config(&cfg);
	cwrnn_model *model = random_model(&cfg, "knob test", 8);
	unsigned char *data = cwrnn_model_encode(model, size);
	ck_assert_ptr_nonnull(data);
	cwrnn_model_free(model);
	return data;
}

/* The version-1 spelling of a version-2 file without controls or root note:
 * the same fields without offsets 64..71. Returns a malloc'ed buffer. */
static unsigned char *
as_version_1(const unsigned char *v2, size_t size, size_t *v1_size)
{
	ck_assert_uint_eq(get_u32(v2 + 8), 2);
	ck_assert_uint_eq(get_u32(v2 + 64), 0);
	ck_assert_uint_eq(get_u32(v2 + 68), 0);
	*v1_size = size - 8;
	unsigned char *v1 = malloc(*v1_size);
	memcpy(v1, v2, 64);
	memcpy(v1 + 64, v2 + 72, size - 72);
	put_u32(v1 + 8, 1);
	put_u32(v1 + 12, get_u32(v2 + 12) - 8);
	fix_crc(v1, *v1_size);
	return v1;
}

static unsigned char *
small_model_bytes(size_t *size)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, SMALL_G, 2);
	cfg.sizes[1] = 3;
	cfg.sizes[3] = 1;
	cfg.n_inputs = 2;
	cfg.task = CWRNN_TASK_TRANSFORM;
	strcpy(cfg.name, "small");
	cwrnn_model *model = random_model(&cfg, "a test", 7);
	unsigned char *data = cwrnn_model_encode(model, size);
	ck_assert_ptr_nonnull(data);
	cwrnn_model_free(model);
	return data;
}

/* The bytes of the small model, fresh for each refusal test (the tcase's
 * fixture), which may tamper with them. */
static unsigned char *small;
static size_t small_size;

static void
encode_small_model(void)
{
	small = small_model_bytes(&small_size);
}

static void
free_small_model(void)
{
	free(small);
	small = NULL;
}

/* ------------------------------------------------------------------ CRC-32 */

START_TEST(crc32_matches_the_check_value)
{
	ck_assert_uint_eq(cwrnn_crc32(0, "123456789", 9), 0xCBF43926u);
	ck_assert_uint_eq(cwrnn_crc32(0, "", 0), 0);
	ck_assert_uint_eq(cwrnn_crc32(0, "a", 1), 0xE8B7BE43u);
}
END_TEST

START_TEST(crc32_incremental_equals_one_shot)
{
	unsigned char data[1000];
	uint64_t s = 1;
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)next_random(&s);
	uint32_t whole = cwrnn_crc32(0, data, sizeof data);
	for (size_t cut = 0; cut <= sizeof data; cut += 37)
		ck_assert_uint_eq(cwrnn_crc32(cwrnn_crc32(0, data, cut), data + cut, sizeof data - cut),
		                  whole);
}
END_TEST

/* ----------------------------------------------------------------- format */

/* g = 1, k = 1, no input, name "a", weights 1, -2, 0.5, 0, written by the
 * version-1 encoder; the bytes (and the CRC) were computed independently
 * with Python's struct and zlib. */
static const unsigned char golden_v1[93] = {
	0x43, 0x57, 0x52, 0x4e, 0x4e, 0x0d, 0x0a, 0x1a, 0x01, 0x00, 0x00, 0x00,
	0x49, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x44, 0x2c, 0x47, 0x00, 0x00, 0x80, 0x3f,
	0x00, 0x00, 0x80, 0x3f, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x61, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00,
	0x3f, 0x00, 0x00, 0x00, 0x00, 0xa7, 0x79, 0x60, 0xc4,
};

START_TEST(version_1_file_loads_without_controls)
{
	cwrnn_model *model = NULL;
	char msg[256] = "";
	ck_assert_msg(cwrnn_model_load_buffer(golden_v1, sizeof golden_v1, &model, msg, sizeof msg)
	              == CWRNN_OK, "%s", msg);
	const cwrnn_config *cfg = &model->config;
	ck_assert_int_eq(cfg->n_modules, 1);
	ck_assert_int_eq(cfg->sizes[0], 1);
	ck_assert_int_eq(cfg->n_inputs, 0);
	ck_assert_int_eq(cfg->n_controls, 0);
	ck_assert(cfg->root_note == 0.0f);
	ck_assert_str_eq(cfg->name, "a");
	const float w[4] = {1.0f, -2.0f, 0.5f, 0.0f};
	ck_assert_uint_eq(model->layout.n_params, 4);
	ck_assert(memcmp(model->params, w, sizeof w) == 0);
	cwrnn_model_free(model);
}
END_TEST

START_TEST(encoding_matches_the_documented_layout)
{
	/* Version 2: g = 1, k = 1, one input that is the knob "drive" 0..10
	 * (default 5), task transform, root note 57.5, name "a", weights 1, -2,
	 * 0.5, 0, 0.25; bytes and CRC computed independently with Python's
	 * struct and zlib. */
	static const unsigned char golden[153] = {
		0x43, 0x57, 0x52, 0x4e, 0x4e, 0x0d, 0x0a, 0x1a, 0x02, 0x00, 0x00, 0x00,
		0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x44, 0x2c, 0x47, 0x00, 0x00, 0x80, 0x3f,
		0x00, 0x00, 0x80, 0x3f, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x66, 0x42,
		0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x64, 0x72, 0x69, 0x76, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x20, 0x41, 0x00, 0x00, 0xa0, 0x40, 0x61, 0x00, 0x00, 0x80,
		0x3f, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x3f, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x80, 0x3e, 0x7a, 0x3e, 0xc9, 0x11,
	};
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 1, 1);
	add_control(&cfg, CWRNN_CONTROL_KNOB, "drive", 0.0f, 10.0f, 5.0f);
	cfg.task = CWRNN_TASK_TRANSFORM;
	cfg.root_note = 57.5f;
	strcpy(cfg.name, "a");
	cwrnn_model *model = cwrnn_model_new(&cfg, NULL, 0);
	ck_assert_ptr_nonnull(model);
	ck_assert_uint_eq(model->layout.n_params, 5);
	const float w[5] = {1.0f, -2.0f, 0.5f, 0.0f, 0.25f};
	memcpy(model->params, w, sizeof w);
	size_t size = 0;
	unsigned char *data = cwrnn_model_encode(model, &size);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(size, sizeof golden);
	ck_assert(memcmp(data, golden, sizeof golden) == 0);
	free(data);
	cwrnn_model_free(model);
}
END_TEST

/* The presets committed as version 1 load without controls, and whatever
 * they are regenerated as (version 2, instruments with controls) loads. */
START_TEST(committed_preset_models_load)
{
	DIR *dir = opendir("presets/models");
	ck_assert_msg(dir != NULL, "run from the source tree: presets/models is missing");
	int loaded = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 6, ".cwrnn") != 0)
			continue;
		char path[512], msg[512] = "";
		snprintf(path, sizeof path, "presets/models/%s", e->d_name);
		cwrnn_model *model = NULL;
		ck_assert_msg(cwrnn_model_load(path, &model, msg, sizeof msg) == CWRNN_OK, "%s", msg);
		unsigned char head[12];
		FILE *f = fopen(path, "rb");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fread(head, 1, sizeof head, f), sizeof head);
		fclose(f);
		if (get_u32(head + 8) == 1) { /* version 1: no controls, no root note */
			ck_assert_int_eq(model->config.n_controls, 0);
			ck_assert(model->config.root_note == 0.0f);
		}
		cwrnn_model_free(model);
		loaded++;
	}
	closedir(dir);
	ck_assert_int_gt(loaded, 0);
}
END_TEST

/* --------------------------------------------------------------- round trip */

static char long_summary[CWRNN_SUMMARY_MAX + 1];

/* Shapes the round trip covers; _i selects one. */
static const char *
round_trip_case(int which, cwrnn_config *cfg)
{
	static const uint32_t odd[4] = {1, 3, 5, 7};
	switch (which) {
	case 0:  /* exponential periods, empty summary */
		cwrnn_config_default(cfg, 6, 5);
		strcpy(cfg->name, "exponential");
		return "";
	case 1:  /* odd periods, nonzero phase, several inputs and outputs */
		cwrnn_config_default(cfg, 4, 3);
		memcpy(cfg->periods, odd, sizeof odd);
		cfg->sizes[2] = 7;
		cfg->phase = 5;
		cfg->n_inputs = 3;
		cfg->n_outputs = 2;
		cfg->task = CWRNN_TASK_TRANSFORM;
		cfg->in_scale = 0.5f;
		cfg->out_scale = -2.25f;
		strcpy(cfg->name, "odd périodes");  /* UTF-8 passes through */
		return "trained 12 epochs on guitar.wav";
	case 2:  /* skip connection */
		cwrnn_config_default(cfg, 3, 4);
		cfg->n_inputs = cfg->n_outputs = 2;
		cfg->skip = 1;
		cfg->task = CWRNN_TASK_TRANSFORM;
		cfg->sample_rate = 48000.0f;
		return "skip";
	case 4:  /* knobs: 1 audio input + 2 knobs, skip */
		knob_config(cfg);
		return "pairs";
	case 5:  /* an instrument: velocity and gate, no audio, a root note */
		cwrnn_config_default(cfg, 5, 2);
		add_control(cfg, CWRNN_CONTROL_VELOCITY, "velocity", 1.0f, 127.0f, 100.0f);
		add_control(cfg, CWRNN_CONTROL_GATE, "gate", 0.0f, 1.0f, 1.0f);
		cfg->root_note = 57.25f;
		strcpy(cfg->name, "piano");
		return "notes";
	case 6:  /* every control slot, longest names, extreme values */
		cwrnn_config_default(cfg, 2, 2);
		for (int c = 0; c < CWRNN_MAX_CONTROLS; c++) {
			char name[CWRNN_CONTROL_NAME_MAX + 1];
			memset(name, 'a' + c, CWRNN_CONTROL_NAME_MAX);
			name[CWRNN_CONTROL_NAME_MAX] = '\0';
			add_control(cfg, CWRNN_CONTROL_KNOB, name, -1.5e38f, 1.5e38f, 1e-40f);
		}
		cfg->root_note = CWRNN_MAX_ROOT_NOTE;
		return "all controls";
	default:  /* one module, continue task, the longest summary allowed */
		cwrnn_config_default(cfg, 1, 8);
		cfg->n_inputs = 1;
		cfg->task = CWRNN_TASK_CONTINUE;
		cfg->sample_rate = 96000.0f;
		memset(cfg->name, 'n', CWRNN_NAME_MAX);
		cfg->name[CWRNN_NAME_MAX] = '\0';
		for (size_t i = 0; i < CWRNN_SUMMARY_MAX; i++)
			long_summary[i] = (char)('a' + i % 26);
		long_summary[CWRNN_SUMMARY_MAX] = '\0';
		return long_summary;
	}
}
enum { ROUND_TRIP_CASES = 7, LAST_CASE_WITHOUT_CONTROLS = 3 };

static char tmp_dir[64];

static void
make_tmp_dir(void)
{
	strcpy(tmp_dir, "/tmp/cwrnn-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static void
remove_tmp_dir(void)
{
	DIR *dir = opendir(tmp_dir);
	if (!dir)
		return;
	struct dirent *e;
	char path[512];
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", tmp_dir, e->d_name);
		if (unlink(path) != 0)
			rmdir(path);
	}
	closedir(dir);
	rmdir(tmp_dir);
}

static int
entries_in_tmp_dir(void)
{
	DIR *dir = opendir(tmp_dir);
	ck_assert_ptr_nonnull(dir);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dir);
	return n;
}

/* tmp_dir/name, in a buffer that the next call overwrites. */
static const char *
tmp_file(const char *name)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
	return path;
}

/* A model of cwrnn_config_default(g, k) with random weights. */
static cwrnn_model *
random_default_model(int g, int k, const char *summary, uint64_t seed)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, g, k);
	return random_model(&cfg, summary, seed);
}

START_TEST(save_then_load_is_bit_exact)
{
	cwrnn_config cfg;
	const char *summary = round_trip_case(_i, &cfg);
	cwrnn_model *model = random_model(&cfg, summary, 100 + (uint64_t)_i);
	char msg[512] = "";
	const char *path = tmp_file("model.cwrnn");
	ck_assert_msg(cwrnn_model_save(model, path, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	cwrnn_model *back = NULL;
	ck_assert_msg(cwrnn_model_load(path, &back, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	assert_same_model(model, back);
	cwrnn_model_free(back);
	cwrnn_model_free(model);
}
END_TEST

START_TEST(encode_then_load_buffer_is_bit_exact)
{
	cwrnn_config cfg;
	const char *summary = round_trip_case(_i, &cfg);
	cwrnn_model *model = random_model(&cfg, summary, 200 + (uint64_t)_i);
	size_t size = 0;
	unsigned char *data = cwrnn_model_encode(model, &size);
	ck_assert_ptr_nonnull(data);
	uint64_t header = get_u32(data + 12);
	ck_assert_uint_eq(header, 72 + 8 * (uint64_t)cfg.n_modules + 48 * (uint64_t)cfg.n_controls
	                          + strlen(cfg.name) + strlen(summary));
	ck_assert_uint_eq(size, header + 4 * model->layout.n_params + 4);
	char msg[512] = "";
	cwrnn_model *back = NULL;
	ck_assert_msg(cwrnn_model_load_buffer(data, size, &back, msg, sizeof msg) == CWRNN_OK, "%s",
	              msg);
	assert_same_model(model, back);
	cwrnn_model_free(back);
	cwrnn_model_free(model);
	free(data);
}
END_TEST

START_TEST(add_control_refuses_a_long_name_and_a_ninth_control)
{
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 1, 1);
	char msg[256] = "", name[CWRNN_CONTROL_NAME_MAX + 2];
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_KNOB, name, 0, 1, 0, msg,
	                                          sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "longer than 31"));
	ck_assert_int_eq(cfg.n_inputs, 0);
	for (int c = 0; c < CWRNN_MAX_CONTROLS; c++) {
		snprintf(name, sizeof name, "k%d", c);
		add_control(&cfg, CWRNN_CONTROL_KNOB, name, 0, 1, 0);
	}
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_GATE, "gate", 0, 1, 0, msg,
	                                          sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "no room"));
	ck_assert_int_eq(cfg.n_inputs, CWRNN_MAX_CONTROLS);
	ck_assert_int_eq(cwrnn_config_check(&cfg, msg, sizeof msg), 0);
}
END_TEST

/* A model without controls, spelled as version 1, loads as the same model. */
START_TEST(version_1_spelling_loads_the_same_model)
{
	cwrnn_config cfg;
	const char *summary = round_trip_case(_i, &cfg);
	ck_assert_int_eq(cfg.n_controls, 0);
	cwrnn_model *model = random_model(&cfg, summary, 300 + (uint64_t)_i);
	size_t size = 0, v1_size = 0;
	unsigned char *data = cwrnn_model_encode(model, &size);
	unsigned char *v1 = as_version_1(data, size, &v1_size);
	char msg[512] = "";
	cwrnn_model *back = NULL;
	ck_assert_msg(cwrnn_model_load_buffer(v1, v1_size, &back, msg, sizeof msg) == CWRNN_OK,
	              "%s", msg);
	assert_same_model(model, back);
	cwrnn_model_free(back);
	cwrnn_model_free(model);
	free(v1);
	free(data);
}
END_TEST

/* ---------------------------------------------------------------- refusals */

START_TEST(every_truncation_is_refused_as_truncated)
{
	size_t size = 0;
	unsigned char *data = _i ? knob_model_bytes(&size) : small_model_bytes(&size);
	for (size_t len = 0; len < size; len++) {
		/* A copy of exactly len bytes, so a read past it is caught by ASan. */
		unsigned char *cut = malloc(len ? len : 1);
		memcpy(cut, data, len);
		expect_refusal(cut, len, CWRNN_ERR_TRUNCATED, "truncated");
		free(cut);
	}
	free(data);
}
END_TEST

START_TEST(wrong_magic_is_refused)
{
	small[3] = 'X';
	expect_refusal(small, small_size, CWRNN_ERR_MAGIC, "magic");
	expect_refusal(small, 3, CWRNN_ERR_TRUNCATED, "truncated");  /* "CWR" is a prefix */
	expect_refusal(small, 5, CWRNN_ERR_MAGIC, "magic");          /* "CWRXN" is not */
	expect_refusal((const unsigned char *)"RIFF....WAVEfmt ", 16, CWRNN_ERR_MAGIC, "magic");
}
END_TEST

START_TEST(newer_version_is_refused)
{
	put_u32(small + 8, 3);
	expect_resealed_refusal(small, small_size, CWRNN_ERR_VERSION, "version 3");
	put_u32(small + 8, 0);
	expect_resealed_refusal(small, small_size, CWRNN_ERR_VERSION, "version 0");
}
END_TEST

/* One header field set to a bad value (CRC fixed up), the status expected
 * and a word the message must contain to point at the field. */
typedef struct {
	size_t offset;
	uint32_t value;
	int add;  /* 1: value is added to the stored one */
	cwrnn_status status;
	const char *needle;
} tampering;

static const tampering tamperings[] = {
	{24, 0, 0, CWRNN_ERR_DIMENSIONS, "module count"},
	{24, 1000, 0, CWRNN_ERR_DIMENSIONS, "module count"},
	{SIZES_AT + 8, 0, 0, CWRNN_ERR_DIMENSIONS, "module 3 has 0 units"},
	{SIZES_AT, 100000, 0, CWRNN_ERR_DIMENSIONS, "units"},
	{SIZES_AT, 3000000000u, 0, CWRNN_ERR_DIMENSIONS, "units"},
	{32, 0, 0, CWRNN_ERR_DIMENSIONS, "output"},
	{28, 1000000, 0, CWRNN_ERR_DIMENSIONS, "input"},
	{PERIODS_AT, 0, 0, CWRNN_ERR_DIMENSIONS, "period"},
	{PERIODS_AT + 8, 1, 0, CWRNN_ERR_DIMENSIONS, "period"},  /* 1, 2, 1, 8 */
	{PERIODS_AT + 12, 0x80000000u, 0, CWRNN_ERR_DIMENSIONS, "period"},
	{36, 0xffffffffu, 0, CWRNN_ERR_DIMENSIONS, "phase"},
	{40, 0x7fc00000u, 0, CWRNN_ERR_DIMENSIONS, "sample rate"},  /* NaN */
	{40, 0x42c80000u, 0, CWRNN_ERR_DIMENSIONS, "sample rate"},  /* 100 Hz */
	{44, 0, 0, CWRNN_ERR_DIMENSIONS, "scale"},
	{48, 0x7f800000u, 0, CWRNN_ERR_DIMENSIONS, "scale"},
	{16, 2, 0, CWRNN_ERR_DIMENSIONS, "flag"},
	{16, 0x80000001u, 0, CWRNN_ERR_DIMENSIONS, "flag"},
	{16, 1, 0, CWRNN_ERR_DIMENSIONS, "skip"},  /* m = 2, p = 1 */
	{20, 3, 0, CWRNN_ERR_DIMENSIONS, "task"},
	{52, 0xffffffffu, 0, CWRNN_ERR_DIMENSIONS, "name length"},
	{56, CWRNN_SUMMARY_MAX + 1, 0, CWRNN_ERR_DIMENSIONS, "summary length"},
	{52, 1, 1, CWRNN_ERR_DIMENSIONS, "header_bytes"},
	{12, 1, 1, CWRNN_ERR_DIMENSIONS, "header_bytes"},
	{60, 1, 1, CWRNN_ERR_DIMENSIONS, "n_params"},
	{8, 7, 0, CWRNN_ERR_VERSION, "version 7 is newer"},
	{64, CWRNN_MAX_CONTROLS + 1, 0, CWRNN_ERR_DIMENSIONS, "control count"},
	{64, 1, 0, CWRNN_ERR_DIMENSIONS, "control 1 has unknown kind"},  /* reads the name */
	{68, 0x7fc00000u, 0, CWRNN_ERR_DIMENSIONS, "root note"},  /* NaN */
	{68, 0x43000000u, 0, CWRNN_ERR_DIMENSIONS, "root note"},  /* 128 */
	{68, 0xbf800000u, 0, CWRNN_ERR_DIMENSIONS, "root note"},  /* -1 */
};
enum { TAMPERINGS = sizeof tamperings / sizeof tamperings[0] };

START_TEST(tampered_header_field_is_refused_with_its_name)
{
	const tampering *t = &tamperings[_i];
	put_u32(small + t->offset, t->value + (t->add ? get_u32(small + t->offset) : 0));
	expect_resealed_refusal(small, small_size, t->status, t->needle);
}
END_TEST

/* One control field of the knob model changed (CRC fixed up): the message
 * must point at it. field is the offset inside control `which`'s record. */
typedef struct {
	int which;
	size_t field;
	const char *bytes;  /* written at the field (not its NUL), or NULL: value */
	uint32_t value;
	cwrnn_status status;
	const char *needle;
} control_tampering;

static const control_tampering control_tamperings[] = {
	{0, 0, NULL, 0, CWRNN_ERR_DIMENSIONS, "control 1 has unknown kind 0"},
	{1, 0, NULL, 5, CWRNN_ERR_DIMENSIONS, "control 2 has unknown kind 5"},
	{0, 4, "0123456789abcdef0123456789abcdef", 0, CWRNN_ERR_DIMENSIONS, "not NUL-terminated"},
	{0, 4 + 6, "x", 0, CWRNN_ERR_DIMENSIONS, "non-zero byte after"},  /* "drive\0x" */
	{0, 4, NULL, 0, CWRNN_ERR_DIMENSIONS, "control 1 has an empty name"},
	{1, 4, "drive", 0, CWRNN_ERR_DIMENSIONS, "both named 'drive'"},
	{1, 4, "to=e", 0, CWRNN_ERR_DIMENSIONS, "character"},
	{1, 4, "t ne", 0, CWRNN_ERR_DIMENSIONS, "character"},
	{0, 36, NULL, 0x41200000u, CWRNN_ERR_DIMENSIONS, "range 10..10"},    /* min = max */
	{0, 36, NULL, 0x41300000u, CWRNN_ERR_DIMENSIONS, "range 11..10"},    /* min > max */
	{0, 36, NULL, 0x7fc00000u, CWRNN_ERR_DIMENSIONS, "range nan..10"},
	{1, 40, NULL, 0x7f800000u, CWRNN_ERR_DIMENSIONS, "range -1..inf"},
	{0, 44, NULL, 0x41300000u, CWRNN_ERR_DIMENSIONS, "default 11 outside"},
	{1, 44, NULL, 0x7fc00000u, CWRNN_ERR_DIMENSIONS, "default nan"},
	{-1, 28, NULL, 1, CWRNN_ERR_DIMENSIONS, "2 controls"},  /* m = 1: more controls than inputs */
	{-1, 28, NULL, 4, CWRNN_ERR_DIMENSIONS, "audio inputs"},  /* m = 4: 2 audio, skip, p = 1 */
};
enum { CONTROL_TAMPERINGS = sizeof control_tamperings / sizeof control_tamperings[0] };

START_TEST(tampered_control_is_refused_with_its_name)
{
	const control_tampering *t = &control_tamperings[_i];
	size_t size = 0;
	unsigned char *data = knob_model_bytes(&size);
	size_t at = t->which < 0 ? t->field : CONTROLS_AT + CONTROL_BYTES * (size_t)t->which + t->field;
	if (t->bytes)
		memcpy(data + at, t->bytes, strlen(t->bytes));
	else if (t->field == 4)
		memset(data + at, 0, CWRNN_CONTROL_NAME_MAX + 1);
	else
		put_u32(data + at, t->value);
	expect_resealed_refusal(data, size, t->status, t->needle);
	free(data);
}
END_TEST

START_TEST(nul_in_name_or_summary_is_refused)
{
	small[NAME_AT + 2] = '\0';
	expect_resealed_refusal(small, small_size, CWRNN_ERR_DIMENSIONS, "name");
	small[NAME_AT + 2] = 'a';
	small[NAME_AT + 5 + 1] = '\0';  /* "small" is 5 bytes, then the summary */
	expect_resealed_refusal(small, small_size, CWRNN_ERR_DIMENSIONS, "summary");
}
END_TEST

START_TEST(flipped_weight_byte_fails_the_checksum)
{
	small[get_u32(small + 12) + 5] ^= 0x10;
	expect_refusal(small, small_size, CWRNN_ERR_CHECKSUM, "checksum");
}
END_TEST

START_TEST(nonfinite_weight_is_refused_with_its_index)
{
	size_t weights = get_u32(small + 12);
	put_u32(small + weights + 4 * 3, 0x7fc00000u);
	expect_resealed_refusal(small, small_size, CWRNN_ERR_NONFINITE, "weight 3 ");
	put_u32(small + weights + 4 * 3, 0);
	put_u32(small + small_size - 8, 0xff800000u);  /* -Inf, the last weight */
	expect_resealed_refusal(small, small_size, CWRNN_ERR_NONFINITE, "infinite");
}
END_TEST

START_TEST(trailing_byte_is_refused)
{
	unsigned char *longer = realloc(small, small_size + 1);
	ck_assert_ptr_nonnull(longer);
	small = longer;
	small[small_size] = 0;
	expect_refusal(small, small_size + 1, CWRNN_ERR_TRAILING, "trailing");
}
END_TEST

START_TEST(bad_arguments_are_refused)
{
	cwrnn_model *model = NULL;
	char msg[256] = "";
	ck_assert_int_eq(cwrnn_model_load_buffer(NULL, 10, &model, msg, sizeof msg),
	                 CWRNN_ERR_INVALID);
	ck_assert_int_eq(cwrnn_model_load_buffer("x", 1, NULL, msg, sizeof msg), CWRNN_ERR_INVALID);
	ck_assert_int_eq(cwrnn_model_load_buffer(NULL, 0, &model, NULL, 0), CWRNN_ERR_TRUNCATED);
	ck_assert_ptr_null(cwrnn_model_encode(NULL, &(size_t){0}));
	ck_assert_int_eq(cwrnn_model_save(NULL, "/tmp/x", msg, sizeof msg), CWRNN_ERR_INVALID);
}
END_TEST

START_TEST(status_strings_are_distinct_and_nonempty)
{
	for (int a = CWRNN_OK; a <= CWRNN_ERR_INVALID; a++) {
		const char *s = cwrnn_status_string((cwrnn_status)a);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_gt(strlen(s), 0);
		for (int b = CWRNN_OK; b < a; b++)
			ck_assert_str_ne(s, cwrnn_status_string((cwrnn_status)b));
	}
}
END_TEST

/* --------------------------------------------------------------------- save */

START_TEST(save_leaves_no_temporary_file)
{
	cwrnn_model *model = random_default_model(3, 2, "x", 1);
	char msg[512] = "";
	const char *path = tmp_file("m.cwrnn");
	mode_t old = umask(027); /* the saved file keeps to the user's umask */
	ck_assert_msg(cwrnn_model_save(model, path, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	umask(old);
	ck_assert_int_eq(entries_in_tmp_dir(), 1);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0640);
	cwrnn_model_free(model);
}
END_TEST

START_TEST(save_into_missing_directory_fails_and_leaves_nothing)
{
	cwrnn_model *model = random_default_model(2, 2, "", 2);
	char msg[512] = "";
	const char *path = tmp_file("missing/m.cwrnn");
	ck_assert_int_eq(cwrnn_model_save(model, path, msg, sizeof msg), CWRNN_ERR_IO);
	ck_assert_msg(strstr(msg, path) != NULL, "message \"%s\" does not name the path", msg);
	ck_assert_int_eq(entries_in_tmp_dir(), 0);
	cwrnn_model_free(model);
}
END_TEST

START_TEST(save_replaces_an_existing_file)
{
	cwrnn_model *first = random_default_model(2, 2, "first", 3);
	cwrnn_model *second = random_default_model(3, 3, "second", 4);
	char msg[512] = "";
	const char *path = tmp_file("m.cwrnn");
	ck_assert_int_eq(cwrnn_model_save(first, path, msg, sizeof msg), CWRNN_OK);
	ck_assert_int_eq(cwrnn_model_save(second, path, msg, sizeof msg), CWRNN_OK);
	cwrnn_model *back = NULL;
	ck_assert_int_eq(cwrnn_model_load(path, &back, msg, sizeof msg), CWRNN_OK);
	assert_same_model(second, back);
	ck_assert_int_eq(entries_in_tmp_dir(), 1);
	cwrnn_model_free(back);
	cwrnn_model_free(second);
	cwrnn_model_free(first);
}
END_TEST

START_TEST(save_and_encode_refuse_a_bad_model)
{
	cwrnn_model *model = random_default_model(2, 2, "", 5);
	char msg[512] = "";
	const char *path = tmp_file("m.cwrnn");
	model->params[1] = NAN;
	size_t size = 0;
	ck_assert_ptr_null(cwrnn_model_encode(model, &size));
	ck_assert_int_eq(cwrnn_model_save(model, path, msg, sizeof msg), CWRNN_ERR_NONFINITE);
	ck_assert_ptr_nonnull(strstr(msg, "weight 1"));
	model->params[1] = 0.0f;
	model->config.n_outputs = 0;
	ck_assert_ptr_null(cwrnn_model_encode(model, &size));
	ck_assert_int_eq(cwrnn_model_save(model, path, msg, sizeof msg), CWRNN_ERR_INVALID);
	ck_assert_int_eq(entries_in_tmp_dir(), 0);
	cwrnn_model_free(model);
}
END_TEST

static void
expect_load_failure(const char *path, cwrnn_status status)
{
	char msg[512] = "";
	cwrnn_model *model = NULL;
	ck_assert_int_eq(cwrnn_model_load(path, &model, msg, sizeof msg), status);
	ck_assert_ptr_null(model);
	ck_assert_msg(strncmp(msg, path, strlen(path)) == 0, "message \"%s\" does not start with %s",
	              msg, path);
}

START_TEST(loading_a_directory_or_missing_file_is_an_io_error)
{
	expect_load_failure(tmp_dir, CWRNN_ERR_IO);
	const char *path = tmp_file("absent.cwrnn");
	expect_load_failure(path, CWRNN_ERR_IO);
	path = tmp_file("fifo");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	expect_load_failure(path, CWRNN_ERR_IO);  /* refused, not blocked on */
}
END_TEST

START_TEST(oversized_file_is_refused_unread)
{
	const char *path = tmp_file("huge.cwrnn");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	/* Sparse: costs no disk; zeros would fail the magic if they were read. */
	ck_assert_int_eq(ftruncate(fd, (off_t)CWRNN_FILE_MAX_BYTES + 1), 0);
	close(fd);
	expect_load_failure(path, CWRNN_ERR_TOO_LARGE);
}
END_TEST

START_TEST(file_load_reports_content_errors_after_the_path)
{
	size_t size = 0;
	unsigned char *data = small_model_bytes(&size);
	const char *path = tmp_file("short.cwrnn");
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, size - 1, f), size - 1);
	ck_assert_int_eq(fclose(f), 0);
	expect_load_failure(path, CWRNN_ERR_TRUNCATED);
	free(data);
}
END_TEST

/* -------------------------------------------------------------- robustness */

START_TEST(random_garbage_never_loads)
{
	uint64_t s = 12345;
	unsigned char buf[600];
	for (int iter = 0; iter < 4000; iter++) {
		size_t len = (size_t)(next_random(&s) % sizeof buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = (unsigned char)next_random(&s);
		/* Half the time, a valid magic and version so the deeper checks run. */
		if (iter % 2 && len >= 12) {
			memcpy(buf, "CWRNN\r\n\x1a\x01\0\0\0", 12);
			buf[8] = (unsigned char)(1 + iter / 2 % 2);  /* versions 1 and 2 */
			if (len >= 64)
				put_u32(buf + 24, 1 + (uint32_t)(next_random(&s) % CWRNN_MAX_MODULES));
		}
		cwrnn_model *model = NULL;
		char msg[256] = "";
		ck_assert_int_ne(cwrnn_model_load_buffer(buf, len, &model, msg, sizeof msg), CWRNN_OK);
		ck_assert_ptr_null(model);
		ck_assert(msg[0] != '\0');
	}
}
END_TEST

/* Byte flips in a valid file, re-sealed half the time: whatever loads must
 * encode back to exactly the same bytes. */
START_TEST(mutated_files_load_only_if_they_round_trip)
{
	size_t size = 0;
	unsigned char *data = _i ? knob_model_bytes(&size) : small_model_bytes(&size);
	unsigned char *copy = malloc(size);
	uint64_t s = 99;
	for (int iter = 0; iter < 3000; iter++) {
		memcpy(copy, data, size);
		int flips = 1 + (int)(next_random(&s) % 4);
		for (int f = 0; f < flips; f++)
			copy[next_random(&s) % size] ^= (unsigned char)(1u << (next_random(&s) % 8));
		if (iter % 2)
			fix_crc(copy, size);
		cwrnn_model *model = NULL;
		if (cwrnn_model_load_buffer(copy, size, &model, NULL, 0) != CWRNN_OK)
			continue;
		size_t again_size = 0;
		unsigned char *again = cwrnn_model_encode(model, &again_size);
		ck_assert_ptr_nonnull(again);
		ck_assert_uint_eq(again_size, size);
		ck_assert(memcmp(again, copy, size) == 0);
		free(again);
		cwrnn_model_free(model);
	}
	free(copy);
	free(data);
}
END_TEST

Suite *
model_file_suite(void)
{
	Suite *s = suite_create("model_file");

	suite_add_tests(s, tcase_create("crc32"),
	                TESTS(crc32_matches_the_check_value, crc32_incremental_equals_one_shot));

	TCase *tc = suite_add_tests(s, tcase_create("round_trip"),
	                            TESTS(encoding_matches_the_documented_layout,
	                                  version_1_file_loads_without_controls,
	                                  committed_preset_models_load,
	                                  add_control_refuses_a_long_name_and_a_ninth_control));
	tcase_add_checked_fixture(tc, make_tmp_dir, remove_tmp_dir);
	tcase_add_loop_test(tc, version_1_spelling_loads_the_same_model, 0,
	                    LAST_CASE_WITHOUT_CONTROLS + 1);
	tcase_add_loop_test(tc, save_then_load_is_bit_exact, 0, ROUND_TRIP_CASES);
	tcase_add_loop_test(tc, encode_then_load_buffer_is_bit_exact, 0, ROUND_TRIP_CASES);

	tc = suite_add_tests(s, tcase_create("refusals"),
	                     TESTS(wrong_magic_is_refused, newer_version_is_refused,
	                           nul_in_name_or_summary_is_refused,
	                           flipped_weight_byte_fails_the_checksum,
	                           nonfinite_weight_is_refused_with_its_index, trailing_byte_is_refused,
	                           bad_arguments_are_refused, status_strings_are_distinct_and_nonempty));
	tcase_add_checked_fixture(tc, encode_small_model, free_small_model);
	tcase_add_loop_test(tc, every_truncation_is_refused_as_truncated, 0, 2);
	tcase_add_loop_test(tc, tampered_header_field_is_refused_with_its_name, 0, TAMPERINGS);
	tcase_add_loop_test(tc, tampered_control_is_refused_with_its_name, 0, CONTROL_TAMPERINGS);

	tc = suite_add_tests(s, tcase_create("files"),
	                     TESTS(save_leaves_no_temporary_file,
	                           save_into_missing_directory_fails_and_leaves_nothing,
	                           save_replaces_an_existing_file, save_and_encode_refuse_a_bad_model,
	                           loading_a_directory_or_missing_file_is_an_io_error,
	                           oversized_file_is_refused_unread,
	                           file_load_reports_content_errors_after_the_path));
	tcase_add_checked_fixture(tc, make_tmp_dir, remove_tmp_dir);

	tc = suite_add_tests(s, tcase_create("robustness"), TESTS(random_garbage_never_loads));
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, mutated_files_load_only_if_they_round_trip, 0, 2);
	return s;
}
