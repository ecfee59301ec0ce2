/* Audio files: libsndfile reads and atomic float writes. */
#include "wav.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#include "cwrnn.h"
#include "atomic_file.h"
#include "util.h"

/* Why a file libsndfile refused cannot be opened, in the user's terms. */
static int
open_error(const char *path, char *msg, size_t msg_len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cw_fail(msg, msg_len, "cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	int is_dir = fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode);
	fclose(f);
	if (is_dir)
		return cw_fail(msg, msg_len, "'%s' is a directory, not an audio file", path);
	return cw_fail(msg, msg_len, "'%s' is not a WAV file (or any audio format libsndfile reads); "
	            "convert it to WAV first", path);
}

/* Validates and reads everything from an open file; name is what messages
 * call it. Closes sf. */
static int
read_open(SNDFILE *sf, const SF_INFO *pinfo, const char *path, wav_audio *w, char *msg,
          size_t msg_len)
{
	SF_INFO info = *pinfo;
	int rc = -1;
	if (info.frames <= 0 || info.channels <= 0) {
		cw_fail(msg, msg_len, "'%s' contains no audio (0 samples)", path);
		goto done;
	}
	if ((size_t)info.frames > WAV_MAX_FRAMES) {
		cw_fail(msg, msg_len, "'%s' is too long (%lld frames, at most %zu); cut it shorter", path,
		     (long long)info.frames, WAV_MAX_FRAMES);
		goto done;
	}
	if (info.channels > CWRNN_MAX_INPUTS) {
		cw_fail(msg, msg_len, "'%s' has %d channels (at most %d)", path, info.channels,
		     CWRNN_MAX_INPUTS);
		goto done;
	}
	if (info.samplerate < CWRNN_MIN_SAMPLE_RATE || info.samplerate > CWRNN_MAX_SAMPLE_RATE) {
		cw_fail(msg, msg_len, "'%s' has a sample rate of %d Hz (allowed %g..%g); resample it", path,
		     info.samplerate, CWRNN_MIN_SAMPLE_RATE, CWRNN_MAX_SAMPLE_RATE);
		goto done;
	}
	size_t n = (size_t)info.frames * (size_t)info.channels;
	w->samples = malloc(n * sizeof *w->samples);
	if (!w->samples) {
		cw_fail(msg, msg_len, "out of memory reading '%s' (%zu samples)", path, n);
		goto done;
	}
	sf_count_t got = sf_readf_double(sf, w->samples, info.frames);
	if (got != info.frames) {
		cw_fail(msg, msg_len, "'%s' is truncated or unreadable after frame %lld of %lld", path,
		     (long long)got, (long long)info.frames);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(w->samples[i])) {
			cw_fail(msg, msg_len, "'%s' has a NaN or infinite sample at frame %zu; fix the file",
			     path, i / (size_t)info.channels);
			goto done;
		}
	}
	w->frames = (size_t)info.frames;
	w->channels = info.channels;
	w->rate = info.samplerate;
	rc = 0;
done:
	sf_close(sf);
	if (rc != 0)
		wav_free(w);
	return rc;
}

int
wav_read(const char *path, wav_audio *w, char *msg, size_t msg_len)
{
	memset(w, 0, sizeof *w);
	SF_INFO info;
	memset(&info, 0, sizeof info);
	SNDFILE *sf = sf_open(path, SFM_READ, &info);
	if (!sf)
		return open_error(path, msg, msg_len);
	return read_open(sf, &info, path, w, msg, msg_len);
}

/* A read-only file in memory for sf_open_virtual. */
typedef struct {
	const unsigned char *data;
	sf_count_t size, pos;
} mem_file;

static sf_count_t
mem_length(void *user)
{
	return ((mem_file *)user)->size;
}

static sf_count_t
mem_seek(sf_count_t offset, int whence, void *user)
{
	/* As lseek: any position from 0 on, past the end too (reads there
	 * return nothing). libsndfile's parsers do seek past the end of damaged
	 * files, and refusing it made them read such files differently. */
	mem_file *m = user;
	sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->size;
	if (offset < -base || (offset > 0 && base > INT64_MAX - offset))
		return -1;
	m->pos = base + offset;
	return m->pos;
}

