/* Inference: the engine against the paper's equations written the naive way,
 * the clock, blocks versus single steps, NaN recovery, and no heap calls. */
#include <check.h>
#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "fixtures.h"
#include "heap_count.h"
#include "suites.h"

/* ------------------------------------------------ the naive reference */

/* Full matrices, a block mask, double precision, DESIGN.md §1 literally. */
typedef struct {
	int n, m, p, g;
	int module_of[CWRNN_MAX_UNITS];
	double *w_h, *w_i, *b, *w_o, *b_o; /* (n,n) masked, (n,m), (n), (p,n), (p) */
	double *h;                          /* (n) */
} reference;

static void
reference_init(reference *ref, const cwrnn_model *model)
{
	const cwrnn_config *cfg = &model->config;
	const cwrnn_layout *L = &model->layout;
	int n = L->n, m = cfg->n_inputs, p = cfg->n_outputs;
	*ref = (reference){.n = n, .m = m, .p = p, .g = cfg->n_modules};
	ref->w_h = calloc((size_t)n * n, sizeof(double));
	ref->w_i = calloc((size_t)n * m + 1, sizeof(double));
	ref->b = calloc((size_t)n, sizeof(double));
	ref->w_o = calloc((size_t)p * n, sizeof(double));
	ref->b_o = calloc((size_t)p, sizeof(double));
	ref->h = calloc((size_t)n, sizeof(double));
	for (int i = 0; i < cfg->n_modules; i++)
		for (int r = 0; r < cfg->sizes[i]; r++) {
			int row = L->unit_offset[i] + r;
			ref->module_of[row] = i;
			for (int c = 0; c < n; c++) {
				/* The mask: module i reads modules j >= i only. */
				if (c >= L->unit_offset[i])
					ref->w_h[(size_t)row * n + c] =
					    model->params[L->w_h[i] + (size_t)r * (n - L->unit_offset[i]) +
					                  (size_t)(c - L->unit_offset[i])];
			}
			for (int c = 0; c < m; c++)
				ref->w_i[(size_t)row * m + c] = model->params[L->w_i[i] + (size_t)r * m + c];
			ref->b[row] = model->params[L->b[i] + (size_t)r];
		}
	for (size_t q = 0; q < (size_t)p * n; q++)
		ref->w_o[q] = model->params[L->w_o + q];
	for (int o = 0; o < p; o++)
		ref->b_o[o] = model->params[L->b_o + (size_t)o];
}

static void
reference_free(reference *ref)
{
	free(ref->w_h);
	free(ref->w_i);
	free(ref->b);
	free(ref->w_o);
	free(ref->b_o);
	free(ref->h);
}

static void
reference_step(reference *ref, const cwrnn_config *cfg, const uint32_t *periods, uint64_t t,
               const float *in, double *out)
{
	int n = ref->n;
	double *next = calloc((size_t)n, sizeof(double)), x[CWRNN_MAX_INPUTS];
	for (int c = 0; c < ref->m; c++) {
		double gain, offset;
		cwrnn_input_affine(cfg, c, &gain, &offset);
		x[c] = gain * in[c] + offset;
	}
	for (int u = 0; u < n; u++) {
		int i = ref->module_of[u];
		if ((t + cfg->phase) % periods[i] != 0) {
			next[u] = ref->h[u];
			continue;
		}
		double a = ref->b[u];
		for (int c = 0; c < ref->m; c++)
			a += ref->w_i[(size_t)u * ref->m + c] * x[c];
		for (int c = 0; c < n; c++)
			a += ref->w_h[(size_t)u * n + c] * ref->h[c];
		next[u] = tanh(a);
	}
	memcpy(ref->h, next, (size_t)n * sizeof(double));
	free(next);
	for (int o = 0; o < ref->p; o++) {
		double y = ref->b_o[o];
		for (int c = 0; c < n; c++)
			y += ref->w_o[(size_t)o * n + c] * ref->h[c];
		out[o] = cfg->out_scale * y + (cfg->skip ? in[o] : 0.0); /* audio inputs come first */
	}
}

/* ------------------------------------------------ the ISA paths */

/* Every kernel name CWRNN_ISA accepts. */
static const char *const ISAS[] = {"generic", "sse2", "avx2", "avx512"};
enum { N_ISAS = sizeof ISAS / sizeof ISAS[0] };

