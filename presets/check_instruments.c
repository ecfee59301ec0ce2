/*
 * The bundled instruments against their own recordings (audio/NAME/, made by
 * audio/make-audio.sh), through lilv and the instrument plugin at 48 kHz:
 *   pitch     C2 to C7, recorded notes and the ones between, within 3 cents
 *             of equal temperament (A4 = 440 Hz);
 *   velocity  C4 at velocity 127 is louder and brighter (spectral centroid)
 *             than at 40, as in the recordings, and the centroid ratio is
 *             within 30 % of the recordings' ratio;
 *   release   after the note-off C4 falls 60 dB below its loudest within
 *             twice the time the recording takes.
 * Every number printed. Needs LV2_PATH pointing at build/lv2 and the
 * recordings in audio/ (or CW_AUDIO_DIR).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "host.h"
#include "signal.h"

#define INSTRUMENT "https://cwrnn.org/lv2/instrument"
#define RATE 48000.0
#define HOLD 0.5         /* seconds the recorded notes are held */
#define WINDOW 0.01      /* seconds per RMS frame of the release envelope */
#define FFT_N 4096

static const struct {
	const char *preset, *dir;
} instruments[] = {
	{ "https://cwrnn.org/lv2/presets/instrument-epiano", "epiano" },
	{ "https://cwrnn.org/lv2/presets/instrument-guitar", "guitar" },
	{ "https://cwrnn.org/lv2/presets/instrument-organ", "organ" },
};
#define N_INSTRUMENTS (int)(sizeof instruments / sizeof instruments[0])

typedef struct {
	float *x;
	size_t n;
	double rate;
} sound;

static sound
recording(const char *dir, int note, int velocity)
{
	const char *root = getenv("CW_AUDIO_DIR");
	char path[1200];
	snprintf(path, sizeof path, "%s/%s/n%d_v%d.flac", root ? root : "audio", dir, note, velocity);
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	ck_assert_msg(f != NULL, "cannot read %s: %s", path, sf_strerror(NULL));
	ck_assert_int_eq(info.channels, 1);
	sound s = { malloc((size_t)info.frames * sizeof(float)), (size_t)info.frames,
	            info.samplerate };
	ck_assert_int_eq(sf_readf_float(f, s.x, info.frames), info.frames);
	sf_close(f);
	return s;
}

/* The instrument playing note at velocity, held HOLD seconds, for seconds;
 * the left channel (Spread 0: both are the same). */
static sound
played(int k, int note, int velocity, double seconds)
{
	lh_host *h = host_open(INSTRUMENT, RATE, LH_ALL);
	ck_assert_int_eq(lh_apply_preset(h, instruments[k].preset), 0);
	ck_assert_int_eq(lh_set_control(h, "spread", 0.0f), 0);
	sound s = { calloc((size_t)(seconds * RATE), sizeof(float)), (size_t)(seconds * RATE), RATE };
	size_t off = (size_t)(HOLD * RATE);
	const uint8_t on[3] = { 0x90, (uint8_t)note, (uint8_t)velocity }, up[3] = { 0x80, (uint8_t)note, 0 };
	for (size_t at = 0; at < s.n; at += 256) {
		uint32_t b = s.n - at < 256 ? (uint32_t)(s.n - at) : 256;
		if (at == 0)
			ck_assert_int_eq(lh_send_midi(h, 0, on, 3), 0);
		if (off >= at && off < at + b)
			ck_assert_int_eq(lh_send_midi(h, (uint32_t)(off - at), up, 3), 0);
		float *out[2] = { s.x + at, NULL };
		lh_run(h, NULL, out, b);
	}
	ck_assert_int_eq(h->log_errors, 0);
	host_free(h);
	return s;
}

static double
rms(const sound *s, double from, double to)
{
	size_t a = (size_t)(from * s->rate), b = (size_t)(to * s->rate);
	b = b > s->n ? s->n : b;
	double e = 0.0;
	for (size_t t = a; t < b; t++)
		e += (double)s->x[t] * s->x[t];
	return sqrt(e / (double)(b > a ? b - a : 1));
}

/* Spectral centroid (Hz) of the held part. */
static double
centroid(const sound *s, double from, double to)
{
	size_t a = (size_t)(from * s->rate), b = (size_t)(to * s->rate);
	double c = sig_centroid(s->x + a, b - a, FFT_N, s->rate);
	ck_assert(isfinite(c));
	return c;
}

/* Seconds from the release until the envelope (WINDOW RMS frames) stays 60 dB
 * below its loudest frame; INFINITY if it never does. */
