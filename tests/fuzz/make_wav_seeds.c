/* Writes the seed corpus for the audio-reader fuzzer: short valid files in
 * the formats libsndfile writes (WAV in several sample formats, WAVEX, RF64,
 * W64, AIFF, AU, CAF, FLAC, Ogg Vorbis) and damaged copies of a WAV: cut
 * short, header only, empty, absurd rate and channel counts, a data chunk
 * claiming 4 GiB, NaN and infinite float samples, a flipped header byte.
 * Usage: make_wav_seeds DIR */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#define FRAMES 256

static const char *dir;

static void
write_file(const char *name, const void *data, size_t size)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
		fprintf(stderr, "make_wav_seeds: cannot write %s\n", path);
		exit(1);
	}
}

/* Writes a valid file through libsndfile and returns its bytes. */
static unsigned char *
make(const char *name, int format, int channels, int rate, size_t *size)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	SF_INFO info = {.samplerate = rate, .channels = channels, .format = format};
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	if (!sf) {
		fprintf(stderr, "make_wav_seeds: %s: %s\n", path, sf_strerror(NULL));
		exit(1);
	}
	float x[FRAMES * 2];
	for (int t = 0; t < FRAMES; t++)
		for (int c = 0; c < channels; c++)
			x[t * channels + c] = 0.5f * sinf(0.05f * (float)(t * (c + 1)));
	sf_writef_float(sf, x, FRAMES);
	sf_close(sf);
	FILE *f = fopen(path, "rb");
	if (!f)
		exit(1);
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	rewind(f);
	unsigned char *bytes = malloc(*size);
	if (!bytes || fread(bytes, 1, *size, f) != *size)
		exit(1);
	fclose(f);
	return bytes;
}

static void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void
put_u16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

/* A copy of a canonical 44-byte-header WAV with one change. */
static void
damaged(const char *name, const unsigned char *wav, size_t size, size_t at, int bytes, uint32_t v)
{
	unsigned char *b = malloc(size);
	memcpy(b, wav, size);
	if (bytes == 4)
		put_u32(b + at, v);
	else
		put_u16(b + at, (uint16_t)v);
	write_file(name, b, size);
	free(b);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_wav_seeds DIR\n");
		return 2;
	}
	dir = argv[1];
	size_t n;
	free(make("pcm16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, &n));
	free(make("pcm24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 2, 44100, &n));
	free(make("pcmu8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 1, 8000, &n));
	free(make("double.wav", SF_FORMAT_WAV | SF_FORMAT_DOUBLE, 1, 96000, &n));
	free(make("ulaw.wav", SF_FORMAT_WAV | SF_FORMAT_ULAW, 1, 8000, &n));
	free(make("imaadpcm.wav", SF_FORMAT_WAV | SF_FORMAT_IMA_ADPCM, 1, 22050, &n));
	free(make("wavex.wav", SF_FORMAT_WAVEX | SF_FORMAT_FLOAT, 2, 48000, &n));
	free(make("rf64.wav", SF_FORMAT_RF64 | SF_FORMAT_FLOAT, 1, 48000, &n));
	free(make("w64.w64", SF_FORMAT_W64 | SF_FORMAT_PCM_16, 1, 48000, &n));
	free(make("aiff.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 2, 44100, &n));
	free(make("au.au", SF_FORMAT_AU | SF_FORMAT_FLOAT, 1, 48000, &n));
	free(make("caf.caf", SF_FORMAT_CAF | SF_FORMAT_PCM_16, 1, 48000, &n));
	free(make("flac.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 48000, &n));
	free(make("vorbis.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1, 48000, &n));

	/* A canonical float WAV: RIFF header 12 bytes, fmt chunk at 12 (channels
	 * at 22, rate at 24), then the data chunk. */
	unsigned char *wav = make("float.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 48000, &n);
	size_t data_at = 0;
	for (size_t i = 12; i + 8 <= n; i++)
		if (!memcmp(wav + i, "data", 4)) {
			data_at = i;
			break;
		}
	if (!data_at || memcmp(wav + 12, "fmt ", 4)) {
		fprintf(stderr, "make_wav_seeds: unexpected float WAV layout\n");
		return 1;
	}
	write_file("float.truncated.wav", wav, n / 2);
	write_file("float.header-only.wav", wav, data_at + 8);
	write_file("empty.wav", wav, 0);
	write_file("riff-only.wav", wav, 12);
	damaged("float.rate-0.wav", wav, n, 24, 4, 0);
	damaged("float.rate-10MHz.wav", wav, n, 24, 4, 10000000);
	damaged("float.rate-1Hz.wav", wav, n, 24, 4, 1);
	damaged("float.channels-0.wav", wav, n, 22, 2, 0);
	damaged("float.channels-200.wav", wav, n, 22, 2, 200);
	damaged("float.data-4GiB.wav", wav, n, data_at + 4, 4, 0xffffffffu);
	damaged("float.riff-4GiB.wav", wav, n, 4, 4, 0xffffffffu);
	damaged("float.data-0.wav", wav, n, data_at + 4, 4, 0);
	damaged("float.fmt-huge.wav", wav, n, 16, 4, 0x7ffffff0u);
	damaged("float.format-tag-7.wav", wav, n, 20, 2, 7);
	damaged("float.bits-13.wav", wav, n, 34, 2, 13);
	float nan = NAN, inf = INFINITY;
	uint32_t bits;
	memcpy(&bits, &nan, 4);
	damaged("float.nan.wav", wav, n, data_at + 8 + 4 * 100, 4, bits);
	memcpy(&bits, &inf, 4);
	damaged("float.inf.wav", wav, n, data_at + 8 + 4 * 7, 4, bits);
	unsigned char *flipped = malloc(n);
	memcpy(flipped, wav, n);
	flipped[30] ^= 0x40;
	write_file("float.flipped.wav", flipped, n);
	free(flipped);
	free(wav);
	return 0;
}
