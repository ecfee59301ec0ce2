/*
 * cwrnn — a Clockwork RNN (Koutník et al., ICML 2014) for audio.
 *
 * One public header for the engine library (build/libcwrnn.a). No LV2, no
 * libsndfile. The engine has four parts:
 *
 *   model     immutable configuration + float weights, shared by any number of
 *             states; read-only after creation or load.            (model.c)
 *   state     one audio stream: hidden vector, 64-bit clock, period overrides,
 *             the model repacked for the CPU's vector unit. step/process are
 *             real-time safe.           (state.c, dispatch.c, kernel_*.c)
 *   training  double-precision batch forward/backward (exact BPTT), losses,
 *             optimizers. Never on the real-time path.      (batch.c, loss.c,
 *                                                             optimizer.c)
 *   files     the .cwrnn model file: versioned, little-endian, checksummed.
 *                                                               (model_file.c)
 *
 * The network (DESIGN.md §1). Modules are stored fast to slow. At step t a
 * module i is active when (t + phase) mod T_i == 0. Active modules compute
 *   h_i(t) = tanh(W_I[i] x(t) + Σ_{j>=i} W_H[i][j] h_j(t-1) + b_i)
 * (slow feeds fast: module i reads itself and every slower module); inactive
 * modules hold their value. The output reads every module at every step:
 *   y(t) = out_scale * (W_O h(t) + b_O) + (skip ? x_raw(t) : 0)
 * where the network sees x(t) = in_scale * x_raw(t) for audio inputs and a
 * control's value mapped onto 0..1 (cwrnn_input_affine).
 *
 * Threading: functions on a model are safe from any thread once it is built.
 * A state belongs to one thread at a time. Functions marked [RT] are real-time
 * safe: no allocation, I/O, locks or system calls, bounded time.
 */
#ifndef CWRNN_H
#define CWRNN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits enforced on every model, whether built in memory or loaded. */
#define CWRNN_MAX_MODULES 32
#define CWRNN_MAX_MODULE_UNITS 1024
#define CWRNN_MAX_UNITS 4096          /* n = Σ k_i */
#define CWRNN_MAX_INPUTS 64
#define CWRNN_MAX_OUTPUTS 64
#define CWRNN_MAX_PERIOD (1u << 30)   /* model periods and run-time overrides */
#define CWRNN_MAX_PARAMS (1u << 25)   /* 128 MiB of float weights */
#define CWRNN_NAME_MAX 255            /* bytes, excluding the terminating NUL */
#define CWRNN_SUMMARY_MAX 65535       /* bytes, excluding the terminating NUL */
#define CWRNN_MIN_SAMPLE_RATE 1000.0f
#define CWRNN_MAX_SAMPLE_RATE 1536000.0f
#define CWRNN_MAX_SCALE 1.0e6f        /* |in_scale|, |out_scale| */
#define CWRNN_MAX_CONTROLS 8          /* conditioning inputs (knobs, velocity, gate) */
#define CWRNN_CONTROL_NAME_MAX 31     /* bytes, excluding the terminating NUL */
#define CWRNN_MAX_ROOT_NOTE 127.0f    /* MIDI note number */

typedef enum {
	CWRNN_TASK_GENERATE = 0,  /* no input; plays from its zero state */
	CWRNN_TASK_TRANSFORM = 1, /* audio effect: input -> output */
	CWRNN_TASK_CONTINUE = 2   /* next-sample prediction; runs on its output */
} cwrnn_task;

/*
 * A control is a conditioning input: a knob of a captured device, or the
 * velocity or gate of an instrument's note. The last n_controls of a model's
 * n_inputs are controls; the first n_inputs - n_controls are audio. Callers
 * pass a control's value in its own units (a knob's, velocity 1..127, gate 0
 * or 1); the network sees (value - min) / (max - min), where audio inputs
 * are seen as in_scale * value (cwrnn_input_affine).
 */
typedef enum {
	CWRNN_CONTROL_KNOB = 1,     /* a knob of a captured device */
	CWRNN_CONTROL_VELOCITY = 2, /* note-on velocity */
	CWRNN_CONTROL_GATE = 3,     /* 1 while the key (or sustain) holds the note, 0 after */
	CWRNN_CONTROL_NOTE = 4      /* the MIDI note a voice plays (timbre across the keyboard) */
} cwrnn_control_kind;

typedef struct {
	cwrnn_control_kind kind;
	char name[CWRNN_CONTROL_NAME_MAX + 1]; /* e.g. "drive": 1..31 letters, digits, '_-.';
	                                          unique within a model */
	float min, max;                        /* range in the control's units, min < max */
	float def;                             /* default value, min <= def <= max */
} cwrnn_control;

