/*
 * The .cwrnn model file: the contract between trainer and plugin.
 * Little-endian fields encoded byte by byte (any host endianness), a fixed
 * header (64 bytes in version 1, 72 in version 2), the module table, the
 * control table (version 2), name, summary, the float weights in
 * cwrnn_layout order and a CRC-32 of everything before it:
 *
 *   0 magic "CWRNN\r\n\x1A"  8 version  12 header_bytes  16 flags (bit 0 skip)
 *  20 task  24 g  28 m  32 p  36 phase  40 sample_rate  44 in_scale
 *  48 out_scale  52 name_len  56 summary_len  60 n_params
 *  version 2 only: 64 n_controls  68 root_note
 *  F = 64 or 72:  F sizes[g]  F+4g periods[g]
 *  F+8g controls[n_controls], 48 bytes each (version 2 only):
 *       0 kind  4 name[32] (NUL-terminated, zero-padded)  36 min  40 max  44 default
 *  then name, summary; header_bytes weights[n_params]  end-4 crc32
 *
 * Saving always writes the current version (2); version-1 files load as
 * models without controls or root note.
 *
 * The loader validates every field against the engine's limits before using
 * it to compute an offset, does all size arithmetic in 64 bits and reads no
 * byte past the size it was given.
 */
#include "cwrnn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "util.h"

#define FIXED_HEADER_BYTES_V1 64u
#define FIXED_HEADER_BYTES_V2 72u
#define CONTROL_BYTES 48u
#define CONTROL_NAME_BYTES (CWRNN_CONTROL_NAME_MAX + 1)
#define FLAG_SKIP 1u
#define CRC_BYTES 4u
#define MAGIC_BYTES 8u

/* "\r\n" catches text-mode line-ending conversion, 0x1A stops a DOS `type`. */
static const unsigned char file_magic[MAGIC_BYTES] = {'C', 'W', 'R', 'N', 'N', '\r', '\n', 0x1A};

/* The fixed header's fields, as stored (before validation). */
typedef struct {
	uint32_t version, header_bytes, flags, task, g, m, p, phase;
	float sample_rate, in_scale, out_scale;
	uint32_t name_len, summary_len, n_params;
	uint32_t n_controls;  /* 0 in version 1 */
	float root_note;      /* 0 in version 1 */
} file_header;

static uint32_t
fixed_header_bytes(uint32_t version)
{
	return version >= 2 ? FIXED_HEADER_BYTES_V2 : FIXED_HEADER_BYTES_V1;
}

__attribute__((format(printf, 4, 5))) static cwrnn_status
fail(cwrnn_status status, char *msg, size_t msg_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cw_vfail(msg, msg_len, fmt, ap);
	va_end(ap);
	return status;
}

const char *
cwrnn_status_string(cwrnn_status status)
{
	switch (status) {
	case CWRNN_OK: return "ok";
	case CWRNN_ERR_IO: return "input/output error";
	case CWRNN_ERR_TOO_LARGE: return "file too large to be a model";
	case CWRNN_ERR_TRUNCATED: return "model file truncated";
	case CWRNN_ERR_MAGIC: return "not a cwrnn model file";
	case CWRNN_ERR_VERSION: return "unsupported model file version";
	case CWRNN_ERR_DIMENSIONS: return "model dimensions or fields out of range";
	case CWRNN_ERR_TRAILING: return "trailing bytes after the model";
	case CWRNN_ERR_CHECKSUM: return "model file checksum mismatch";
	case CWRNN_ERR_NONFINITE: return "model has a NaN or infinite weight";
	case CWRNN_ERR_NOMEM: return "out of memory";
	case CWRNN_ERR_INVALID: return "invalid argument";
	}
	return "unknown status";
}

/* ------------------------------------------------------------- decoding */

/* A bounds-checked little-endian reader. Callers check lengths first; the
 * cursor is the second line of defence: past the end reads as zero and
 * sets overrun instead of touching memory it was not given. */
typedef struct {
	const unsigned char *data;
	size_t size;
	size_t at;
	int overrun;
} cursor;

static cursor
cursor_at(const unsigned char *data, size_t size, size_t at)
{
	cursor c = {data, size, at, 0};
	return c;
}

