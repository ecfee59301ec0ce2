/*
 * Knob ports (issue 11) through lilv: a model with knob controls plays like
 * cwrnn_process fed the same control values, in mono and stereo; 50 % is the
 * model's default; knobs the model lacks change nothing; a knob jumping from
 * 0 to 100 % between two blocks makes no step larger than a bound derived
 * from the weights; the knobs are answered on the notify port; run() makes
 * no heap call (host_free checks).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/atom/util.h>

#include "check_cases.h"
#include "cwrnn.h"
#include "fixture.h"
#include "ports.h"
#include "slot.h"
#include "suites.h"
#include "uris.h"

#define RATE 48000.0
#define FADE_SAMPLES 1000 /* the 20 ms model cross-fade at 48 kHz, and some */

static char knob_model[1100]; /* tmp_dir/knobs.cwrnn, made by make_knob_model */

/* --------------------------------------------------------------- model */

/* splitmix64 uniform in [-1, 1) */
static double
uniform(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (double)(z >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

/* A small effect with two knobs, made with the engine API (no training):
 * 1 audio input + "drive" 0..10 (default 2.5, off-centre, so 50 % = default
 * is not the middle of the range) + "tone" -1..1 (default 0), skip, modules
 * of 4 units with periods 1, 2, 4. Recurrent rows sum to at most 0.4 in
 * absolute value within a module (the network settles on a fixed point for
 * constant inputs), the knob columns of W_I are large so the knobs matter. */
static void
make_knob_model(void)
{
	snprintf(knob_model, sizeof knob_model, "%s/knobs.cwrnn", tmp_dir);
	cwrnn_config cfg;
	cwrnn_config_default(&cfg, 3, 4);
	cfg.n_inputs = 1;
	cfg.task = CWRNN_TASK_TRANSFORM;
	cfg.skip = 1;
	cfg.sample_rate = (float)RATE;
	strcpy(cfg.name, "knobs");
	char msg[256] = "";
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_KNOB, "drive", 0.0f, 10.0f,
	                                          2.5f, msg, sizeof msg), 0);
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_KNOB, "tone", -1.0f, 1.0f,
	                                          0.0f, msg, sizeof msg), 0);
	cwrnn_model *m = cwrnn_model_new(&cfg, msg, sizeof msg);
	ck_assert_msg(m != NULL, "%s", msg);
	const cwrnn_layout *l = &m->layout;
	uint64_t s = 11;
	for (int i = 0; i < cfg.n_modules; i++) {
		size_t k = (size_t)cfg.sizes[i], cols = (size_t)(l->n - l->unit_offset[i]);
		for (size_t j = 0; j < k * cols; j++)
			m->params[l->w_h[i] + j] = (float)(0.1 * uniform(&s));
		for (size_t r = 0; r < k; r++) {
			float *w_i = m->params + l->w_i[i] + r * 3;
			w_i[0] = (float)(1.5 * uniform(&s)); /* audio */
			w_i[1] = (float)(2.0 * uniform(&s)); /* drive */
			w_i[2] = (float)(1.0 * uniform(&s)); /* tone */
			m->params[l->b[i] + r] = (float)(0.3 * uniform(&s));
		}
	}
	for (int u = 0; u < l->n; u++)
		m->params[l->w_o + (size_t)u] = (float)(0.5 * uniform(&s));
	m->params[l->b_o] = 0.1f;
	ck_assert_int_eq(cwrnn_model_save(m, knob_model, msg, sizeof msg), CWRNN_OK);
	cwrnn_model_free(m);
}

static cwrnn_model *
load(const char *path)
{
	char msg[512] = "";
	cwrnn_model *m = NULL;
	ck_assert_msg(cwrnn_model_load(path, &m, msg, sizeof msg) == CWRNN_OK, "%s", msg);
	return m;
}

/* The engine on a fresh state, the knobs held at drive and tone. */
static void
engine_with_knobs(const float *x, float *y, size_t n, float drive, float tone)
{
	cwrnn_model *m = load(knob_model);
	cwrnn_state *st = cwrnn_state_new(m);
	float *in = malloc(3 * n * sizeof *in);
	for (size_t t = 0; t < n; t++) {
		in[3 * t] = x[t];
		in[3 * t + 1] = drive;
		in[3 * t + 2] = tone;
	}
	cwrnn_process(st, in, y, n);
	free(in);
	cwrnn_state_free(st);
	cwrnn_model_free(m);
}

/* Two sines, f and 0.31 f radians per sample. */
static void
two_sines(float *x, size_t n, double f)
{
	for (size_t t = 0; t < n; t++)
		x[t] = (float)(0.5 * sin(f * (double)t) + 0.2 * sin(0.31 * f * (double)t));
}