/* Forces the kernel of the states created from now on; returns whether
 * this build and CPU run it (else the state falls back to another path,
 * which the other iterations cover). */
static int
use_isa(const char *isa, const cwrnn_model *model)
{
	setenv("CWRNN_ISA", isa, 1);
	cwrnn_state *probe = cwrnn_state_new(model);
	int runs = strcmp(cwrnn_state_isa(probe), isa) == 0;
	cwrnn_state_free(probe);
	return runs;
}

static void
use_default_isa(void)
{
	unsetenv("CWRNN_ISA");
}

/* Engine against reference: the largest difference in outputs and hidden
 * state, relative to max(|reference|, 1) (hidden values are within ±1, so
 * there it is the absolute difference). */
typedef struct {
	const uint32_t *overrides; /* NULL: none */
	const uint32_t *later;     /* overrides set live before step `at` (NULL: none) */
	int at;
	int steps;
	float amp;    /* input amplitude (controls get their own range) */
	double sigma; /* weights' standard deviation (0: 0.4) */
} run_plan;

static double
relative_difference(double engine, double expected)
{
	return fabs(engine - expected) / fmax(fabs(expected), 1.0);
}

static void
fill_inputs(const cwrnn_config *cfg, float *in, float amp, uint64_t seed)
{
	int audio = cfg->n_inputs - cfg->n_controls;
	fixture_fill(in, (size_t)cfg->n_inputs, amp, seed);
	for (int c = 0; c < cfg->n_controls; c++) {
		const cwrnn_control *ctl = &cfg->controls[c];
		float u = 0.5f + 0.5f * in[audio + c] / amp; /* 0..1 */
		in[audio + c] = ctl->min + u * (ctl->max - ctl->min);
	}
}

static double
model_difference(const cwrnn_model *model, const run_plan *plan, uint64_t seed)
{
	const cwrnn_config *cfg = &model->config;
	cwrnn_state *state = cwrnn_state_new(model);
	reference ref;
	reference_init(&ref, model);
	uint32_t periods[CWRNN_MAX_MODULES];
	for (int i = 0; i < cfg->n_modules; i++) {
		uint32_t o = plan->overrides ? plan->overrides[i] : 0;
		periods[i] = o ? o : cfg->periods[i];
		cwrnn_state_set_period(state, i, o);
	}
	float in[CWRNN_MAX_INPUTS] = {0}, out[CWRNN_MAX_OUTPUTS];
	double ref_out[CWRNN_MAX_OUTPUTS], worst = 0.0;
	for (int t = 0; t < plan->steps; t++) {
		if (plan->later && t == plan->at)
			for (int i = 0; i < cfg->n_modules; i++) {
				periods[i] = plan->later[i] ? plan->later[i] : cfg->periods[i];
				cwrnn_state_set_period(state, i, plan->later[i]);
			}
		fill_inputs(cfg, in, plan->amp, seed * 100003 + (uint64_t)t);
		cwrnn_step(state, in, out);
		reference_step(&ref, cfg, periods, (uint64_t)t, in, ref_out);
		for (int o = 0; o < cfg->n_outputs; o++)
			worst = fmax(worst, relative_difference(out[o], ref_out[o]));
		const float *h = cwrnn_state_hidden(state);
		for (int u = 0; u < ref.n; u++)
			worst = fmax(worst, relative_difference(h[u], ref.h[u]));
	}
	ck_assert_uint_eq(cwrnn_state_nonfinite_events(state), 0);
	reference_free(&ref);
	cwrnn_state_free(state);
	return worst;
}

/* The largest difference over every ISA path this machine runs. */
static double
max_difference_plan(const cwrnn_config *cfg, const run_plan *plan, uint64_t seed)
{
	cwrnn_model *model = fixture_model(cfg, plan->sigma > 0 ? plan->sigma : 0.4, seed);
	double worst = 0.0;
	for (int a = 0; a < N_ISAS; a++)
		if (use_isa(ISAS[a], model)) {
			double d = model_difference(model, plan, seed);
			ck_assert_msg(d <= 1e-5, "%s: max relative difference %g", ISAS[a], d);
			worst = fmax(worst, d);
		}
	use_default_isa();
	cwrnn_model_free(model);
	return worst;
}

