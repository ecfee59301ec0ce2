/* Model: configuration checks, parameter layout, creation and weight copies. */
#include "cwrnn.h"

#include <math.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
cwrnn_config_default(cwrnn_config *cfg, int g, int k)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->n_modules = g;
	for (int i = 0; i < g && i < CWRNN_MAX_MODULES; i++) {
		cfg->sizes[i] = k;
		cfg->periods[i] = i < 30 ? 1u << i : CWRNN_MAX_PERIOD;
	}
	cfg->n_inputs = 0;
	cfg->n_outputs = 1;
	cfg->task = CWRNN_TASK_GENERATE;
	cfg->sample_rate = 44100.0f;
	cfg->in_scale = 1.0f;
	cfg->out_scale = 1.0f;
}

int
cwrnn_config_add_control(cwrnn_config *cfg, cwrnn_control_kind kind, const char *name,
                         float min, float max, float def, char *msg, size_t msg_len)
{
	if (cfg->n_controls < 0 || cfg->n_controls >= CWRNN_MAX_CONTROLS ||
	    cfg->n_inputs < 0 || cfg->n_inputs >= CWRNN_MAX_INPUTS)
		return cw_fail(msg, msg_len, "no room for control '%s' (at most %d controls, %d inputs)",
		               name, CWRNN_MAX_CONTROLS, CWRNN_MAX_INPUTS);
	if (strlen(name) > CWRNN_CONTROL_NAME_MAX)
		return cw_fail(msg, msg_len, "control name '%s' is longer than %d bytes", name,
		               CWRNN_CONTROL_NAME_MAX);
	cwrnn_control *ctl = &cfg->controls[cfg->n_controls++];
	cfg->n_inputs++;
	ctl->kind = kind;
	memset(ctl->name, 0, sizeof ctl->name);
	memcpy(ctl->name, name, strlen(name));
	ctl->min = min;
	ctl->max = max;
	ctl->def = def;
	return 0;
}

static int
scale_ok(float s)
{
	return isfinite(s) && fabsf(s) <= CWRNN_MAX_SCALE && s != 0.0f;
}

static int
name_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-' || ch == '.';
}

static int
control_check(const cwrnn_control *ctl, int c, char *msg, size_t msg_len)
{
	if (ctl->kind < CWRNN_CONTROL_KNOB || ctl->kind > CWRNN_CONTROL_NOTE)
		return cw_fail(msg, msg_len, "control %d has unknown kind %d", c + 1, (int)ctl->kind);
	if (memchr(ctl->name, '\0', sizeof ctl->name) == NULL)
		return cw_fail(msg, msg_len, "control %d's name is not terminated within %d bytes",
		               c + 1, CWRNN_CONTROL_NAME_MAX + 1);
	if (ctl->name[0] == '\0')
		return cw_fail(msg, msg_len, "control %d has an empty name", c + 1);
	/* Names are typed on command lines (--knob drive=0.5) and in pairs
	 * files (drive=0.5), so they stay words: no space, '=', ':' or '#'. */
	for (const char *ch = ctl->name; *ch; ch++)
		if (!name_char_ok(*ch))
			return cw_fail(msg, msg_len,
			               "control %d's name '%s' has a character other than "
			               "letters, digits, '_', '-' and '.'",
			               c + 1, ctl->name);
	if (!(isfinite(ctl->min) && isfinite(ctl->max) && ctl->min < ctl->max &&
	      isfinite(ctl->max - ctl->min)))
		return cw_fail(msg, msg_len, "control %d ('%s') has range %g..%g (need finite min < max)",
		               c + 1, ctl->name, ctl->min, ctl->max);
	if (!(ctl->def >= ctl->min && ctl->def <= ctl->max))
		return cw_fail(msg, msg_len, "control %d ('%s') has default %g outside %g..%g", c + 1,
		               ctl->name, ctl->def, ctl->min, ctl->max);
	return 0;
}