/* ------------------------------------------------------ engine equivalence */

/* Knob positions and the values they must give: 50 % is the default, each
 * side is linear (drive: 0..2.5 below 50 %, 2.5..10 above). */
static const struct {
	float knob_1, knob_2, drive, tone;
} settings[] = {
	{50, 50, 2.5f, 0.0f},   /* unmoved: the model's defaults */
	{0, 0, 0.0f, -1.0f},
	{100, 100, 10.0f, 1.0f},
	{25, 75, 1.25f, 0.5f},
	{75, 25, 6.25f, -0.5f},
};
enum { N_SETTINGS = sizeof settings / sizeof settings[0] };

START_TEST(knob_model_plays_like_the_engine_fed_the_same_values)
{
	make_knob_model();
	int stereo = _i >= N_SETTINGS;
	int which = _i % N_SETTINGS;
	static float x[2][N_SIG], y[2][N_SIG], ref[N_SIG];
	two_sines(x[0], N_SIG, 0.021);
	two_sines(x[1], N_SIG, 0.047);
	lh_host *h = host_open(stereo ? CW_URI_STEREO : CW_URI_MONO, RATE, LH_ALL);
	ck_assert_int_eq(lh_set_control(h, "knob_1", settings[which].knob_1), 0);
	ck_assert_int_eq(lh_set_control(h, "knob_2", settings[which].knob_2), 0);
	load_by_patch(h, knob_model);
	const float *in[2] = {x[0], x[1]};
	float *out[2] = {y[0], y[1]};
	const uint32_t blocks[] = {64, 1, 333, 0, 1024};
	lh_run_blocks(h, in, out, N_SIG, blocks, 5);
	for (int c = 0; c < (stereo ? 2 : 1); c++) {
		engine_with_knobs(x[c], ref, N_SIG, settings[which].drive, settings[which].tone);
		double d = max_diff(y[c] + FADE_SAMPLES, ref + FADE_SAMPLES, N_SIG - FADE_SAMPLES);
		ck_assert_msg(d <= 1e-6, "%s channel %d, knobs %g %% %g %%: off the engine by %g",
		              stereo ? "stereo" : "mono", c, settings[which].knob_1,
		              settings[which].knob_2, d);
	}
	host_free(h);
}
END_TEST

/* The output moves with the knob (else the equivalence above proves little),
 * and Knobs 3 and 4, which this model lacks, change nothing. */
START_TEST(output_moves_with_knob_1_and_not_with_knobs_the_model_lacks)
{
	make_knob_model();
	static float x[N_SIG], y[3][N_SIG];
	two_sines(x, N_SIG, 0.021);
	const float k1[3] = {0, 100, 0}, k34[3] = {50, 50, 100};
	for (int r = 0; r < 3; r++) {
		lh_host *h = host_open(CW_URI_MONO, RATE, LH_ALL);
		lh_set_control(h, "knob_1", k1[r]);
		lh_set_control(h, "knob_3", k34[r]);
		lh_set_control(h, "knob_4", 100 - k34[r]);
		load_by_patch(h, knob_model);
		const float *in[1] = {x};
		float *out[1] = {y[r]};
		const uint32_t blocks[] = {512};
		lh_run_blocks(h, in, out, N_SIG, blocks, 1);
		host_free(h);
	}
	double moved = max_diff(y[0] + FADE_SAMPLES, y[1] + FADE_SAMPLES, N_SIG - FADE_SAMPLES);
	ck_assert_msg(moved > 0.1, "knob 1 from 0 to 100 %% moves the output by only %g", moved);
	ck_assert_msg(max_diff(y[0], y[2], N_SIG) == 0.0, "knobs 3 and 4 changed the output");
}
END_TEST

/* A model without knobs (the bundled default) ignores every knob. */
START_TEST(a_model_without_knobs_ignores_them)
{
	static float x[N_SIG], y[2][N_SIG];
	two_sines(x, N_SIG, 0.021);
	for (int r = 0; r < 2; r++) {
		lh_host *h = host_open(CW_URI_MONO, RATE, LH_ALL);
		for (int k = 1; k <= CW_N_KNOB_PORTS; k++) {
			char sym[16];
			snprintf(sym, sizeof sym, "knob_%d", k);
			lh_set_control(h, sym, r ? 100.0f : 0.0f);
		}
		const float *in[1] = {x};
		float *out[1] = {y[r]};
		const uint32_t blocks[] = {256};
		lh_run_blocks(h, in, out, N_SIG, blocks, 1);
		host_free(h);
	}
	ck_assert(max_diff(y[0], y[1], N_SIG) == 0.0);
}
END_TEST