enum { REFERENCE_STEPS = 10000 };

static double
max_difference(const cwrnn_config *cfg, const uint32_t *overrides, int steps, uint64_t seed)
{
	run_plan plan = {.overrides = overrides, .steps = steps, .amp = 1.0f};
	return max_difference_plan(cfg, &plan, seed);
}

START_TEST(forward_matches_reference_with_exponential_periods)
{
	int sizes[] = {4, 4, 4, 4, 4, 4};
	uint32_t periods[] = {1, 2, 4, 8, 16, 32};
	cwrnn_config cfg = fixture_config(6, sizes, periods, 0, 1);
	double d = max_difference(&cfg, NULL, REFERENCE_STEPS, 1);
	ck_assert_msg(d < 1e-5, "max difference %g", d);
}
END_TEST

START_TEST(forward_matches_reference_with_odd_periods_and_inputs)
{
	int sizes[] = {3, 5, 2, 4};
	uint32_t periods[] = {1, 3, 5, 7};
	cwrnn_config cfg = fixture_config(4, sizes, periods, 2, 2);
	cfg.in_scale = 0.7f;
	cfg.out_scale = 1.3f;
	double d = max_difference(&cfg, NULL, REFERENCE_STEPS, 2);
	ck_assert_msg(d < 1e-5, "max difference %g", d);
}
END_TEST

START_TEST(forward_matches_reference_with_phase_and_skip)
{
	int sizes[] = {4, 3, 3};
	uint32_t periods[] = {2, 4, 8};
	cwrnn_config cfg = fixture_config(3, sizes, periods, 1, 1);
	cfg.phase = 5;
	cfg.skip = 1;
	double d = max_difference(&cfg, NULL, REFERENCE_STEPS, 3);
	ck_assert_msg(d < 1e-5, "max difference %g", d);
}
END_TEST

START_TEST(forward_matches_reference_with_velocity_and_gate)
{
	/* an instrument: no audio, velocity 1..127 and gate 0..1 */
	int sizes[] = {3, 3, 2, 2};
	uint32_t periods[] = {1, 2, 4, 8};
	cwrnn_config cfg = fixture_config(4, sizes, periods, 0, 2);
	cfg.in_scale = 3.0f; /* must not touch controls */
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_VELOCITY, "velocity", 1.0f,
	                                          127.0f, 100.0f, NULL, 0), 0);
	ck_assert_int_eq(cwrnn_config_add_control(&cfg, CWRNN_CONTROL_GATE, "gate", 0.0f, 1.0f,
	                                          1.0f, NULL, 0), 0);
	ck_assert_int_eq(cwrnn_config_check(&cfg, NULL, 0), 0);
	double d = max_difference(&cfg, NULL, 250, 6);
	ck_assert_msg(d < 1e-5, "max difference %g", d);
}
END_TEST

START_TEST(forward_matches_reference_with_overridden_periods)
{
	int sizes[] = {4, 4, 4, 4};
	uint32_t periods[] = {1, 2, 4, 8};
	uint32_t overrides[] = {3, 0, 1, 11}; /* a slow module made fastest */
	cwrnn_config cfg = fixture_config(4, sizes, periods, 1, 1);
	double d = max_difference(&cfg, overrides, REFERENCE_STEPS, 4);
	ck_assert_msg(d < 1e-5, "max difference %g", d);
}
END_TEST

START_TEST(forward_matches_reference_with_live_overrides_and_phase)
{
	/* Powers of two (the prefix schedule), then odd periods set live (the
	 * next-tick schedule), then powers of two out of order, then back. */
	int sizes[] = {5, 3, 6, 4, 2};
	uint32_t periods[] = {1, 2, 4, 8, 16};
	cwrnn_config cfg = fixture_config(5, sizes, periods, 1, 2);
	cfg.phase = 7;
	uint32_t odd[] = {2, 3, 1, 7, 13}, unordered[] = {4, 1, 16, 2, 0};
	run_plan plan = {.steps = 4000, .amp = 1.0f, .later = odd, .at = 1234};
	max_difference_plan(&cfg, &plan, 5);
	run_plan second = {.overrides = odd, .later = unordered, .at = 3001, .steps = 6000,
	                   .amp = 1.0f};
	max_difference_plan(&cfg, &second, 6);
	run_plan third = {.overrides = unordered, .later = periods, .at = 5000,
	                  .steps = REFERENCE_STEPS, .amp = 1.0f};
	max_difference_plan(&cfg, &third, 7);
}
END_TEST