/* Everything that defines a model's shape and how to run it. */
typedef struct {
	int n_modules;                        /* g, 1..CWRNN_MAX_MODULES */
	int sizes[CWRNN_MAX_MODULES];         /* k_i >= 1 */
	uint32_t periods[CWRNN_MAX_MODULES];  /* T_i >= 1, non-decreasing */
	uint32_t phase;                       /* clock phase, < CWRNN_MAX_PERIOD */
	int n_inputs;                         /* m >= 0 (0 for generators) */
	int n_outputs;                        /* p >= 1 */
	int n_controls;                       /* 0..CWRNN_MAX_CONTROLS, <= m: the last inputs */
	cwrnn_control controls[CWRNN_MAX_CONTROLS];
	int skip;                             /* 1: y += audio x_raw (needs m - n_controls == p) */
	cwrnn_task task;
	float sample_rate;                    /* Hz the model was trained at */
	float in_scale;                       /* network input = in_scale * x */
	float out_scale;                      /* y = out_scale * (W_O h + b_O) */
	float root_note;                      /* MIDI note (fractional: between keys) the model
	                                         sounds when run at sample_rate; 0: none
	                                         (effects, or a pitch nobody recorded) */
	char name[CWRNN_NAME_MAX + 1];
} cwrnn_config;

/* Fills a config with g modules of k units each, periods 2^i, one output,
 * no input, 44.1 kHz, unit scales, task generate. */
void cwrnn_config_default(cwrnn_config *cfg, int g, int k);

/* Appends a control as the config's last input (n_inputs and n_controls grow
 * by one), so audio inputs come first. Returns 0, or -1 with a message when
 * there is no room or the name is too long; the rest (kind, name, range,
 * default) is cwrnn_config_check's to judge. */
int cwrnn_config_add_control(cwrnn_config *cfg, cwrnn_control_kind kind, const char *name,
                             float min, float max, float def, char *msg, size_t msg_len);

/* Checks every field against the limits above. Returns 0, or -1 with a
 * message in msg (which may be NULL). */
int cwrnn_config_check(const cwrnn_config *cfg, char *msg, size_t msg_len);

/*
 * Where each parameter block sits in a flat parameter array. The same layout
 * serves the model's float weights, training's double parameters, gradients
 * and optimizer moments. Blocks are row-major. Module i's recurrent block
 * reads the units of modules i..g-1, which are contiguous: columns
 * [unit_offset[i], n).
 */
typedef struct {
	int n;                                /* hidden units */
	int unit_offset[CWRNN_MAX_MODULES + 1];
	size_t w_h[CWRNN_MAX_MODULES];        /* (k_i, n - unit_offset[i]) */
	size_t w_i[CWRNN_MAX_MODULES];        /* (k_i, m) */
	size_t b[CWRNN_MAX_MODULES];          /* (k_i) */
	size_t w_o;                           /* (p, n) */
	size_t b_o;                           /* (p) */
	size_t n_params;
} cwrnn_layout;

/* How the network sees input c of a valid config: x = gain * value + offset
 * (audio: in_scale and 0; a control: its range mapped onto 0..1). */
void cwrnn_input_affine(const cwrnn_config *cfg, int c, double *gain, double *offset);

/* Computes the layout of a valid config. */
void cwrnn_layout_of(const cwrnn_config *cfg, cwrnn_layout *layout);

/* The clock rule, shared bit for bit by inference and training. */
static inline int
cwrnn_ticks(uint64_t t, uint32_t phase, uint32_t period)
{
	return (t + phase) % period == 0;
}

/* ------------------------------------------------------------------ model */

typedef struct {
	cwrnn_config config;
	cwrnn_layout layout;
	float *params;  /* (layout.n_params), owned */
	char *summary;  /* free-text training summary, NUL-terminated, owned */
} cwrnn_model;

/* A model with all weights zero. Returns NULL with a message on a bad
 * config or no memory. Free with cwrnn_model_free. */
cwrnn_model *cwrnn_model_new(const cwrnn_config *cfg, char *msg, size_t msg_len);
void cwrnn_model_free(cwrnn_model *model);

/* Replaces the training summary (copied; truncated to CWRNN_SUMMARY_MAX).
 * Returns 0 or -1 on no memory. */
int cwrnn_model_set_summary(cwrnn_model *model, const char *summary);

/* Copies weights between a model and a double array of the same layout.
 * from_double returns -1 if a value is not finite or overflows a float. */
void cwrnn_model_to_double(const cwrnn_model *model, double *params);
int cwrnn_model_from_double(cwrnn_model *model, const double *params);

/* ------------------------------------------------------------ model files */