/* The mapping on its own: 50 % is the default when it lies inside the
 * range; a default at an end maps the travel linearly (no dead half). */
START_TEST(knob_positions_map_onto_the_range_around_the_default)
{
	const cwrnn_control inside = {CWRNN_CONTROL_KNOB, "drive", 0.0f, 10.0f, 2.5f};
	const cwrnn_control at_min = {CWRNN_CONTROL_KNOB, "gain", -6.0f, 6.0f, -6.0f};
	const cwrnn_control at_max = {CWRNN_CONTROL_KNOB, "tone", 0.0f, 1.0f, 1.0f};
	const float pos[] = {-1.0f, 0.0f, 0.25f, 0.5f, 0.75f, 1.0f, 2.0f};
	const float want_inside[] = {0.0f, 0.0f, 1.25f, 2.5f, 6.25f, 10.0f, 10.0f};
	const float want_min[] = {-6.0f, -6.0f, -3.0f, 0.0f, 3.0f, 6.0f, 6.0f};
	const float want_max[] = {0.0f, 0.0f, 0.25f, 0.5f, 0.75f, 1.0f, 1.0f};
	for (size_t i = 0; i < sizeof pos / sizeof *pos; i++) {
		ck_assert_float_eq(cw_knob_value(&inside, pos[i]), want_inside[i]);
		ck_assert_float_eq(cw_knob_value(&at_min, pos[i]), want_min[i]);
		ck_assert_float_eq(cw_knob_value(&at_max, pos[i]), want_max[i]);
	}
}
END_TEST

/* ------------------------------------------------------------- the sweep */

/* Largest row sum of |W| over rows r of a row-major block, columns c0..c1-1. */
static double
row_sum_max(const float *w, int rows, int stride, int c0, int c1)
{
	double worst = 0;
	for (int r = 0; r < rows; r++) {
		double s = 0;
		for (int c = c0; c < c1; c++)
			s += fabs(w[(size_t)r * stride + c]);
		worst = fmax(worst, s);
	}
	return worst;
}

/*
 * The bound on the output step when knob `knob` (network input `input`)
 * moves its normalised value u by at most s per sample, the audio input is
 * silent and the other inputs hold still, starting from a fixed point.
 *
 * Module i (period T_i, hidden values h_i) only changes when it ticks. Let
 * D_i bound the change of h_i between two consecutive ticks. Between its
 * ticks (T_i samples) u moves by at most T_i s, each slower module j > i
 * ticks at most once (periods 1, 2, 4: T_j is a multiple of T_i), changing
 * by at most D_j, and h_i itself changed by at most D_i at its last tick.
 * tanh is 1-Lipschitz, so with row sums of absolute weights (∞-norms)
 *   D_i <= |W_I[i][:, input]| T_i s + |W_H[i][i]| D_i + Σ_{j>i} |W_H[i][j]| D_j,
 * which, from the slowest module down and with |W_H[i][i]| < 1, gives
 *   D_i <= (|W_I[i][:, input]| T_i s + Σ_{j>i} |W_H[i][j]| D_j) / (1 - |W_H[i][i]|).
 * At a sample where module i ticks its units move by at most D_i, so the
 * output y = out_scale (W_O h + b_O) (+ silent skip) steps by at most
 *   B = |out_scale| Σ_i (Σ_{u in module i} |W_O[u]|) D_i.
 */
static double
step_bound(const cwrnn_model *m, int input, double s)
{
	const cwrnn_config *cfg = &m->config;
	const cwrnn_layout *l = &m->layout;
	double d[CWRNN_MAX_MODULES] = {0}, bound = 0;
	for (int i = cfg->n_modules - 1; i >= 0; i--) {
		int k = cfg->sizes[i], stride = l->n - l->unit_offset[i];
		const float *w_h = m->params + l->w_h[i];
		double self = row_sum_max(w_h, k, stride, 0, k);
		ck_assert_msg(self < 1.0, "module %d is not contractive (%g)", i, self);
		double drive = row_sum_max(m->params + l->w_i[i], k, cfg->n_inputs, input, input + 1) *
		               cfg->periods[i] * s;
		for (int j = i + 1; j < cfg->n_modules; j++) {
			int c0 = l->unit_offset[j] - l->unit_offset[i];
			drive += row_sum_max(w_h, k, stride, c0, c0 + cfg->sizes[j]) * d[j];
		}
		d[i] = drive / (1.0 - self);
		double w_o = 0;
		for (int u = l->unit_offset[i]; u < l->unit_offset[i + 1]; u++)
			w_o += fabs(m->params[l->w_o + (size_t)u]);
		bound += fabs(cfg->out_scale) * w_o * d[i];
	}
	return bound;
}