START_TEST(forward_matches_reference_with_controls)
{
	/* One audio input with a skip connection, then a knob and a gate: the
	 * network sees the controls mapped onto 0..1. */
	int sizes[] = {6, 6, 6, 6};
	uint32_t periods[] = {1, 2, 4, 8};
	cwrnn_config cfg = fixture_config(4, sizes, periods, 3, 1);
	cfg.n_controls = 2;
	cfg.skip = 1;
	cfg.in_scale = 0.8f;
	cfg.controls[0] = (cwrnn_control){CWRNN_CONTROL_KNOB, "drive", 0.0f, 10.0f, 5.0f};
	cfg.controls[1] = (cwrnn_control){CWRNN_CONTROL_GATE, "gate", 0.0f, 1.0f, 0.0f};
	run_plan plan = {.steps = REFERENCE_STEPS, .amp = 0.7f};
	max_difference_plan(&cfg, &plan, 8);
}
END_TEST

START_TEST(forward_matches_reference_for_a_128_unit_effect)
{
	/* Rows beyond one register chunk, 16-unit modules; weights scaled as a
	 * trained model's are (0.4 would make 128 units chaotic, where float and
	 * double part ways whatever the kernel). */
	int sizes[] = {16, 16, 16, 16, 16, 16, 16, 16};
	uint32_t periods[] = {1, 2, 4, 8, 16, 32, 64, 128};
	cwrnn_config cfg = fixture_config(8, sizes, periods, 1, 1);
	cfg.skip = 1;
	run_plan plan = {.steps = REFERENCE_STEPS, .amp = 0.5f, .sigma = 0.08};
	max_difference_plan(&cfg, &plan, 9);
}
END_TEST

START_TEST(every_bundled_model_matches_reference)
{
	/* The models the plugin ships, as trained, on every path; then one of
	 * them with an odd phase and odd live overrides. */
	glob_t found;
	ck_assert_int_eq(glob("presets/models/*.cwrnn", 0, NULL, &found), 0);
	ck_assert_uint_gt(found.gl_pathc, 0);
	for (size_t f = 0; f < found.gl_pathc; f++) {
		cwrnn_model *model;
		char msg[256];
		ck_assert_msg(cwrnn_model_load(found.gl_pathv[f], &model, msg, sizeof msg) == CWRNN_OK,
		              "%s", msg);
		run_plan plan = {.steps = REFERENCE_STEPS, .amp = 0.5f};
		uint32_t odd[CWRNN_MAX_MODULES];
		for (int i = 0; i < model->config.n_modules; i++)
			odd[i] = 3 + 2 * (uint32_t)i;
		run_plan live = {.steps = REFERENCE_STEPS, .amp = 0.5f, .later = odd, .at = 777};
		for (int a = 0; a < N_ISAS; a++) {
			if (!use_isa(ISAS[a], model))
				continue;
			double d = model_difference(model, &plan, 10 + f);
			ck_assert_msg(d <= 1e-5, "%s on %s: max relative difference %g",
			              found.gl_pathv[f], ISAS[a], d);
			if (f == 0) {
				model->config.phase = 5;
				d = model_difference(model, &live, 20 + f);
				model->config.phase = 0;
				ck_assert_msg(d <= 1e-5, "%s on %s with phase and overrides: %g",
				              found.gl_pathv[f], ISAS[a], d);
			}
		}
		use_default_isa();
		cwrnn_model_free(model);
	}
	globfree(&found);
}
END_TEST