typedef enum {
	CWRNN_OK = 0,
	CWRNN_ERR_IO,          /* cannot open, read or write */
	CWRNN_ERR_TOO_LARGE,   /* file larger than any valid model */
	CWRNN_ERR_TRUNCATED,   /* ends before the data its header announces */
	CWRNN_ERR_MAGIC,       /* not a cwrnn model file */
	CWRNN_ERR_VERSION,     /* format version this build does not read */
	CWRNN_ERR_DIMENSIONS,  /* sizes, periods or fields out of range */
	CWRNN_ERR_TRAILING,    /* bytes after the end of the model */
	CWRNN_ERR_CHECKSUM,    /* content does not match its CRC-32 */
	CWRNN_ERR_NONFINITE,   /* a weight is NaN or infinite */
	CWRNN_ERR_NOMEM,
	CWRNN_ERR_INVALID      /* bad argument from the caller */
} cwrnn_status;

/* Files are written in version 2; versions 1 (no controls, no root note) and 2
 * are read. */
#define CWRNN_FILE_VERSION 2
#define CWRNN_FILE_VERSION_MIN 1
#define CWRNN_FILE_MAX_BYTES ((size_t)CWRNN_MAX_PARAMS * 4 + (1u << 20))

/* Returns a short constant description of a status. */
const char *cwrnn_status_string(cwrnn_status status);

/* Validates and loads a model from memory or from a file. On failure *out is
 * NULL and msg says what is wrong (and where). Never reads past the data it
 * has validated. Not real-time safe. */
cwrnn_status cwrnn_model_load_buffer(const void *data, size_t size, cwrnn_model **out,
                                     char *msg, size_t msg_len);
cwrnn_status cwrnn_model_load(const char *path, cwrnn_model **out, char *msg, size_t msg_len);

/* Serialises a model. cwrnn_model_encode returns a malloc'ed buffer (caller
 * frees) or NULL. cwrnn_model_save writes a temporary file beside path,
 * syncs it and renames it over path, so path is either the old file or the
 * new one, never a torn one. */
void *cwrnn_model_encode(const cwrnn_model *model, size_t *size);
cwrnn_status cwrnn_model_save(const cwrnn_model *model, const char *path, char *msg,
                              size_t msg_len);

/* CRC-32 (IEEE 802.3), as used in the file. crc starts at 0. */
uint32_t cwrnn_crc32(uint32_t crc, const void *data, size_t size);

/* ------------------------------------------------------------------ state */

typedef struct cwrnn_state cwrnn_state;

/* Allocates everything a stream needs; the model must outlive the state.
 * Returns NULL on no memory. Not real-time safe. */
cwrnn_state *cwrnn_state_new(const cwrnn_model *model);
void cwrnn_state_free(cwrnn_state *state);

const cwrnn_model *cwrnn_state_model(const cwrnn_state *state);

/* The instruction set the state's kernel was built for: "generic", "sse2"
 * or "avx2". cwrnn_state_new picks the best this CPU runs; the environment
 * variable CWRNN_ISA=generic|sse2|avx2|avx512 forces one (a path the CPU or
 * the build lacks falls back to the best there is, which this reports). */
const char *cwrnn_state_isa(const cwrnn_state *state);

/* [RT] Back to time 0 and zero hidden state. Period overrides are kept. */
void cwrnn_state_reset(cwrnn_state *state);

/* [RT] Overrides module i's period from the next step on (0 = the model's
 * own; values above CWRNN_MAX_PERIOD are clamped). The clock rule keeps
 * using the global counter, so a module ticks when (t + phase) mod T == 0. */
void cwrnn_state_set_period(cwrnn_state *state, int module, uint32_t period);

/* [RT] The period module i runs at now (override or the model's). */
uint32_t cwrnn_state_period(const cwrnn_state *state, int module);

/* [RT] The step index the next call to step will compute. */
uint64_t cwrnn_state_time(const cwrnn_state *state);

/* [RT] Hidden vector (n floats), valid until the next step. */
const float *cwrnn_state_hidden(const cwrnn_state *state);

/* [RT] How many times a NaN or Inf (in the input or the recurrent state) was
 * caught and the hidden state reset since creation. */
uint64_t cwrnn_state_nonfinite_events(const cwrnn_state *state);

/* [RT] One sample: in has n_inputs values (may be NULL when n_inputs is 0),
 * out receives n_outputs values, always finite. */
void cwrnn_step(cwrnn_state *state, const float *in, float *out);

/* [RT] frames samples, interleaved (frames x n_inputs in, frames x
 * n_outputs out); identical to calling cwrnn_step per frame. frames may be 0.
 * in and out may alias only when n_inputs == n_outputs. */
void cwrnn_process(cwrnn_state *state, const float *in, float *out, size_t frames);