static double
max_step(const float *y, size_t from, size_t to)
{
	double worst = 0;
	for (size_t t = from + 1; t < to; t++)
		worst = fmax(worst, fabs((double)y[t] - y[t - 1]));
	return worst;
}

#define SETTLE 48000
#define SWEEP 12000

START_TEST(knob_jump_within_one_block_steps_less_than_the_bound)
{
	make_knob_model();
	cwrnn_model *m = load(knob_model);
	/* Per sample the smoothed position moves by at most a (ports.h), and
	 * the drive knob's value, normalised to 0..1, by at most slope * a:
	 * 50 % is the default 2.5 (0.25 of the range), so below 50 % the slope
	 * is 2 * 0.25 and above it 2 * 0.75. */
	const double a = 1.0 - exp(-1.0 / (CW_SMOOTH_SECONDS * RATE));
	const double bound = step_bound(m, 1, 2.0 * 0.75 * a);

	static float y[SETTLE + SWEEP];
	lh_host *h = host_open(CW_URI_MONO, RATE, LH_ALL);
	lh_set_control(h, "knob_1", 0.0f);
	load_by_patch(h, knob_model);
	float *out[1] = {y};
	const uint32_t blocks[] = {256};
	lh_run_blocks(h, NULL, out, SETTLE, blocks, 1);
	double settled = max_step(y, SETTLE - 1000, SETTLE);
	ck_assert_msg(settled < 1e-6, "not settled before the jump: steps of %g", settled);
	lh_set_control(h, "knob_1", 100.0f); /* 0 -> 100 % from one block to the next */
	out[0] = y + SETTLE;
	lh_run_blocks(h, NULL, out, SWEEP, blocks, 1);
	host_free(h);

	double plugin = max_step(y, SETTLE - 1, SETTLE + SWEEP);
	double moved = fabs((double)y[SETTLE + SWEEP - 1] - y[SETTLE - 1]);

	/* The same jump without smoothing, in the engine: what the bound
	 * prevents (otherwise the bound would be too loose to mean anything). */
	cwrnn_state *st = cwrnn_state_new(m);
	float in[3] = {0.0f, 0.0f, 0.0f}, prev = 0.0f, out1 = 0.0f;
	for (int t = 0; t < SETTLE; t++)
		cwrnn_step(st, in, &prev);
	in[1] = 10.0f;
	double raw = 0;
	for (int t = 0; t < 8; t++, prev = out1) {
		cwrnn_step(st, in, &out1);
		raw = fmax(raw, fabs((double)out1 - prev));
	}
	cwrnn_state_free(st);
	cwrnn_model_free(m);

	if (getenv("CW_TEST_VERBOSE"))
		fprintf(stderr, "knob jump: plugin step %g, bound %g, unsmoothed %g, moved %g\n",
		        plugin, bound, raw, moved);
	ck_assert_msg(moved > 0.05, "the knob moved the output by only %g", moved);
	ck_assert_msg(raw > bound, "the bound %g is looser than an unsmoothed jump (%g)", bound, raw);
	ck_assert_msg(plugin <= bound, "step %g after the knob jump exceeds the bound %g", plugin,
	              bound);
}
END_TEST

/* ---------------------------------------------------------------- notify */

typedef struct {
	char label[64], symbol[16];
	float min, max, def;
} knob_seen;

static float
float_of(const LV2_Atom *a, LV2_URID atom_Float)
{
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->type, atom_Float);
	return ((const LV2_Atom_Float *)a)->body;
}

static void
string_of(const LV2_Atom *a, LV2_URID atom_String, char *out, size_t len)
{
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->type, atom_String);
	snprintf(out, len, "%s", (const char *)LV2_ATOM_BODY_CONST(a));
}