START_TEST(isa_paths_this_machine_has_are_chosen_when_forced)
{
	int sizes[] = {4};
	uint32_t periods[] = {1};
	cwrnn_config cfg = fixture_config(1, sizes, periods, 0, 1);
	cwrnn_model *model = fixture_model(&cfg, 0.4, 30);
	ck_assert(use_isa("generic", model));
#if defined(__x86_64__)
	ck_assert(use_isa("sse2", model));
	__builtin_cpu_init();
	ck_assert_int_eq(use_isa("avx2", model),
	                 __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"));
#endif
	/* Unknown names run the best path there is, as an unset variable does. */
	use_default_isa();
	cwrnn_state *best = cwrnn_state_new(model);
	setenv("CWRNN_ISA", "no-such-isa", 1);
	cwrnn_state *fallback = cwrnn_state_new(model);
	ck_assert_str_eq(cwrnn_state_isa(fallback), cwrnn_state_isa(best));
	use_default_isa();
	cwrnn_state_free(best);
	cwrnn_state_free(fallback);
	cwrnn_model_free(model);
}
END_TEST

/* ------------------------------------------------------------ the clock */

/* One unit per module that reads only the input (weight 1): fed a new
 * value every step, h_i changes exactly when module i runs. */
static cwrnn_model *
tick_probe_model(int g, const uint32_t *periods, uint32_t phase)
{
	int sizes[CWRNN_MAX_MODULES];
	for (int i = 0; i < g; i++)
		sizes[i] = 1;
	cwrnn_config cfg = fixture_config(g, sizes, periods, 1, 1);
	cfg.phase = phase;
	cwrnn_model *model = cwrnn_model_new(&cfg, NULL, 0);
	for (int i = 0; i < g; i++)
		model->params[model->layout.w_i[i]] = 1.0f;
	return model;
}

static int
ran(const cwrnn_state *state, const float *before, int i)
{
	return cwrnn_state_hidden(state)[i] != before[i];
}

static void
assert_schedule(cwrnn_state *state, const uint32_t *periods, uint32_t phase, int steps)
{
	int g = cwrnn_state_model(state)->config.n_modules;
	float before[CWRNN_MAX_MODULES], out;
	for (int s = 0; s < steps; s++) {
		uint64_t t = cwrnn_state_time(state);
		float in = 0.01f * (float)(t % 80) - 0.4f; /* never repeats back to back */
		memcpy(before, cwrnn_state_hidden(state), (size_t)g * sizeof(float));
		cwrnn_step(state, &in, &out);
		for (int i = 0; i < g; i++)
			ck_assert_msg(ran(state, before, i) == ((t + phase) % periods[i] == 0),
			              "module %d at t=%lu (period %u)", i, (unsigned long)t, periods[i]);
	}
}

START_TEST(clock_runs_module_when_t_plus_phase_divides_period)
{
	uint32_t periods[] = {1, 2, 4, 8, 16};
	for (uint32_t phase = 0; phase < 3; phase++) {
		cwrnn_model *model = tick_probe_model(5, periods, phase);
		cwrnn_state *state = cwrnn_state_new(model);
		assert_schedule(state, periods, phase, 40);
		cwrnn_state_free(state);
		cwrnn_model_free(model);
	}
}
END_TEST

START_TEST(clock_follows_overrides_from_the_next_step)
{
	uint32_t periods[] = {1, 2, 4, 8};
	cwrnn_model *model = tick_probe_model(4, periods, 1);
	cwrnn_state *state = cwrnn_state_new(model);
	assert_schedule(state, periods, 1, 13);
	uint32_t changed[] = {5, 2, 1, 3};
	cwrnn_state_set_period(state, 0, 5);
	cwrnn_state_set_period(state, 2, 1);
	cwrnn_state_set_period(state, 3, 3);
	ck_assert_uint_eq(cwrnn_state_period(state, 0), 5);
	ck_assert_uint_eq(cwrnn_state_period(state, 1), 2);
	assert_schedule(state, changed, 1, 31);
	cwrnn_state_set_period(state, 0, 0); /* back to the model's own */
	changed[0] = 1;
	ck_assert_uint_eq(cwrnn_state_period(state, 0), 1);
	assert_schedule(state, changed, 1, 9);
	cwrnn_state_reset(state); /* overrides survive a reset */
	ck_assert_uint_eq(cwrnn_state_time(state), 0);
	assert_schedule(state, changed, 1, 20);
	cwrnn_state_free(state);
	cwrnn_model_free(model);
}
END_TEST

START_TEST(clock_counter_is_64_bit)
{
	/* The countdown and the modulo rule agree far beyond 2^32 steps. */
	uint64_t t = (1ull << 33) + 7;
	ck_assert(cwrnn_ticks(t, 1, 8));
	ck_assert(!cwrnn_ticks(t, 0, 8));
	ck_assert(cwrnn_ticks(t + 1, 0, 8));
}
END_TEST

/* --------------------------------------------------- blocks and steps */

/* Steps one state and feeds another random blocks (plenty of 0s and 1s);
 * the outputs must be the same bits. odd: periods set on both (NULL: the
 * model's). */
static void
assert_blocks_equal_steps(const cwrnn_model *model, const uint32_t *odd)
{
	cwrnn_state *a = cwrnn_state_new(model), *b = cwrnn_state_new(model);
	for (int i = 0; odd && i < model->config.n_modules; i++) {
		cwrnn_state_set_period(a, i, odd[i]);
		cwrnn_state_set_period(b, i, odd[i]);
	}
	enum { N = 5000 };
	float *in = malloc(N * sizeof(float)), *out_a = malloc(N * sizeof(float)),
	      *out_b = malloc(N * sizeof(float));
	fixture_fill(in, N, 0.9f, 10);
	for (int f = 0; f < N; f++)
		cwrnn_step(a, in + f, out_a + f);
	uint64_t s = 12345;
	for (int f = 0; f < N;) {
		s = s * 6364136223846793005ull + 1;
		int block = (int)((s >> 33) % 300);
		if ((s >> 20) % 5 == 0)
			block = (int)((s >> 40) % 2);
		if (block > N - f)
			block = N - f;
		cwrnn_process(b, in + f, out_b + f, (size_t)block);
		f += block;
	}
	ck_assert_mem_eq(out_a, out_b, N * sizeof(float));
	free(in);
	free(out_a);
	free(out_b);
	cwrnn_state_free(a);
	cwrnn_state_free(b);
}

START_TEST(process_in_random_blocks_equals_step_by_step)
{
	int sizes[] = {8, 5, 8, 3};
	uint32_t periods[] = {1, 2, 4, 8}, odd[] = {1, 3, 2, 7};
	cwrnn_config cfg = fixture_config(4, sizes, periods, 1, 1);
	cfg.skip = 1;
	cwrnn_model *model = fixture_model(&cfg, 0.3, 9);
	for (int a = 0; a < N_ISAS; a++)
		if (use_isa(ISAS[a], model)) {
			assert_blocks_equal_steps(model, NULL);
			assert_blocks_equal_steps(model, odd);
		}
	use_default_isa();
	cwrnn_model_free(model);
}
END_TEST

START_TEST(reset_returns_to_time_zero_and_replays_identically)
{
	int sizes[] = {4, 4, 4};
	uint32_t periods[] = {1, 4, 16};
	cwrnn_config cfg = fixture_config(3, sizes, periods, 0, 1);
	cwrnn_model *model = fixture_model(&cfg, 0.5, 11);
	cwrnn_state *state = cwrnn_state_new(model);
	float first[100], second[100];
	cwrnn_process(state, NULL, first, 100);
	cwrnn_state_reset(state);
	cwrnn_process(state, NULL, second, 100);
	ck_assert_mem_eq(first, second, sizeof first);
	cwrnn_state_free(state);
	cwrnn_model_free(model);
}
END_TEST

/* -------------------------------------------------------- bad numbers */

static void
assert_nonfinite_input_recovers(const cwrnn_model *model)
{
	cwrnn_state *state = cwrnn_state_new(model);
	float in[64], out[64];
	fixture_fill(in, 64, 0.5f, 13);
	cwrnn_process(state, in, out, 20);
	/* Steps 20, 21, 22: the state is zeroed and the step runs on silence,
	 * so module 0 (period 1) becomes tanh(b_0) and module 1 (period 2)
	 * does too at even steps and stays zero at odd ones. */
	float bad[] = {NAN, INFINITY, -INFINITY};
	for (int k = 0; k < 3; k++) {
		float y;
		cwrnn_step(state, &bad[k], &y);
		ck_assert(isfinite(y));
		ck_assert_uint_eq(cwrnn_state_nonfinite_events(state), (uint64_t)k + 1);
		for (int i = 0; i < 2; i++)
			for (int r = 0; r < 4; r++) {
				int ran_now = i == 0 || (20 + k) % 2 == 0;
				float b = model->params[model->layout.b[i] + (size_t)r];
				ck_assert_float_eq_tol(cwrnn_state_hidden(state)[i * 4 + r],
				                       ran_now ? tanhf(b) : 0.0f, 1e-6f);
			}
	}
	/* The stream goes on, finite, after the reset. */
	cwrnn_process(state, in, out, 64);
	for (int f = 0; f < 64; f++)
		ck_assert(isfinite(out[f]));
	ck_assert_uint_eq(cwrnn_state_nonfinite_events(state), 3);
	cwrnn_state_free(state);
}

START_TEST(nan_and_inf_input_is_caught_counted_and_recovered)
{
	int sizes[] = {4, 4};
	uint32_t periods[] = {1, 2};
	cwrnn_config cfg = fixture_config(2, sizes, periods, 1, 1);
	cfg.skip = 1;
	cwrnn_model *model = fixture_model(&cfg, 0.5, 12);
	for (int a = 0; a < N_ISAS; a++)
		if (use_isa(ISAS[a], model))
			assert_nonfinite_input_recovers(model);
	use_default_isa();
	cwrnn_model_free(model);
}
END_TEST

START_TEST(nan_born_inside_the_network_is_caught_on_every_path)
{
	/* Finite inputs, huge weights: W_I x = 3e38*10 + 3e38*-10 is Inf - Inf
	 * = NaN in module 1's pre-activation, every step, where products are
	 * rounded before they are added (generic, sse2). With FMA (avx2) the
	 * second product is exact and Inf + -3e39 stays Inf, which tanh takes
	 * to 1: no NaN is born there, and none may show. */
	int sizes[] = {3, 2};
	uint32_t periods[] = {1, 1};
	cwrnn_config cfg = fixture_config(2, sizes, periods, 2, 1);
	cwrnn_model *model = fixture_model(&cfg, 0.3, 31);
	model->params[model->layout.w_i[1] + 2] = 3e38f; /* unit 1 of module 1 */
	model->params[model->layout.w_i[1] + 3] = 3e38f;
	float in[2] = {10.0f, -10.0f}, y;
	float b_o = model->params[model->layout.b_o];
	for (int a = 0; a < N_ISAS; a++) {
		if (!use_isa(ISAS[a], model))
			continue;
		int rounds_products = strcmp(ISAS[a], "generic") == 0 || strcmp(ISAS[a], "sse2") == 0;
		cwrnn_state *state = cwrnn_state_new(model);
		for (int t = 0; t < 3; t++) {
			cwrnn_step(state, in, &y);
			ck_assert(isfinite(y));
			const float *h = cwrnn_state_hidden(state);
			for (int u = 0; u < 5; u++)
				ck_assert(isfinite(h[u]));
			if (!rounds_products)
				continue;
			ck_assert_msg(y == b_o, "%s: y=%g, expected the zero state's %g", ISAS[a], y, b_o);
			ck_assert_uint_eq(cwrnn_state_nonfinite_events(state), (uint64_t)t + 1);
			for (int u = 0; u < 5; u++)
				ck_assert_float_eq(h[u], 0.0f);
		}
		cwrnn_state_free(state);
	}
	use_default_isa();
	cwrnn_model_free(model);
}
END_TEST

START_TEST(huge_input_keeps_output_finite)
{
	int sizes[] = {4};
	uint32_t periods[] = {1};
	cwrnn_config cfg = fixture_config(1, sizes, periods, 1, 1);
	cfg.skip = 1;
	cwrnn_model *model = fixture_model(&cfg, 0.5, 14);
	cwrnn_state *state = cwrnn_state_new(model);
	float in[4] = {3.0e38f, -3.0e38f, 3.0e38f, 1e-42f}, out[4];
	cwrnn_process(state, in, out, 4);
	for (int f = 0; f < 4; f++)
		ck_assert(isfinite(out[f]));
	cwrnn_state_free(state);
	cwrnn_model_free(model);
}
END_TEST

START_TEST(state_never_holds_subnormal_values)
{
	/* W_I x = 1e-20 * 1e-20 = 1e-40 is subnormal in float: it must arrive
	 * in the state as zero, not as a slow subnormal. */
	int sizes[] = {1};
	uint32_t periods[] = {1};
	cwrnn_config cfg = fixture_config(1, sizes, periods, 1, 1);
	cwrnn_model *model = cwrnn_model_new(&cfg, NULL, 0);
	model->params[model->layout.w_i[0]] = 1e-20f;
	model->params[model->layout.w_o] = 1.0f;
	cwrnn_state *state = cwrnn_state_new(model);
	float in = 1e-20f, out;
	cwrnn_process(state, &in, &out, 1);
	ck_assert_int_ne(fpclassify(cwrnn_state_hidden(state)[0]), FP_SUBNORMAL);
	ck_assert_int_ne(fpclassify(out), FP_SUBNORMAL);
	/* ...and the caller's floating-point mode is left as it was. */
	volatile float tiny = 1e-30f, product = tiny * 1e-10f;
	ck_assert_int_eq(fpclassify(product), FP_SUBNORMAL);
	cwrnn_state_free(state);
	cwrnn_model_free(model);
}
END_TEST

/* ------------------------------------------------------- real time */

static void
assert_no_heap_calls(const cwrnn_model *model)
{
	cwrnn_state *state = cwrnn_state_new(model);
	float in[1024], out[1024], bad = NAN;
	fixture_fill(in, 1024, 1.0f, 16);
	heap_count_start();
	for (int f = 0; f < 300; f++)
		cwrnn_step(state, in + f, out + f);
	cwrnn_process(state, in, out, 1024);
	cwrnn_process(state, in, out, 0);
	cwrnn_state_set_period(state, 3, 77);
	cwrnn_process(state, in, out, 1024);
	cwrnn_step(state, &bad, out);
	(void)cwrnn_state_hidden(state);
	cwrnn_state_reset(state);
	cwrnn_process(state, in, out, 1024);
	long calls = heap_count_stop();
	ck_assert_int_eq(calls, 0);
	cwrnn_state_free(state);
}

START_TEST(step_and_process_make_no_heap_calls)
{
	if (!heap_count_available())
		return; /* sanitizer builds own malloc; the plain build checks this */
	int sizes[] = {16, 16, 16, 16, 16, 16, 16, 16};
	uint32_t periods[] = {1, 2, 4, 8, 16, 32, 64, 128};
	cwrnn_config cfg = fixture_config(8, sizes, periods, 1, 1);
	cwrnn_model *model = fixture_model(&cfg, 0.2, 15);
	for (int a = 0; a < N_ISAS; a++)
		if (use_isa(ISAS[a], model))
			assert_no_heap_calls(model);
	use_default_isa();
	/* The counter itself works: */
	heap_count_start();
	void *volatile probe = malloc(16);
	free(probe);
	ck_assert_int_eq(heap_count_stop(), 2);
	cwrnn_model_free(model);
}
END_TEST

Suite *
inference_suite(void)
{
	Suite *s = suite_create("inference");
	TCase *tc = suite_add_tests(s, tcase_create("reference"),
	                            TESTS(forward_matches_reference_with_exponential_periods,
	                                  forward_matches_reference_with_odd_periods_and_inputs,
	                                  forward_matches_reference_with_phase_and_skip,
	                                  forward_matches_reference_with_velocity_and_gate,
	                                  forward_matches_reference_with_overridden_periods,
	                                  forward_matches_reference_with_live_overrides_and_phase,
	                                  forward_matches_reference_with_controls,
	                                  forward_matches_reference_for_a_128_unit_effect,
	                                  every_bundled_model_matches_reference,
	                                  isa_paths_this_machine_has_are_chosen_when_forced));
	tcase_set_timeout(tc, 120);
	suite_add_tests(s, tcase_create("clock"),
	                TESTS(clock_runs_module_when_t_plus_phase_divides_period,
	                      clock_follows_overrides_from_the_next_step, clock_counter_is_64_bit));
	suite_add_tests(s, tcase_create("blocks"),
	                TESTS(process_in_random_blocks_equals_step_by_step,
	                      reset_returns_to_time_zero_and_replays_identically));
	suite_add_tests(s, tcase_create("nonfinite"),
	                TESTS(nan_and_inf_input_is_caught_counted_and_recovered,
	                      nan_born_inside_the_network_is_caught_on_every_path,
	                      huge_input_keeps_output_finite, state_never_holds_subnormal_values));
	suite_add_tests(s, tcase_create("realtime"), TESTS(step_and_process_make_no_heap_calls));
	return s;
}