static double
release_time(const sound *s)
{
	size_t w = (size_t)(WINDOW * s->rate), frames = s->n / w;
	double loudest = 0.0;
	for (size_t f = 0; f < frames; f++)
		loudest = fmax(loudest, rms(s, (double)(f * w) / s->rate, (double)((f + 1) * w) / s->rate));
	size_t first = (size_t)(HOLD / WINDOW), quiet_from = frames;
	for (size_t f = frames; f-- > first;) {
		if (rms(s, (double)(f * w) / s->rate, (double)((f + 1) * w) / s->rate) >
		    1e-3 * loudest)
			break;
		quiet_from = f;
	}
	return quiet_from < frames ? (double)quiet_from * WINDOW - HOLD : INFINITY;
}

static double
note_hz(int note)
{
	return 440.0 * pow(2.0, (note - 69) / 12.0);
}

START_TEST(pitch_is_equal_tempered_over_five_octaves)
{
	/* C2 .. C7, recorded and in between */
	static const int notes[] = { 36, 43, 48, 55, 60, 66, 72, 79, 84, 91, 96 };
	/* 30 ms after the attack to 0.35 s: early, because a decaying note runs
	 * out sooner the higher it is played (C7 runs at 4.8 times C5's rate) */
	size_t n = (size_t)(0.35 * RATE), from = (size_t)(0.03 * RATE);
	float *l = malloc(n * sizeof *l);
	int m = _i;
	double worst = 0.0;
	for (size_t k = 0; k < sizeof notes / sizeof *notes; k++) {
		sound s = played(m, notes[k], 100, 0.35);
		memcpy(l, s.x, n * sizeof *l);
		free(s.x);
		double p = sig_period(l + from, n - from, RATE / note_hz(notes[k]));
		double cents = 1200.0 * log2(RATE / p / note_hz(notes[k]));
		printf("%s: note %d: %.3f Hz, %+.2f cents\n", instruments[m].dir, notes[k], RATE / p,
		       cents);
		worst = fabs(cents) > fabs(worst) ? cents : worst;
	}
	free(l);
	ck_assert_msg(fabs(worst) <= 3.0, "%s: %.2f cents off", instruments[m].dir, worst);
}
END_TEST

START_TEST(velocity_makes_it_louder_and_brighter_like_the_recording)
{
	int k = _i;
	sound r40 = recording(instruments[k].dir, 60, 40), r127 = recording(instruments[k].dir, 60, 127);
	sound p40 = played(k, 60, 40, HOLD), p127 = played(k, 60, 127, HOLD);
	double a = 0.05, b = HOLD - 0.02;
	double rl = rms(&r127, a, b) / rms(&r40, a, b), pl = rms(&p127, a, b) / rms(&p40, a, b);
	double rc = centroid(&r127, a, b) / centroid(&r40, a, b);
	double pc = centroid(&p127, a, b) / centroid(&p40, a, b);
	printf("%s: velocity 127/40: level x%.2f (recording x%.2f), centroid x%.3f (recording "
	       "x%.3f, %.0f -> %.0f Hz played)\n", instruments[k].dir, pl, rl, pc, rc,
	       centroid(&p40, a, b), centroid(&p127, a, b));
	ck_assert_msg((pl > 1.0) == (rl > 1.0), "level goes the other way");
	ck_assert_msg((pc > 1.0) == (rc > 1.0), "brightness goes the other way");
	ck_assert_msg(fabs(pc / rc - 1.0) <= 0.3, "centroid ratio %.3f vs the recording's %.3f", pc,
	              rc);
	free(r40.x), free(r127.x), free(p40.x), free(p127.x);
}
END_TEST

START_TEST(release_dies_away_within_twice_the_recording)
{
	int k = _i;
	sound r = recording(instruments[k].dir, 60, 127);
	double tr = release_time(&r);
	sound p = played(k, 60, 127, HOLD + 2.0 * tr + 0.5);
	double tp = release_time(&p);
	printf("%s: release to -60 dB: %.3f s (recording %.3f s)\n", instruments[k].dir, tp, tr);
	ck_assert_msg(isfinite(tr), "the recording never falls 60 dB");
	ck_assert_msg(tp <= 2.0 * tr, "%.3f s, more than twice the recording's %.3f s", tp, tr);
	free(r.x), free(p.x);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("instruments");
	TCase *tc = tcase_create("against the recordings");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, pitch_is_equal_tempered_over_five_octaves, 0, N_INSTRUMENTS);
	tcase_add_loop_test(tc, velocity_makes_it_louder_and_brighter_like_the_recording, 0,
	                    N_INSTRUMENTS);
	tcase_add_loop_test(tc, release_dies_away_within_twice_the_recording, 0, N_INSTRUMENTS);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