static sf_count_t
mem_read(void *ptr, sf_count_t count, void *user)
{
	mem_file *m = user;
	if (count <= 0 || m->pos >= m->size)
		return 0;
	if (count > m->size - m->pos)
		count = m->size - m->pos;
	memcpy(ptr, m->data + m->pos, (size_t)count);
	m->pos += count;
	return count;
}

static sf_count_t
mem_write(const void *ptr, sf_count_t count, void *user)
{
	(void)ptr, (void)count, (void)user;
	return 0;
}

static sf_count_t
mem_tell(void *user)
{
	return ((mem_file *)user)->pos;
}

int
wav_read_memory(const void *data, size_t size, const char *name, wav_audio *w, char *msg,
                size_t msg_len)
{
	memset(w, 0, sizeof *w);
	SF_VIRTUAL_IO io = {mem_length, mem_seek, mem_read, mem_write, mem_tell};
	mem_file m = {data, (sf_count_t)size, 0};
	SF_INFO info;
	memset(&info, 0, sizeof info);
	SNDFILE *sf = sf_open_virtual(&io, SFM_READ, &info, &m);
	if (!sf)
		return cw_fail(msg, msg_len, "'%s' is not a WAV file (or any audio format libsndfile "
		               "reads); convert it to WAV first", name);
	return read_open(sf, &info, name, w, msg, msg_len);
}

int
wav_to_mono(wav_audio *w, const char *path, int mixdown, char *msg, size_t msg_len)
{
	if (w->channels == 1)
		return 0;
	if (!mixdown)
		return cw_fail(msg, msg_len, "'%s' has %d channels; models are mono: pass --mixdown to "
		            "average the channels, or give a mono file", path, w->channels);
	size_t c = (size_t)w->channels;
	for (size_t t = 0; t < w->frames; t++) {
		double sum = 0.0;
		for (size_t j = 0; j < c; j++)
			sum += w->samples[t * c + j];
		w->samples[t] = sum / (double)c;
	}
	w->channels = 1;
	return 0;
}

void
wav_free(wav_audio *w)
{
	free(w->samples);
	memset(w, 0, sizeof *w);
}

double
wav_peak(const double *x, size_t n)
{
	double peak = 0.0;
	for (size_t i = 0; i < n; i++)
		if (fabs(x[i]) > peak)
			peak = fabs(x[i]);
	return peak;
}

int
wav_write_float(const char *path, const float *data, size_t frames, int channels, int rate,
                char *msg, size_t msg_len)
{
	SF_INFO info;
	memset(&info, 0, sizeof info);
	info.samplerate = rate;
	info.channels = channels;
	info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
	if (frames > 0x7fffffffu / (unsigned)channels)
		info.format = SF_FORMAT_RF64 | SF_FORMAT_FLOAT;
	cw_atomic_file f;
	if (cw_atomic_open(&f, path, msg, msg_len) != 0)
		return -1;
	/* libsndfile writes through our descriptor and leaves it open. */
	SNDFILE *sf = sf_open_fd(f.fd, SFM_WRITE, &info, SF_FALSE);
	if (!sf) {
		cw_fail(msg, msg_len, "cannot write '%s': %s", path, sf_strerror(NULL));
		cw_atomic_abandon(&f);
		return -1;
	}
	/* No PEAK chunk: it carries a timestamp, and the same audio must give
	 * the same bytes (renders are compared with cmp). */
	sf_command(sf, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
	int rc = 0;
	if (sf_writef_float(sf, data, (sf_count_t)frames) != (sf_count_t)frames)
		rc = cw_fail(msg, msg_len, "cannot write '%s': %s", path, sf_strerror(sf));
	if (sf_close(sf) != 0 && rc == 0)
		rc = cw_fail(msg, msg_len, "cannot finish writing '%s'", path);
	if (rc != 0) {
		cw_atomic_abandon(&f);
		return -1;
	}
	return cw_atomic_commit(&f, path, msg, msg_len);
}