/* The knobs of the last patch:Set cwrnn:knobs on notify; -1 if none. */
static int
notified_knobs(lh_host *h, knob_seen *k, int max)
{
	LV2_URID set = lh_map(h, LV2_PATCH__Set), property = lh_map(h, LV2_PATCH__property);
	LV2_URID value = lh_map(h, LV2_PATCH__value), knobs = lh_map(h, CW_URI_KNOBS);
	LV2_URID tuple = lh_map(h, LV2_ATOM__Tuple), knob = lh_map(h, CW_URI_KNOB);
	LV2_URID flt = lh_map(h, LV2_ATOM__Float), str = lh_map(h, LV2_ATOM__String);
	LV2_URID label = lh_map(h, CW_URI_RDFS_LABEL), symbol = lh_map(h, LV2_CORE__symbol);
	LV2_URID min = lh_map(h, LV2_CORE__minimum), maxi = lh_map(h, LV2_CORE__maximum);
	LV2_URID def = lh_map(h, LV2_CORE__default);
	const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h->atom_out_buf;
	int n = -1;
	LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
		const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&ev->body;
		if (!lv2_atom_forge_is_object_type(&h->forge, ev->body.type) ||
		    obj->body.otype != set)
			continue;
		const LV2_Atom *p = NULL, *v = NULL;
		lv2_atom_object_get(obj, property, &p, value, &v, 0);
		if (!p || ((const LV2_Atom_URID *)p)->body != knobs)
			continue;
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(v->type, tuple);
		n = 0;
		LV2_ATOM_TUPLE_FOREACH ((const LV2_Atom_Tuple *)v, el) {
			ck_assert_int_lt(n, max);
			const LV2_Atom_Object *o = (const LV2_Atom_Object *)el;
			ck_assert_uint_eq(o->body.otype, knob);
			const LV2_Atom *l = NULL, *s = NULL, *lo = NULL, *hi = NULL, *d = NULL;
			lv2_atom_object_get(o, label, &l, symbol, &s, min, &lo, maxi, &hi, def, &d, 0);
			string_of(l, str, k[n].label, sizeof k[n].label);
			k[n].symbol[0] = '\0'; /* "": no lv2:symbol, the knob has no port */
			if (s)
				string_of(s, str, k[n].symbol, sizeof k[n].symbol);
			k[n].min = float_of(lo, flt);
			k[n].max = float_of(hi, flt);
			k[n].def = float_of(d, flt);
			n++;
		}
	}
	return n;
}

START_TEST(knobs_are_notified_after_a_load_and_answered_to_patch_get)
{
	make_knob_model();
	knob_seen k[8];
	lh_host *h = host_open(CW_URI_STEREO, RATE, LH_ALL);
	ck_assert_int_eq(lh_send_get(h, 0), 0);
	lh_run(h, NULL, NULL, 16);
	ck_assert_int_eq(notified_knobs(h, k, 8), 0); /* the default model: no knobs */
	load_by_patch(h, knob_model);
	lh_run(h, NULL, NULL, 16);                    /* the swap is notified */
	for (int pass = 0; pass < 2; pass++) {
		ck_assert_int_eq(notified_knobs(h, k, 8), 2);
		ck_assert_str_eq(k[0].label, "drive");
		ck_assert_str_eq(k[0].symbol, "knob_1");
		ck_assert(k[0].min == 0.0f && k[0].max == 10.0f && k[0].def == 2.5f);
		ck_assert_str_eq(k[1].label, "tone");
		ck_assert_str_eq(k[1].symbol, "knob_2");
		ck_assert(k[1].min == -1.0f && k[1].max == 1.0f && k[1].def == 0.0f);
		lh_run(h, NULL, NULL, 16);
		ck_assert_int_eq(notified_knobs(h, k, 8), -1); /* said once, not every run */
		ck_assert_int_eq(lh_send_get(h, 3), 0);
		lh_run(h, NULL, NULL, 16);
	}
	host_free(h);
}
END_TEST

/* The instrument has no knob ports: it names a model's knobs without a
 * port symbol. */
START_TEST(the_instrument_notifies_knobs_without_port_symbols)
{
	char path[1100];
	make_instrument(path, sizeof path, "knobbed", 3, RATE, 33);
	knob_seen k[8];
	lh_host *h = host_open(CW_URI_INSTRUMENT, RATE, LH_ALL);
	load_by_patch(h, path);
	lh_run(h, NULL, NULL, 16);
	ck_assert_int_eq(notified_knobs(h, k, 8), 1);
	ck_assert_str_eq(k[0].label, "tone");
	ck_assert_str_eq(k[0].symbol, "");
	host_free(h);
}
END_TEST

void
knobs_tcases(Suite *s)
{
	TCase *tc = fixture_tcase("knobs");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, knob_model_plays_like_the_engine_fed_the_same_values, 0,
	                    2 * N_SETTINGS);
	suite_add_tests(s, tc, TESTS(output_moves_with_knob_1_and_not_with_knobs_the_model_lacks,
	                             a_model_without_knobs_ignores_them,
	                             knob_positions_map_onto_the_range_around_the_default,
	                             knob_jump_within_one_block_steps_less_than_the_bound,
	                             knobs_are_notified_after_a_load_and_answered_to_patch_get,
	                             the_instrument_notifies_knobs_without_port_symbols));
}