int
cwrnn_config_check(const cwrnn_config *cfg, char *msg, size_t msg_len)
{
	int g = cfg->n_modules;
	if (g < 1 || g > CWRNN_MAX_MODULES)
		return cw_fail(msg, msg_len, "module count %d is outside 1..%d", g, CWRNN_MAX_MODULES);
	long n = 0;
	for (int i = 0; i < g; i++) {
		if (cfg->sizes[i] < 1 || cfg->sizes[i] > CWRNN_MAX_MODULE_UNITS)
			return cw_fail(msg, msg_len, "module %d has %d units (allowed 1..%d)", i + 1,
			               cfg->sizes[i], CWRNN_MAX_MODULE_UNITS);
		if (cfg->periods[i] < 1 || cfg->periods[i] > CWRNN_MAX_PERIOD)
			return cw_fail(msg, msg_len, "module %d has period %u (allowed 1..%u)", i + 1,
			               cfg->periods[i], CWRNN_MAX_PERIOD);
		if (i > 0 && cfg->periods[i] < cfg->periods[i - 1])
			return cw_fail(msg, msg_len,
			               "periods must not decrease (modules go from fast to slow): "
			               "module %d has %u after %u",
			               i + 1, cfg->periods[i], cfg->periods[i - 1]);
		n += cfg->sizes[i];
	}
	if (n > CWRNN_MAX_UNITS)
		return cw_fail(msg, msg_len, "%ld hidden units in all (at most %d)", n, CWRNN_MAX_UNITS);
	if (cfg->phase >= CWRNN_MAX_PERIOD)
		return cw_fail(msg, msg_len, "clock phase %u is too large", cfg->phase);
	if (cfg->n_inputs < 0 || cfg->n_inputs > CWRNN_MAX_INPUTS)
		return cw_fail(msg, msg_len, "%d inputs (allowed 0..%d)", cfg->n_inputs, CWRNN_MAX_INPUTS);
	if (cfg->n_outputs < 1 || cfg->n_outputs > CWRNN_MAX_OUTPUTS)
		return cw_fail(msg, msg_len, "%d outputs (allowed 1..%d)", cfg->n_outputs,
		               CWRNN_MAX_OUTPUTS);
	if (cfg->skip != 0 && cfg->skip != 1)
		return cw_fail(msg, msg_len, "skip flag must be 0 or 1, not %d", cfg->skip);
	if (cfg->n_controls < 0 || cfg->n_controls > CWRNN_MAX_CONTROLS ||
	    cfg->n_controls > cfg->n_inputs)
		return cw_fail(msg, msg_len, "%d controls (allowed 0..%d, at most the %d inputs)",
		               cfg->n_controls, CWRNN_MAX_CONTROLS, cfg->n_inputs);
	for (int c = 0; c < cfg->n_controls; c++) {
		if (control_check(&cfg->controls[c], c, msg, msg_len) != 0)
			return -1;
		for (int d = 0; d < c; d++)
			if (strcmp(cfg->controls[d].name, cfg->controls[c].name) == 0)
				return cw_fail(msg, msg_len, "controls %d and %d are both named '%s'", d + 1,
				               c + 1, cfg->controls[c].name);
	}
	if (cfg->skip && cfg->n_inputs - cfg->n_controls != cfg->n_outputs)
		return cw_fail(msg, msg_len,
		               "a skip connection needs as many audio inputs as outputs (%d vs %d)",
		               cfg->n_inputs - cfg->n_controls, cfg->n_outputs);
	if ((int)cfg->task < CWRNN_TASK_GENERATE || (int)cfg->task > CWRNN_TASK_CONTINUE)
		return cw_fail(msg, msg_len, "unknown task %d", (int)cfg->task);
	if (!(cfg->sample_rate >= CWRNN_MIN_SAMPLE_RATE && cfg->sample_rate <= CWRNN_MAX_SAMPLE_RATE))
		return cw_fail(msg, msg_len, "sample rate %g Hz is outside %g..%g", cfg->sample_rate,
		               CWRNN_MIN_SAMPLE_RATE, CWRNN_MAX_SAMPLE_RATE);
	if (!scale_ok(cfg->in_scale) || !scale_ok(cfg->out_scale))
		return cw_fail(msg, msg_len, "input/output scale (%g, %g) must be finite, non-zero, |s| <= %g",
		               cfg->in_scale, cfg->out_scale, CWRNN_MAX_SCALE);
	if (memchr(cfg->name, '\0', sizeof cfg->name) == NULL)
		return cw_fail(msg, msg_len, "model name is not terminated");
	if (!(cfg->root_note >= 0.0f && cfg->root_note <= CWRNN_MAX_ROOT_NOTE))
		return cw_fail(msg, msg_len, "root note %g is outside 0..%g (0: none)",
		               (double)cfg->root_note, (double)CWRNN_MAX_ROOT_NOTE);
	cwrnn_layout layout;
	cwrnn_layout_of(cfg, &layout);
	if (layout.n_params > CWRNN_MAX_PARAMS)
		return cw_fail(msg, msg_len, "%zu parameters (at most %u)", layout.n_params,
		               CWRNN_MAX_PARAMS);
	return 0;
}