static uint32_t
get_u32(cursor *c)
{
	if (c->at > c->size || c->size - c->at < 4) {
		c->overrun = 1;
		return 0;
	}
	const unsigned char *b = c->data + c->at;
	c->at += 4;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static float
get_f32(cursor *c)
{
	uint32_t bits = get_u32(c);
	float f;
	memcpy(&f, &bits, sizeof f);
	return f;
}

static void
read_fixed_header(const unsigned char *data, size_t size, file_header *h)
{
	cursor c = cursor_at(data, size, MAGIC_BYTES);
	h->version = get_u32(&c);
	h->header_bytes = get_u32(&c);
	h->flags = get_u32(&c);
	h->task = get_u32(&c);
	h->g = get_u32(&c);
	h->m = get_u32(&c);
	h->p = get_u32(&c);
	h->phase = get_u32(&c);
	h->sample_rate = get_f32(&c);
	h->in_scale = get_f32(&c);
	h->out_scale = get_f32(&c);
	h->name_len = get_u32(&c);
	h->summary_len = get_u32(&c);
	h->n_params = get_u32(&c);
	h->n_controls = 0;
	h->root_note = 0.0f;
	if (h->version >= 2) {
		h->n_controls = get_u32(&c);
		h->root_note = get_f32(&c);
	}
}

static cwrnn_status
truncated(size_t size, uint64_t needed, const char *what, char *msg, size_t msg_len)
{
	return fail(CWRNN_ERR_TRUNCATED, msg, msg_len, "truncated: file has %zu bytes, %s %llu", size,
	            what, (unsigned long long)needed);
}

/* Rules 1-3: magic, version, and room for the fixed header. */
static cwrnn_status
check_preamble(const unsigned char *data, size_t size, char *msg, size_t msg_len)
{
	size_t have = size < MAGIC_BYTES ? size : MAGIC_BYTES;
	if (have > 0 && memcmp(data, file_magic, have) != 0)
		return fail(CWRNN_ERR_MAGIC, msg, msg_len, "not a cwrnn model (bad magic)");
	if (size < MAGIC_BYTES + 4)
		return truncated(size, MAGIC_BYTES + 4, "the magic and version need", msg, msg_len);
	cursor c = cursor_at(data, size, MAGIC_BYTES);
	uint32_t version = get_u32(&c);
	if (version > CWRNN_FILE_VERSION)
		return fail(CWRNN_ERR_VERSION, msg, msg_len,
		            "format version %u is newer than this build reads (%d)", version,
		            CWRNN_FILE_VERSION);
	if (version < CWRNN_FILE_VERSION_MIN)
		return fail(CWRNN_ERR_VERSION, msg, msg_len,
		            "format version %u is unknown (this build reads %d..%d)", version,
		            CWRNN_FILE_VERSION_MIN, CWRNN_FILE_VERSION);
	if (size < fixed_header_bytes(version))
		return truncated(size, fixed_header_bytes(version), "the fixed header needs", msg,
		                 msg_len);
	return CWRNN_OK;
}

/* Rule 4: the fields that size later reads, each against its limit. */
static cwrnn_status
check_fields(const file_header *h, char *msg, size_t msg_len)
{
	cwrnn_status bad = CWRNN_ERR_DIMENSIONS;
	if (h->flags & ~FLAG_SKIP)
		return fail(bad, msg, msg_len, "unknown flag bits 0x%08x in flags (offset 16)",
		            (unsigned)(h->flags & ~FLAG_SKIP));
	if (h->task > CWRNN_TASK_CONTINUE)
		return fail(bad, msg, msg_len, "unknown task %u (offset 20; 0..2)", h->task);
	if (h->g < 1 || h->g > CWRNN_MAX_MODULES)
		return fail(bad, msg, msg_len, "module count %u (offset 24) is outside 1..%d", h->g,
		            CWRNN_MAX_MODULES);
	if (h->m > CWRNN_MAX_INPUTS)
		return fail(bad, msg, msg_len, "input count %u (offset 28) is outside 0..%d", h->m,
		            CWRNN_MAX_INPUTS);
	if (h->p < 1 || h->p > CWRNN_MAX_OUTPUTS)
		return fail(bad, msg, msg_len, "output count %u (offset 32) is outside 1..%d", h->p,
		            CWRNN_MAX_OUTPUTS);
	if (h->name_len > CWRNN_NAME_MAX)
		return fail(bad, msg, msg_len, "name length %u (offset 52) is over %d", h->name_len,
		            CWRNN_NAME_MAX);
	if (h->summary_len > CWRNN_SUMMARY_MAX)
		return fail(bad, msg, msg_len, "summary length %u (offset 56) is over %d",
		            h->summary_len, CWRNN_SUMMARY_MAX);
	if (h->n_controls > CWRNN_MAX_CONTROLS)
		return fail(bad, msg, msg_len, "control count %u (offset 64) is outside 0..%d",
		            h->n_controls, CWRNN_MAX_CONTROLS);
	return CWRNN_OK;
}

static uint64_t
module_table_end(const file_header *h)
{
	return fixed_header_bytes(h->version) + 8 * (uint64_t)h->g;
}

static uint64_t
control_table_end(const file_header *h)
{
	return module_table_end(h) + CONTROL_BYTES * (uint64_t)h->n_controls;
}

static uint64_t
expected_header_bytes(const file_header *h)
{
	return control_table_end(h) + h->name_len + h->summary_len;
}

/* The header's scalar fields, already range-checked, as a config (no name
 * yet: it is copied only once the checksum has vouched for it). */
static void
config_from_header(const file_header *h, cwrnn_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->n_modules = (int)h->g;
	cfg->n_inputs = (int)h->m;
	cfg->n_outputs = (int)h->p;
	cfg->phase = h->phase;
	cfg->skip = (h->flags & FLAG_SKIP) != 0;
	cfg->task = (cwrnn_task)h->task;
	cfg->sample_rate = h->sample_rate;
	cfg->in_scale = h->in_scale;
	cfg->out_scale = h->out_scale;
	cfg->n_controls = (int)h->n_controls;
	cfg->root_note = h->root_note;
}

/* Rule 5, first half: the module table into the config. */
static cwrnn_status
read_modules(const unsigned char *data, size_t size, const file_header *h, cwrnn_config *cfg,
             char *msg, size_t msg_len)
{
	if (size < module_table_end(h))
		return truncated(size, module_table_end(h), "its module table ends at", msg, msg_len);
	size_t at = fixed_header_bytes(h->version);
	cursor sizes = cursor_at(data, size, at);
	cursor periods = cursor_at(data, size, at + 4 * (size_t)h->g);
	for (uint32_t i = 0; i < h->g; i++) {
		uint32_t k = get_u32(&sizes);
		/* Only guards the conversion to int; cwrnn_config_check owns the limit. */
		if (k > INT_MAX)
			return fail(CWRNN_ERR_DIMENSIONS, msg, msg_len, "module %u has %u units (allowed 1..%d)",
			            i + 1, k, CWRNN_MAX_MODULE_UNITS);
		cfg->sizes[i] = (int)k;
		cfg->periods[i] = get_u32(&periods);
	}
	return CWRNN_OK;
}

/* A control's name field: terminated, and zero after the terminator so that
 * every file that loads encodes back to the same bytes. */
static cwrnn_status
read_control_name(const unsigned char *field, size_t at, uint32_t c, char *name, char *msg,
                  size_t msg_len)
{
	const unsigned char *nul = memchr(field, '\0', CONTROL_NAME_BYTES);
	if (!nul)
		return fail(CWRNN_ERR_DIMENSIONS, msg, msg_len,
		            "control %u's name (offset %zu) is not NUL-terminated within %d bytes", c + 1,
		            at, CONTROL_NAME_BYTES);
	for (const unsigned char *b = nul; b < field + CONTROL_NAME_BYTES; b++)
		if (*b != 0)
			return fail(CWRNN_ERR_DIMENSIONS, msg, msg_len,
			            "control %u's name field (offset %zu) has a non-zero byte after the "
			            "name's end at offset %zu",
			            c + 1, at, at + (size_t)(b - field));
	memcpy(name, field, CONTROL_NAME_BYTES);
	return CWRNN_OK;
}

/* Rule 5, second part: the control table (version 2) into the config. Kinds
 * and names are checked here, where their offsets are known; ranges,
 * defaults, unique names and the input count by cwrnn_config_check. */
static cwrnn_status
read_controls(const unsigned char *data, size_t size, const file_header *h, cwrnn_config *cfg,
              char *msg, size_t msg_len)
{
	if (size < control_table_end(h))
		return truncated(size, control_table_end(h), "its control table ends at", msg, msg_len);
	for (uint32_t c = 0; c < h->n_controls; c++) {
		size_t at = (size_t)module_table_end(h) + CONTROL_BYTES * (size_t)c;
		cursor r = cursor_at(data, size, at);
		uint32_t kind = get_u32(&r);
		if (kind < CWRNN_CONTROL_KNOB || kind > CWRNN_CONTROL_NOTE)
			return fail(CWRNN_ERR_DIMENSIONS, msg, msg_len,
			            "control %u has unknown kind %u (offset %zu; 1 knob, 2 velocity, 3 gate, 4 note)",
			            c + 1, kind, at);
		cwrnn_control *ctl = &cfg->controls[c];
		ctl->kind = (cwrnn_control_kind)kind;
		cwrnn_status st = read_control_name(data + r.at, r.at, c, ctl->name, msg, msg_len);
		if (st != CWRNN_OK)
			return st;
		r.at += CONTROL_NAME_BYTES;
		ctl->min = get_f32(&r);
		ctl->max = get_f32(&r);
		ctl->def = get_f32(&r);
	}
	return CWRNN_OK;
}

/* Rule 5, last part: the config, and the two sizes the header derives
 * from it, must agree with this build's rules. */
static cwrnn_status
check_shape(const file_header *h, const cwrnn_config *cfg, char *msg, size_t msg_len)
{
	if (cwrnn_config_check(cfg, msg, msg_len) != 0)
		return CWRNN_ERR_DIMENSIONS;
	if (h->header_bytes != expected_header_bytes(h))
		return fail(CWRNN_ERR_DIMENSIONS, msg, msg_len,
		            "header_bytes %u (offset 12) should be %llu for %u modules, %u controls, "
		            "name and summary",
		            h->header_bytes, (unsigned long long)expected_header_bytes(h), h->g,
		            h->n_controls);
	cwrnn_layout layout;
	cwrnn_layout_of(cfg, &layout);
	if (h->n_params != layout.n_params)
		return fail(CWRNN_ERR_DIMENSIONS, msg, msg_len,
		            "n_params %u (offset 60) does not match the %zu parameters of this shape",
		            h->n_params, layout.n_params);
	return CWRNN_OK;
}

static uint64_t
expected_total(const file_header *h)
{
	return (uint64_t)h->header_bytes + 4 * (uint64_t)h->n_params + CRC_BYTES;
}

/* Rules 6 and 7: exact length, then the checksum over all but its 4 bytes. */
static cwrnn_status
check_length_and_crc(const unsigned char *data, size_t size, const file_header *h, char *msg,
                     size_t msg_len)
{
	uint64_t total = expected_total(h);
	if (size < total)
		return truncated(size, total, "header announces", msg, msg_len);
	if (size > total)
		return fail(CWRNN_ERR_TRAILING, msg, msg_len,
		            "%llu trailing bytes after the model's %llu",
		            (unsigned long long)(size - total), (unsigned long long)total);
	cursor c = cursor_at(data, size, size - CRC_BYTES);
	uint32_t stored = get_u32(&c);
	uint32_t actual = cwrnn_crc32(0, data, size - CRC_BYTES);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* Fuzz builds only: let mutated files past the checksum so the fuzzer
	 * reaches the checks behind it. */
	stored = actual;
#endif
	if (stored != actual)
		return fail(CWRNN_ERR_CHECKSUM, msg, msg_len,
		            "checksum mismatch: file says 0x%08x, content gives 0x%08x (damaged file)",
		            stored, actual);
	return CWRNN_OK;
}

static cwrnn_status
check_no_nul(const unsigned char *data, size_t at, size_t len, const char *what, char *msg,
             size_t msg_len)
{
	const unsigned char *nul = memchr(data + at, '\0', len);
	if (nul)
		return fail(CWRNN_ERR_DIMENSIONS, msg, msg_len, "%s contains a NUL byte at offset %zu",
		            what, (size_t)(nul - data));
	return CWRNN_OK;
}

/* Rule 8: name and summary are text. */
static cwrnn_status
check_text(const unsigned char *data, const file_header *h, char *msg, size_t msg_len)
{
	size_t name_at = (size_t)control_table_end(h);
	cwrnn_status st = check_no_nul(data, name_at, h->name_len, "model name", msg, msg_len);
	if (st != CWRNN_OK)
		return st;
	return check_no_nul(data, name_at + h->name_len, h->summary_len, "summary", msg, msg_len);
}

/* Rule 9: checked on the bits (exponent all ones), before any allocation. */
static cwrnn_status
check_weights(const unsigned char *data, size_t size, const file_header *h, char *msg,
              size_t msg_len)
{
	cursor c = cursor_at(data, size, h->header_bytes);
	for (uint32_t i = 0; i < h->n_params; i++) {
		uint32_t bits = get_u32(&c);
		if ((bits & 0x7f800000u) == 0x7f800000u)
			return fail(CWRNN_ERR_NONFINITE, msg, msg_len,
			            "weight %u (offset %zu) is %s", i, c.at - 4,
			            (bits & 0x007fffffu) ? "NaN" : "infinite");
	}
	return CWRNN_OK;
}

/* Rules 1-9 in order; on success h and cfg describe a loadable model. */
static cwrnn_status
validate(const unsigned char *data, size_t size, file_header *h, cwrnn_config *cfg, char *msg,
         size_t msg_len)
{
	cwrnn_status st = check_preamble(data, size, msg, msg_len);
	if (st != CWRNN_OK)
		return st;
	read_fixed_header(data, size, h);
	if ((st = check_fields(h, msg, msg_len)) != CWRNN_OK)
		return st;
	config_from_header(h, cfg);
	if ((st = read_modules(data, size, h, cfg, msg, msg_len)) != CWRNN_OK)
		return st;
	if ((st = read_controls(data, size, h, cfg, msg, msg_len)) != CWRNN_OK)
		return st;
	if ((st = check_shape(h, cfg, msg, msg_len)) != CWRNN_OK)
		return st;
	if ((st = check_length_and_crc(data, size, h, msg, msg_len)) != CWRNN_OK)
		return st;
	if ((st = check_text(data, h, msg, msg_len)) != CWRNN_OK)
		return st;
	return check_weights(data, size, h, msg, msg_len);
}

/* Allocates and fills the model from a validated buffer. */
static cwrnn_status
build_model(const unsigned char *data, size_t size, const file_header *h, cwrnn_config *cfg,
            cwrnn_model **out, char *msg, size_t msg_len)
{
	size_t name_at = (size_t)control_table_end(h);
	memcpy(cfg->name, data + name_at, h->name_len);
	cwrnn_model *model = cwrnn_model_new(cfg, msg, msg_len);
	char *summary = malloc((size_t)h->summary_len + 1);
	if (!model || !summary) {
		cwrnn_model_free(model);
		free(summary);
		return fail(CWRNN_ERR_NOMEM, msg, msg_len, "out of memory for the model");
	}
	memcpy(summary, data + name_at + h->name_len, h->summary_len);
	summary[h->summary_len] = '\0';
	free(model->summary);
	model->summary = summary;
	cursor c = cursor_at(data, size, h->header_bytes);
	for (uint32_t i = 0; i < h->n_params; i++)
		model->params[i] = get_f32(&c);
	*out = model;
	return CWRNN_OK;
}

cwrnn_status
cwrnn_model_load_buffer(const void *data, size_t size, cwrnn_model **out, char *msg,
                        size_t msg_len)
{
	if (!out)
		return fail(CWRNN_ERR_INVALID, msg, msg_len, "no place to return the model");
	*out = NULL;
	if (!data && size > 0)
		return fail(CWRNN_ERR_INVALID, msg, msg_len, "no data (NULL buffer of %zu bytes)", size);
	file_header h;
	cwrnn_config cfg;
	cwrnn_status st = validate(data, size, &h, &cfg, msg, msg_len);
	if (st != CWRNN_OK)
		return st;
	return build_model(data, size, &h, &cfg, out, msg, msg_len);
}

/* --------------------------------------------------------- reading files */

/* Reads up to size bytes; stops early only at end of file (it shrank). */
static cwrnn_status
read_all(int fd, unsigned char *buf, size_t size, size_t *got, char *msg, size_t msg_len)
{
	*got = 0;
	while (*got < size) {
		ssize_t n = read(fd, buf + *got, size - *got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(CWRNN_ERR_IO, msg, msg_len, "cannot read: %s", strerror(errno));
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return CWRNN_OK;
}

/* Refuses anything that is not a plausible model file before reading it. */
static cwrnn_status
check_file_kind(int fd, size_t *size, char *msg, size_t msg_len)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return fail(CWRNN_ERR_IO, msg, msg_len, "cannot stat: %s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return fail(CWRNN_ERR_IO, msg, msg_len, "is a directory, not a model file");
	if (!S_ISREG(st.st_mode))
		return fail(CWRNN_ERR_IO, msg, msg_len, "is not a regular file");
	if (st.st_size < 0 || (uint64_t)st.st_size > CWRNN_FILE_MAX_BYTES)
		return fail(CWRNN_ERR_TOO_LARGE, msg, msg_len,
		            "file has %lld bytes, more than any model can have (%zu)",
		            (long long)st.st_size, CWRNN_FILE_MAX_BYTES);
	*size = (size_t)st.st_size;
	return CWRNN_OK;
}

static cwrnn_status
read_model_file(int fd, unsigned char **data, size_t *size, char *msg, size_t msg_len)
{
	size_t expected = 0;
	cwrnn_status st = check_file_kind(fd, &expected, msg, msg_len);
	if (st != CWRNN_OK)
		return st;
	/* + 1: malloc(0) may return NULL, and an empty file is a valid question. */
	*data = malloc(expected + 1);
	if (!*data)
		return fail(CWRNN_ERR_NOMEM, msg, msg_len, "out of memory for %zu bytes", expected);
	return read_all(fd, *data, expected, size, msg, msg_len);
}

cwrnn_status
cwrnn_model_load(const char *path, cwrnn_model **out, char *msg, size_t msg_len)
{
	if (!out || !path)
		return fail(CWRNN_ERR_INVALID, msg, msg_len, "no path or no place to return the model");
	*out = NULL;
	char why[512];
	/* O_NONBLOCK: opening a FIFO must not hang; it is refused after fstat. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fail(CWRNN_ERR_IO, msg, msg_len, "%s: cannot open: %s", path, strerror(errno));
	unsigned char *data = NULL;
	size_t size = 0;
	cwrnn_status st = read_model_file(fd, &data, &size, why, sizeof why);
	close(fd);
	if (st == CWRNN_OK)
		st = cwrnn_model_load_buffer(data, size, out, why, sizeof why);
	free(data);
	if (st != CWRNN_OK)
		fail(st, msg, msg_len, "%s: %s", path, why);
	return st;
}

/* ------------------------------------------------------------- encoding */

typedef struct {
	unsigned char *p;
	size_t at;
} writer;

static void
put_u32(writer *w, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		w->p[w->at++] = (unsigned char)(v >> (8 * i));
}

static void
put_f32(writer *w, float f)
{
	uint32_t bits;
	memcpy(&bits, &f, sizeof bits);
	put_u32(w, bits);
}

static void
put_bytes(writer *w, const void *data, size_t len)
{
	memcpy(w->p + w->at, data, len);
	w->at += len;
}

/* A model built by hand may have been edited after cwrnn_model_new; check
 * what the loader would check, so every file we write loads back. */
static cwrnn_status
check_model(const cwrnn_model *model, cwrnn_layout *layout, char *msg, size_t msg_len)
{
	if (!model || !model->params || !model->summary)
		return fail(CWRNN_ERR_INVALID, msg, msg_len, "no model, weights or summary");
	if (cwrnn_config_check(&model->config, msg, msg_len) != 0)
		return CWRNN_ERR_INVALID;
	cwrnn_layout_of(&model->config, layout);
	if (model->layout.n_params != layout->n_params)
		return fail(CWRNN_ERR_INVALID, msg, msg_len, "layout has %zu parameters, config %zu",
		            model->layout.n_params, layout->n_params);
	if (strlen(model->summary) > CWRNN_SUMMARY_MAX)
		return fail(CWRNN_ERR_INVALID, msg, msg_len, "summary is longer than %d bytes",
		            CWRNN_SUMMARY_MAX);
	for (size_t i = 0; i < layout->n_params; i++)
		if (!isfinite(model->params[i]))
			return fail(CWRNN_ERR_NONFINITE, msg, msg_len, "weight %zu is %g", i,
			            (double)model->params[i]);
	return CWRNN_OK;
}

static void
put_header(writer *w, const cwrnn_config *cfg, uint32_t header_bytes, uint32_t name_len,
           uint32_t summary_len, size_t n_params)
{
	put_bytes(w, file_magic, MAGIC_BYTES);
	put_u32(w, CWRNN_FILE_VERSION);
	put_u32(w, header_bytes);
	put_u32(w, cfg->skip ? FLAG_SKIP : 0);
	put_u32(w, (uint32_t)cfg->task);
	put_u32(w, (uint32_t)cfg->n_modules);
	put_u32(w, (uint32_t)cfg->n_inputs);
	put_u32(w, (uint32_t)cfg->n_outputs);
	put_u32(w, cfg->phase);
	put_f32(w, cfg->sample_rate);
	put_f32(w, cfg->in_scale);
	put_f32(w, cfg->out_scale);
	put_u32(w, name_len);
	put_u32(w, summary_len);
	put_u32(w, (uint32_t)n_params);
	put_u32(w, (uint32_t)cfg->n_controls);
	put_f32(w, cfg->root_note);
	for (int i = 0; i < cfg->n_modules; i++)
		put_u32(w, (uint32_t)cfg->sizes[i]);
	for (int i = 0; i < cfg->n_modules; i++)
		put_u32(w, cfg->periods[i]);
	for (int c = 0; c < cfg->n_controls; c++) {
		const cwrnn_control *ctl = &cfg->controls[c];
		unsigned char name[CONTROL_NAME_BYTES] = {0};
		memcpy(name, ctl->name, strlen(ctl->name));  /* zero-padded, as the loader wants */
		put_u32(w, (uint32_t)ctl->kind);
		put_bytes(w, name, sizeof name);
		put_f32(w, ctl->min);
		put_f32(w, ctl->max);
		put_f32(w, ctl->def);
	}
}

static cwrnn_status
encode_model(const cwrnn_model *model, unsigned char **out, size_t *size, char *msg,
             size_t msg_len)
{
	cwrnn_layout layout;
	cwrnn_status st = check_model(model, &layout, msg, msg_len);
	if (st != CWRNN_OK)
		return st;
	const cwrnn_config *cfg = &model->config;
	uint32_t name_len = (uint32_t)strlen(cfg->name);
	uint32_t summary_len = (uint32_t)strlen(model->summary);
	uint32_t header_bytes = FIXED_HEADER_BYTES_V2 + 8 * (uint32_t)cfg->n_modules
	                        + CONTROL_BYTES * (uint32_t)cfg->n_controls + name_len + summary_len;
	*size = header_bytes + 4 * layout.n_params + CRC_BYTES;
	writer w = {malloc(*size), 0};
	if (!w.p)
		return fail(CWRNN_ERR_NOMEM, msg, msg_len, "out of memory for %zu bytes", *size);
	put_header(&w, cfg, header_bytes, name_len, summary_len, layout.n_params);
	put_bytes(&w, cfg->name, name_len);
	put_bytes(&w, model->summary, summary_len);
	for (size_t i = 0; i < layout.n_params; i++)
		put_f32(&w, model->params[i]);
	put_u32(&w, cwrnn_crc32(0, w.p, w.at));
	*out = w.p;
	return CWRNN_OK;
}

void *
cwrnn_model_encode(const cwrnn_model *model, size_t *size)
{
	unsigned char *data = NULL;
	size_t n = 0;
	if (!size || encode_model(model, &data, &n, NULL, 0) != CWRNN_OK)
		return NULL;
	*size = n;
	return data;
}

cwrnn_status
cwrnn_model_save(const cwrnn_model *model, const char *path, char *msg, size_t msg_len)
{
	if (!path)
		return fail(CWRNN_ERR_INVALID, msg, msg_len, "no path to save the model to");
	char why[512];
	unsigned char *data = NULL;
	size_t size = 0;
	cwrnn_status st = encode_model(model, &data, &size, why, sizeof why);
	if (st != CWRNN_OK)
		return fail(st, msg, msg_len, "%s: %s", path, why);
	int rc = cw_write_atomically(path, data, size, msg, msg_len);
	free(data);
	return rc == 0 ? CWRNN_OK : CWRNN_ERR_IO;
}