/* --------------------------------------------------------------- training */

/* Initialises parameters: weights from N(0, sigma) (sigma <= 0 picks
 * 1/sqrt(fan_in) per block), biases zero. Deterministic for a seed. */
void cwrnn_params_init(const cwrnn_config *cfg, double *params, double sigma, uint64_t seed);

/*
 * A batch of B sequences advanced in lockstep (they share the clock), in
 * double precision, with the activations of the last forward kept for an
 * exact backward pass. Truncated BPTT: each forward starts from the state
 * the previous one ended in; backward stops at the start of the chunk.
 *
 * Arrays are time-major: x is (steps, B, m), y and dy are (steps, B, p).
 */
typedef struct cwrnn_batch cwrnn_batch;

/* A batch of `batch` sequences of up to max_steps per forward, for the
 * network cfg describes (copied: cfg may be freed after). Allocates every
 * buffer here, zero state and clock 0; NULL if cfg is invalid, batch or
 * max_steps < 1, or out of memory. Free with cwrnn_batch_free (NULL is a
 * no-op). One thread at a time per batch; separate batches may run on
 * separate threads. */
cwrnn_batch *cwrnn_batch_new(const cwrnn_config *cfg, int batch, int max_steps);
void cwrnn_batch_free(cwrnn_batch *batch);

/* Zero hidden state and clock 0 for every sequence. */
void cwrnn_batch_reset(cwrnn_batch *batch);

/* Copies the carried state out (h: n x B doubles, unit-major) and back in,
 * e.g. to evaluate a validation set without disturbing training. */
void cwrnn_batch_get_state(const cwrnn_batch *batch, double *h, uint64_t *t);
void cwrnn_batch_set_state(cwrnn_batch *batch, const double *h, uint64_t t);

/* Runs steps (1..max_steps) from the carried state, writes y, keeps the
 * activations, and carries the final state and clock forward. Returns 0, or
 * -1 (doing nothing) when steps is out of range. */
int cwrnn_batch_forward(cwrnn_batch *batch, const double *params, const double *x,
                         double *y, int steps);

/* Exact BPTT through the last forward: adds dLoss/dparams to grad. params
 * and x must be the ones that forward was given (the input is not kept: x
 * is read again for dW_I); dy is dLoss/dy for every output of that
 * forward. */
void cwrnn_batch_backward(cwrnn_batch *batch, const double *params, const double *x,
                          const double *dy, double *grad);

/* Losses over (steps, B, p) arrays. The error e = y - target is filtered by
 * a first-order pre-emphasis e'(t) = e(t) - preemph * e(t-1) (preemph 0
 * disables it); steps before warmup count for nothing (and e(warmup-1) is
 * taken as 0). The loss is scale * Σ e'(t)^2 and dy receives its gradient.
 * cwrnn_loss_scale gives the scale for a kind: MSE divides by the number of
 * terms, ESR by Σ target'(t)^2 (the pre-emphasised target energy). */
typedef enum { CWRNN_LOSS_MSE = 0, CWRNN_LOSS_ESR = 1 } cwrnn_loss_kind;

double cwrnn_loss_scale(cwrnn_loss_kind kind, const double *target, int steps, int batch,
                        int outputs, int warmup, double preemph);
double cwrnn_loss(const double *y, const double *target, double *dy, int steps, int batch,
                  int outputs, int warmup, double preemph, double scale);

/* Scales grad so its L2 norm is at most max_norm (max_norm <= 0: no clip).
 * Returns the norm before clipping. */
double cwrnn_clip_grad_norm(double *grad, size_t n, double max_norm);

typedef enum { CWRNN_OPT_ADAM = 0, CWRNN_OPT_NESTEROV = 1 } cwrnn_optimizer_kind;

typedef struct {
	cwrnn_optimizer_kind kind;
	double lr;
	double momentum;  /* Nesterov's mu (the paper: 0.95) */
	double beta1, beta2, eps;  /* Adam */
	uint64_t steps;
	size_t n;
	double *m;  /* (n) first moment / velocity */
	double *v;  /* (n) second moment (Adam) */
} cwrnn_optimizer;

/* Allocates the moments; defaults: Adam 0.9/0.999/1e-8, momentum 0.95.
 * Returns 0 or -1 on no memory. */
int cwrnn_optimizer_init(cwrnn_optimizer *opt, cwrnn_optimizer_kind kind, size_t n, double lr);
void cwrnn_optimizer_free(cwrnn_optimizer *opt);

/* One update: params -= f(grad). */
void cwrnn_optimizer_step(cwrnn_optimizer *opt, double *params, const double *grad);

#ifdef __cplusplus
}
#endif

#endif