void
cwrnn_input_affine(const cwrnn_config *cfg, int c, double *gain, double *offset)
{
	int first_control = cfg->n_inputs - cfg->n_controls;
	if (c < first_control) {
		*gain = cfg->in_scale;
		*offset = 0.0;
		return;
	}
	const cwrnn_control *ctl = &cfg->controls[c - first_control];
	*gain = 1.0 / ((double)ctl->max - (double)ctl->min);
	*offset = -(double)ctl->min * *gain;
}

void
cwrnn_layout_of(const cwrnn_config *cfg, cwrnn_layout *layout)
{
	int g = cfg->n_modules, m = cfg->n_inputs, p = cfg->n_outputs;
	memset(layout, 0, sizeof *layout);
	int n = 0;
	for (int i = 0; i < g; i++) {
		layout->unit_offset[i] = n;
		n += cfg->sizes[i];
	}
	layout->unit_offset[g] = n;
	layout->n = n;
	size_t at = 0;
	for (int i = 0; i < g; i++) {
		size_t k = (size_t)cfg->sizes[i];
		layout->w_h[i] = at;
		at += k * (size_t)(n - layout->unit_offset[i]);
		layout->w_i[i] = at;
		at += k * (size_t)m;
		layout->b[i] = at;
		at += k;
	}
	layout->w_o = at;
	at += (size_t)p * (size_t)n;
	layout->b_o = at;
	at += (size_t)p;
	layout->n_params = at;
}

cwrnn_model *
cwrnn_model_new(const cwrnn_config *cfg, char *msg, size_t msg_len)
{
	if (cwrnn_config_check(cfg, msg, msg_len) != 0)
		return NULL;
	cwrnn_model *model = calloc(1, sizeof *model);
	if (!model) {
		cw_fail(msg, msg_len, "out of memory");
		return NULL;
	}
	model->config = *cfg;
	cwrnn_layout_of(cfg, &model->layout);
	model->params = calloc(model->layout.n_params, sizeof *model->params);
	model->summary = calloc(1, 1);
	if (!model->params || !model->summary) {
		cwrnn_model_free(model);
		cw_fail(msg, msg_len, "out of memory for %zu parameters", model->layout.n_params);
		return NULL;
	}
	return model;
}

void
cwrnn_model_free(cwrnn_model *model)
{
	if (!model)
		return;
	free(model->params);
	free(model->summary);
	free(model);
}

int
cwrnn_model_set_summary(cwrnn_model *model, const char *summary)
{
	size_t len = strlen(summary);
	if (len > CWRNN_SUMMARY_MAX)
		len = CWRNN_SUMMARY_MAX;
	char *copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, summary, len);
	copy[len] = '\0';
	free(model->summary);
	model->summary = copy;
	return 0;
}

void
cwrnn_model_to_double(const cwrnn_model *model, double *params)
{
	for (size_t i = 0; i < model->layout.n_params; i++)
		params[i] = model->params[i];
}

int
cwrnn_model_from_double(cwrnn_model *model, const double *params)
{
	for (size_t i = 0; i < model->layout.n_params; i++)
		if (!isfinite(params[i]) || fabs(params[i]) > FLT_MAX)
			return -1;
	for (size_t i = 0; i < model->layout.n_params; i++)
		model->params[i] = (float)params[i];
	return 0;
}
