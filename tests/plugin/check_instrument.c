/*
 * The instrument plugin: voice allocation (voices.c, directly), and the
 * bundled instruments through lilv: the sustain pedal, no clicks when voices
 * start, stop and are stolen, no heap calls in run() with every voice
 * sounding, headroom. What the instruments play against their recordings
 * (pitch, velocity, release) is presets/check_instruments.c.
 */
#include <check.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "fixture.h"
#include "heap.h"
#include "host.h"
#include "signal.h"
#include "suites.h"
#include "uris.h"
#include "voices.h"
#include "wav.h"

#define RATE 48000.0
#define PI 3.14159265358979323846
#define C1_HZ 32.70319566257483 /* MIDI note 24: C2's sub-octave */
#define VOICE_GAIN 0.25 /* CW_VOICE_GAIN (instrument.c): one voice's gain, panned hard */

/* ------------------------------------------------------- voice allocation */

static int
voice_of(const cw_voices *p, int note)
{
	for (int i = 0; i < CW_MAX_VOICES; i++)
		if (p->v[i].phase != CW_VOICE_FREE && p->v[i].note == note &&
		    p->v[i].phase != CW_VOICE_FADING)
			return i;
	return -1;
}

/* Runs every voice's fades for n samples. */
static void
advance(cw_voices *p, int n)
{
	for (int t = 0; t < n; t++)
		for (int i = 0; i < CW_MAX_VOICES; i++) {
			cw_voices_advance(p, i);
			p->v[i].restart = 0;
		}
}

START_TEST(voices_take_free_then_released_then_oldest)
{
	cw_voices p;
	cw_voices_init(&p, RATE);
	cw_voices_set_limit(&p, 3);
	cw_voices_note_on(&p, 60, 100);
	cw_voices_note_on(&p, 62, 100);
	cw_voices_note_on(&p, 64, 100);
	ck_assert_int_eq(cw_voices_active(&p), 3);
	ck_assert_int_eq(p.v[0].note, 60);
	ck_assert(p.v[0].restart && p.v[0].amp == 0.0f); /* starts at once, fading in */
	advance(&p, 100);
	ck_assert_float_eq(p.v[2].amp, 1.0f);
	/* released voices first: 62 then 60 released; the first released goes */
	cw_voices_note_off(&p, 62);
	cw_voices_note_off(&p, 60);
	cw_voices_note_on(&p, 65, 90);
	ck_assert_int_eq(p.v[1].phase, CW_VOICE_FADING);
	ck_assert_int_eq(p.v[1].next_note, 65);
	/* the steal fade is at most 5 ms */
	int n = 0;
	while (p.v[1].phase == CW_VOICE_FADING && n < 10000) {
		advance(&p, 1);
		n++;
	}
	ck_assert_int_le(n, (int)(0.005 * RATE));
	ck_assert_int_eq(p.v[1].note, 65);
	ck_assert_int_eq(p.v[1].gate, 1);
	ck_assert_float_eq(p.v[1].velocity, 90.0f);
	/* with none released, the oldest playing one (64, since 60 is released) */
	cw_voices_note_on(&p, 67, 100);
	ck_assert_int_eq(p.v[0].next_note, 67); /* 60 was released */
	advance(&p, 1000);
	cw_voices_note_on(&p, 69, 100);
	ck_assert_int_eq(p.v[2].next_note, 69); /* 64 is now the oldest playing */
	advance(&p, 1000);
	ck_assert_int_eq(voice_of(&p, 69), 2);
	/* a repeated key restarts its own voice */
	cw_voices_note_on(&p, 67, 50);
	ck_assert_int_eq(p.v[0].next_note, 67);
}
END_TEST

START_TEST(voices_follow_sustain_and_all_notes_off)
{
	cw_voices p;
	cw_voices_init(&p, RATE);
	cw_voices_note_on(&p, 60, 100);
	cw_voices_sustain(&p, 1);
	cw_voices_note_off(&p, 60);
	ck_assert_int_eq(p.v[0].gate, 1);  /* the pedal holds it */
	cw_voices_note_on(&p, 64, 100);
	cw_voices_sustain(&p, 0);
	ck_assert_int_eq(p.v[0].gate, 0);
	ck_assert_int_eq(p.v[0].phase, CW_VOICE_RELEASED);
	ck_assert_int_eq(p.v[1].gate, 1);  /* its key is still down */
	cw_voices_all_notes_off(&p);
	ck_assert_int_eq(p.v[1].gate, 0);
	cw_voices_all_sound_off(&p);
	advance(&p, (int)(0.005 * RATE));
	ck_assert_int_eq(cw_voices_active(&p), 0);
	/* a note-off during a steal fade releases the note once it starts */
	cw_voices_set_limit(&p, 1);
	cw_voices_note_on(&p, 60, 100);
	advance(&p, 10);
	cw_voices_note_on(&p, 62, 100);
	cw_voices_note_off(&p, 62);
	advance(&p, (int)(0.005 * RATE));
	ck_assert_int_eq(p.v[0].note, 62);
	ck_assert_int_eq(p.v[0].phase, CW_VOICE_RELEASED);
	/* lowering the limit fades the voices above it */
	cw_voices_set_limit(&p, 4);
	for (int k = 0; k < 4; k++)
		cw_voices_note_on(&p, 70 + k, 100);
	cw_voices_set_limit(&p, 2);
	advance(&p, (int)(0.005 * RATE));
	ck_assert_int_eq(p.v[2].phase, CW_VOICE_FREE);
	ck_assert_int_eq(p.v[3].phase, CW_VOICE_FREE);
}
END_TEST

/* A pool of two voices playing a then b (voices 0 and 1). */
static void
two_playing(cw_voices *p, int a, int b)
{
	cw_voices_init(p, RATE);
	cw_voices_set_limit(p, 2);
	cw_voices_note_on(p, a, 100);
	cw_voices_note_on(p, b, 100);
}

/* A key pressed again while a stolen voice fades out to start it takes that
 * voice (with the new velocity, and a note-off before it no longer counts),
 * not a second one. */
START_TEST(voices_a_key_pressed_again_during_its_steal_fade_keeps_one_voice)
{
	cw_voices p;
	two_playing(&p, 60, 64);
	advance(&p, 100);
	cw_voices_note_on(&p, 62, 100); /* steals 60, the oldest */
	ck_assert_int_eq(p.v[0].next_note, 62);
	cw_voices_note_off(&p, 62);
	cw_voices_note_on(&p, 62, 50);
	ck_assert_int_eq(p.v[1].phase, CW_VOICE_PLAYING); /* 64 plays on */
	ck_assert_int_eq(p.v[1].note, 64);
	advance(&p, (int)(0.005 * RATE));
	ck_assert_int_eq(p.v[0].note, 62);
	ck_assert_int_eq(p.v[0].phase, CW_VOICE_PLAYING); /* its key is down again */
	ck_assert_float_eq(p.v[0].velocity, 50.0f);
	ck_assert_int_eq(p.v[1].note, 64);
}
END_TEST

/* With every voice playing, a note-on steals a voice only the sustain pedal
 * holds before one whose key is down, even an older one. */
START_TEST(voices_steal_pedal_held_notes_before_held_keys)
{
	cw_voices p;
	two_playing(&p, 64, 60);
	cw_voices_sustain(&p, 1);
	cw_voices_note_off(&p, 60);
	advance(&p, 100);
	cw_voices_note_on(&p, 67, 100);
	ck_assert_int_eq(p.v[1].phase, CW_VOICE_FADING);
	ck_assert_int_eq(p.v[1].next_note, 67);
	ck_assert_int_eq(p.v[0].phase, CW_VOICE_PLAYING); /* 64's key is down */
}
END_TEST

/* ------------------------------------------------------------- the plugin */

static lh_host *
open_instrument(int model)
{
	lh_host *h = host_open(CW_URI_INSTRUMENT, RATE, LH_ALL);
	ck_assert_int_eq(h->n_audio_in, 0);
	ck_assert_int_eq(h->n_audio_out, 2);
	ck_assert_int_eq(lh_set_control(h, "model", (float)model), 0);
	return h;
}

static void
midi(lh_host *h, uint32_t frame, uint8_t s, uint8_t d1, uint8_t d2)
{
	const uint8_t m[3] = { s, d1, d2 };
	ck_assert_int_eq(lh_send_midi(h, frame, m, 3), 0);
}

/* Renders n frames into l, r (either may be NULL) in blocks of 256. */
static void
render(lh_host *h, float *l, float *r, size_t n)
{
	static float scratch[2][256];
	for (size_t at = 0; at < n; at += 256) {
		uint32_t b = n - at < 256 ? (uint32_t)(n - at) : 256;
		float *out[2] = { l ? l + at : scratch[0], r ? r + at : scratch[1] };
		lh_run(h, NULL, out, b);
	}
}

/* How many instruments the model port lists (its scale points). */
static int
n_instruments(void)
{
	lh_host *h = host_open(CW_URI_INSTRUMENT, RATE, LH_ALL);
	LilvNode *sym = lilv_new_string(h->world, "model");
	const LilvPort *port = lilv_plugin_get_port_by_symbol(h->plugin, sym);
	LilvScalePoints *points = lilv_port_get_scale_points(h->plugin, port);
	int n = points ? (int)lilv_scale_points_size(points) : 0;
	lilv_scale_points_free(points);
	lilv_node_free(sym);
	host_free(h);
	return n;
}

/* Plays n frames (a multiple of 2048) into l and r (NULL: discarded) with
 * per_block seeded random note-ons and note-offs in each 2048-frame block,
 * one in each of per_block equal slots at a random offset within it: notes
 * lowest .. lowest + range - 1 at any velocity. */
static void
play_random_notes(lh_host *h, float *l, float *r, size_t n, int per_block, int lowest, int range)
{
	uint32_t seed = 12345, slot = 2048 / (uint32_t)per_block;
	for (size_t at = 0; at < n; at += 2048) {
		for (int e = 0; e < per_block; e++) {
			seed = seed * 1103515245u + 12345u;
			uint8_t note = (uint8_t)(lowest + (int)((seed >> 16) % (uint32_t)range));
			uint8_t vel = (uint8_t)(1 + (seed >> 8) % 127);
			midi(h, (uint32_t)e * slot + (seed >> 4) % slot, (seed & 1) ? 0x90 : 0x80, note, vel);
		}
		float *out[2] = { l ? l + at : NULL, r ? r + at : NULL };
		lh_run(h, NULL, out, 2048);
	}
}

START_TEST(every_voice_stolen_repeatedly_without_clicks_or_heap_calls)
{
	size_t n = 48 * 2048; /* 2 s */
	float *l = malloc(n * sizeof *l), *r = malloc(n * sizeof *r);
	for (int m = 0; m < n_instruments(); m++) {
		lh_host *h = open_instrument(m);
		lh_set_control(h, "voices", 32.0f);
		/* 40 events per block: every voice is stolen over and over, some
		 * mid-fade */
		play_random_notes(h, l, r, n, 40, 36, 60);
		/* no step between samples larger than the loudest voice's own steps
		 * allow: CW_VOICE_GAIN x 0.25 per sample per voice at most */
		double worst = 0.0;
		for (size_t t = 1; t < n; t++) {
			double d = fabs((double)l[t] - l[t - 1]);
			worst = d > worst ? d : worst;
			ck_assert(isfinite(l[t]) && isfinite(r[t]));
		}
		ck_assert_msg(worst < 0.5, "model %d: step %.3f", m, worst);
		host_free(h);
	}
	free(l);
	free(r);
}
END_TEST

/* The largest step between consecutive samples inside every instrument's
 * recorded notes (audio/DIR/nNOTE_vVELOCITY.flac, FluidR3 at 22050 Hz;
 * CW_AUDIO_DIR for another audio/).
 * A band-limited sound's steps shrink as its sample rate rises, so at 48 kHz
 * the recordings' own steps stay below this. */
static double
recorded_step(void)
{
	const char *root = getenv("CW_AUDIO_DIR");
	char pattern[1100];
	snprintf(pattern, sizeof pattern, "%s/*/n*_v*.flac", root ? root : "audio");
	glob_t g;
	ck_assert_msg(glob(pattern, 0, NULL, &g) == 0, "no recorded notes at %s", pattern);
	double worst = 0.0;
	for (size_t k = 0; k < g.gl_pathc; k++) {
		wav_audio w;
		char msg[1300];
		ck_assert_msg(wav_read(g.gl_pathv[k], &w, msg, sizeof msg) == 0, "%s", msg);
		ck_assert_int_eq(w.channels, 1);
		for (size_t t = 1; t < w.frames; t++)
			worst = fmax(worst, fabs(w.samples[t] - w.samples[t - 1]));
		wav_free(&w);
	}
	globfree(&g);
	return worst;
}

/* One voice (Voices 1) stolen over and over, at every offset within the
 * blocks, by notes inside the recorded range (C3..C5) at any velocity: the
 * output moves by no more per sample than the recorded notes do at 22050 Hz
 * (recorded_step), times the voice's gain at the centre (Spread 0). At
 * 48 kHz the recordings themselves step by at most 0.53 of that (0.175 vs
 * 0.328, resampled with sox), which leaves x1.9 for networks that play
 * louder than their recordings (make check-instruments: the piano's level
 * rises x37.6 from velocity 40 to 127, its recording's x10.1). Measured:
 * the bundled instruments' steps reach 0.35 of the bound (piano), 0.23
 * (organ), 0.15 (guitar); with the steal and attack fades cut to one
 * sample, 1.80 (piano) and 1.38 (organ): a click fails the test, though for
 * the guitar, which plays far softer than its recordings, only 0.74. */
START_TEST(a_stolen_voice_moves_no_faster_than_the_recordings)
{
	const double bound = VOICE_GAIN * cos(PI / 4) * recorded_step();
	size_t n = 48 * 2048; /* 2 s */
	float *l = malloc(n * sizeof *l);
	for (int m = 0; m < n_instruments(); m++) {
		lh_host *h = open_instrument(m);
		lh_set_control(h, "voices", 1.0f);
		lh_set_control(h, "spread", 0.0f);
		play_random_notes(h, l, NULL, n, 6, 48, 25);
		double worst = 0.0;
		for (size_t t = 1; t < n; t++)
			worst = fmax(worst, fabs((double)l[t] - l[t - 1]));
		ck_assert_msg(rms(l, n) > 1e-3, "model %d: silent", m);
		ck_assert_msg(worst < bound, "model %d: step %.4f (bound %.4f)", m, worst, bound);
		host_free(h);
	}
	free(l);
}
END_TEST

START_TEST(an_eight_note_chord_at_full_velocity_does_not_clip)
{
	static const uint8_t chord[] = { 48, 52, 55, 60, 64, 67, 72, 76 };
	size_t n = (size_t)(1.5 * RATE);
	float *l = malloc(n * sizeof *l), *r = malloc(n * sizeof *r);
	for (int m = 0; m < n_instruments(); m++) {
		lh_host *h = open_instrument(m);
		for (size_t k = 0; k < sizeof chord; k++)
			midi(h, 0, 0x90, chord[k], 127);
		render(h, l, r, n);
		double peak = 0.0;
		for (size_t t = 0; t < n; t++) {
			peak = fabs(l[t]) > peak ? fabs(l[t]) : peak;
			peak = fabs(r[t]) > peak ? fabs(r[t]) : peak;
		}
		ck_assert_msg(peak < 1.0 && peak > 0.01, "model %d: chord peaks at %.3f", m, peak);
		host_free(h);
	}
	free(l);
	free(r);
}
END_TEST

START_TEST(the_sustain_pedal_holds_and_note_off_releases)
{
	size_t n = (size_t)(0.4 * RATE), tail = (size_t)(0.1 * RATE);
	float *held = malloc(n * sizeof *held), *released = malloc(n * sizeof *released);
	for (int m = 0; m < n_instruments(); m++) {
		lh_host *h = open_instrument(m);
		midi(h, 0, 0xB0, 64, 127);
		midi(h, 0, 0x90, 60, 100);
		midi(h, 100, 0x80, 60, 0);
		render(h, held, NULL, n);
		host_free(h);
		h = open_instrument(m);
		midi(h, 0, 0x90, 60, 100);
		midi(h, 100, 0x80, 60, 0);
		render(h, released, NULL, n);
		host_free(h);
		double a = rms(held + n - tail, tail), b = rms(released + n - tail, tail);
		ck_assert_msg(a > 1e-4, "model %d: the pedal did not hold the note (%.2g)", m, a);
		ck_assert_msg(b < 0.3 * a, "model %d: released %.2g vs held %.2g", m, b, a); /* 10 dB down */
	}
	free(held);
	free(released);
}
END_TEST

/* Upward zero crossings of x[0..n). */
static int
crossings(const float *x, size_t n)
{
	int k = 0;
	for (size_t t = 1; t < n; t++)
		k += x[t - 1] < 0.0f && x[t] >= 0.0f;
	return k;
}

/* A note-on sounds from its own frame within the block, not before; the
 * pitch wheel moves every voice by the bend range (the same waveform, played
 * faster: its zero crossings come 2^(2/12) times as often); Clock stretch
 * changes what every sounding voice plays. */
START_TEST(events_land_on_their_frame_and_the_wheel_bends_every_voice)
{
	static float a[19200], b[19200];
	lh_host *h = open_instrument(0);
	lh_set_control(h, "spread", 0.0f);
	midi(h, 100, 0x90, 60, 100);
	render(h, a, NULL, 19200);
	for (int t = 0; t < 100; t++)
		ck_assert_float_eq(a[t], 0.0f);
	ck_assert_msg(rms(a + 100, 240) > 1e-5, "silent after the note-on");
	host_free(h);

	h = open_instrument(0);
	lh_set_control(h, "spread", 0.0f);
	midi(h, 0, 0x90, 60, 100);
	midi(h, 0, 0xE0, 0x7F, 0x7F); /* +8191 of 8192: 2 semitones up */
	render(h, b, NULL, 19200);
	double want = pow(2.0, 2.0 * 8191.0 / 8192.0 / 12.0);
	double got = (double)crossings(b + 2400, 14400) / crossings(a + 2500, 14400);
	ck_assert_msg(fabs(got / want - 1.0) < 0.02, "bent by x%.4f, not x%.4f", got, want);
	host_free(h);

	h = open_instrument(0);
	lh_set_control(h, "spread", 0.0f);
	midi(h, 0, 0x90, 60, 100);
	render(h, b, NULL, 4800);
	lh_set_control(h, "stretch", 2.0f);
	render(h, b + 4800, NULL, 14400);
	double diff = 0.0;
	for (size_t t = 9600; t + 100 < 19200; t++)
		diff = fmax(diff, fabs((double)b[t] - a[t + 100]));
	ck_assert_msg(diff > 1e-3, "clock stretch changed nothing (%.2g)", diff);
	host_free(h);
}
END_TEST

/* The bundled organ (a sustained tone, trained at 14080 Hz) on a host at
 * `rate`, Spread 0, past the crossfade from the model port's model. */
static lh_host *
open_organ(double rate)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/cwrnn.lv2/models/inst-organ.cwrnn", getenv("LV2_PATH"));
	lh_host *h = host_open(CW_URI_INSTRUMENT, rate, LH_ALL);
	lh_set_control(h, "spread", 0.0f);
	load_by_patch(h, path);
	render(h, NULL, NULL, (size_t)(0.05 * rate));
	return h;
}

/* The wheel moved slowly (an event every 32 frames) while a note sounds
 * moves its pitch, not its read point: at the model's own rate, A4 (its
 * root) runs one network step per host sample unbent, and the wheel swings
 * it up two semitones and down two, eight times, through the centre each
 * time. The largest step between two samples stays below the unbent note's,
 * times the highest bend's frequency ratio, with 25 % to spare. A read
 * point that jumps when the rate moves off 1 (by 16 or 17 network steps,
 * half a period of A4) or when 16 inc crosses an integer steps further. */
START_TEST(the_wheel_moves_a_sounding_note_without_jumps)
{
	const double rate = 14080.0;
	size_t n = (size_t)(2.25 * rate), from = (size_t)(0.25 * rate), cycle = 3520;
	float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
	for (int k = 0; k < 2; k++) {
		float *y = k ? b : a;
		lh_host *h = open_organ(rate);
		midi(h, 0, 0x90, 69, 100);
		render(h, y, NULL, from);
		for (size_t at = from; at < n; at += 32) {
			if (k) {
				/* 0 -> +8191 -> 0 -> -8192 -> 0, every `cycle` frames */
				double u = (double)((at - from) % cycle) / (double)cycle;
				double w = u < 0.25 ? 4 * u : u < 0.75 ? 2 - 4 * u : 4 * u - 4;
				int v = 8192 + (int)lround(w * (w > 0 ? 8191 : 8192));
				midi(h, 0, 0xE0, (uint8_t)(v & 0x7F), (uint8_t)(v >> 7));
			}
			render(h, y + at, NULL, n - at < 32 ? n - at : 32);
		}
		ck_assert_int_eq(h->log_errors, 0);
		host_free(h);
	}
	double still = 0.0, bent = 0.0;
	for (size_t t = from + 1; t < n; t++) {
		still = fmax(still, fabs((double)a[t] - a[t - 1]));
		bent = fmax(bent, fabs((double)b[t] - b[t - 1]));
	}
	ck_assert_msg(rms(a + from, n - from) > 1e-3, "silent");
	ck_assert_msg(max_diff(a + from, b + from, n - from) > 1e-3, "the wheel did nothing");
	double bound = 1.25 * pow(2.0, 2.0 / 12.0) * still;
	ck_assert_msg(bent < bound, "step %.4f while bending (unbent %.4f, bound %.4f)", bent, still,
	              bound);
	free(a);
	free(b);
}
END_TEST

/* The frequency of the organ's C2 played for one second at rate (past its
 * first 0.2 s). The organ sounds a sub-octave (a 16' stop): its waveform
 * repeats at C1. */
static double
c2_at(double rate)
{
	size_t n = (size_t)(1.2 * rate), from = (size_t)(0.2 * rate);
	float *y = malloc(n * sizeof *y);
	lh_host *h = open_organ(rate);
	midi(h, 0, 0x90, 36, 100);
	render(h, y, NULL, n);
	ck_assert_int_eq(h->log_errors, 0);
	host_free(h);
	ck_assert_msg(rms(y + from, n - from) > 1e-4, "C2 at %.0f Hz is silent", rate);
	double hz = rate / sig_period(y + from, n - from, rate / C1_HZ);
	free(y);
	return hz;
}

/* Low notes keep their pitch at high host rates: C2 from a model trained at
 * 14080 Hz runs a network step every 92 host samples at 192 kHz (below the
 * effects' floor of 1/64 step per sample, which played it 6.3 semitones
 * sharp). It sounds what it sounds at 48 kHz, where the network plays the
 * same steps, within 3 cents (measured: 0.6; the organ's pitch wanders by a
 * few cents from one window to the next, so the windows are the same host
 * time), and near C1 (25 cents: sig_period's window is 107 cents wide). */
START_TEST(a_low_note_keeps_its_pitch_at_192_khz)
{
	double f48 = c2_at(48000.0), f192 = c2_at(192000.0);
	double cents = 1200.0 * log2(f192 / f48), off = 1200.0 * log2(f192 / C1_HZ);
	ck_assert_msg(fabs(cents) < 3.0, "C2 at 192 kHz is %+.2f cents from 48 kHz's (%.4f, %.4f Hz)",
	              cents, f192, f48);
	ck_assert_msg(fabs(off) < 25.0, "C2 at 192 kHz repeats at %.4f Hz", f192);
}
END_TEST

/* Spread moved while a note sounds glides its pan gains: two hosts play the
 * same note, one moves Spread from 0 to 100 (the note, two octaves above C4,
 * goes hard right); the ratio of their left channels is that voice's left
 * gain, which must fall to 0 smoothly, not at once. */
START_TEST(spread_moved_while_a_note_sounds_glides)
{
	static float a[2][14400], b[2][14400];
	for (int k = 0; k < 2; k++) {
		lh_host *h = open_instrument(0);
		lh_set_control(h, "spread", 0.0f);
		midi(h, 0, 0x90, 84, 100);
		render(h, k ? b[0] : a[0], k ? b[1] : a[1], 4800);
		if (k)
			lh_set_control(h, "spread", 100.0f);
		render(h, (k ? b[0] : a[0]) + 4800, (k ? b[1] : a[1]) + 4800, 9600);
		host_free(h);
	}
	double worst = 0.0, end = 0.0;
	for (size_t t = 4800; t < 14400; t++) {
		if (fabs(a[0][t]) < 1e-3)
			continue;
		double g = b[0][t] / a[0][t];
		if (t < 4848) /* the first millisecond after the move */
			worst = fmax(worst, fabs(1.0 - g));
		else if (t > 12000)
			end = fmax(end, fabs(g));
	}
	ck_assert_msg(worst < 0.1, "left gain jumped by %.3f at once", worst);
	ck_assert_msg(end < 0.01, "left gain ends at %.3f, not 0", end);
}
END_TEST

/* A model file loaded through patch:Set and the worker while 32 voices
 * sound: the new model's 32 voices are built off the audio thread (no heap
 * call in run() or the response), it is notified, every voice crossfades to
 * it, and the old model's voices are freed through the worker. */
START_TEST(a_model_file_loads_while_every_voice_sounds)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/cwrnn.lv2/models/inst-organ.cwrnn", getenv("LV2_PATH"));
	lh_host *h = open_instrument(0);
	lh_set_control(h, "voices", 32.0f);
	for (int k = 0; k < 32; k++)
		midi(h, (uint32_t)k, 0x90, (uint8_t)(40 + k), 100);
	static float l[24000], r[24000];
	render(h, l, r, 4800);
	ck_assert_int_eq(lh_send_set_path(h, 7, CW_URI_MODEL, path), 0);
	render(h, l, r, 24000);
	ck_assert_int_eq(h->log_errors, 0);
	ck_assert_str_eq(h->notified, path);
	double worst = 0.0;
	for (size_t t = 1; t < 24000; t++) {
		ck_assert(isfinite(l[t]) && isfinite(r[t]));
		worst = fmax(worst, fabs((double)l[t] - l[t - 1]));
	}
	ck_assert_msg(rms(l + 12000, 12000) > 1e-4, "silent after the swap");
	ck_assert_msg(worst < 0.5, "step %.3f", worst);
	host_free(h);
}
END_TEST

/* A voice sounding across a model swap feeds the new model its controls'
 * defaults (a knob the instrument has no port for stays at its default),
 * not zeros: with a model that only its knob drives, the note plays on. */
START_TEST(a_voice_sounding_across_a_swap_feeds_the_control_defaults)
{
	char a[1100], b[1100];
	make_instrument(a, sizeof a, "knob-a", 3, 48000, 31);
	make_instrument(b, sizeof b, "knob-b", 3, 48000, 31);
	lh_host *h = open_instrument(0);
	load_by_patch(h, a);
	midi(h, 0, 0x90, 60, 100);
	static float l[24000];
	render(h, l, NULL, 9600);
	double before = rms(l + 4800, 4800);
	ck_assert_msg(before > 1e-4, "the knob model is silent (%.2g)", before);
	load_by_patch(h, b);
	render(h, l, NULL, 24000);
	ck_assert_int_eq(h->log_errors, 0);
	double after = rms(l + 19200, 4800);
	ck_assert_msg(after > 0.1 * before, "silent after the swap: %.2g (before %.2g)", after, before);
	host_free(h);
}
END_TEST

/* Velocity beyond the model's range plays as the end of the range: with a
 * model trained on velocities 20..100, velocity 127 plays as 100. */
START_TEST(velocity_is_clamped_to_the_models_range)
{
	char path[1100];
	make_instrument(path, sizeof path, "by-velocity", 0, 48000, 32);
	static float a[9600], b[9600];
	float *out[2] = { a, b };
	for (int k = 0; k < 2; k++) {
		lh_host *h = open_instrument(0);
		load_by_patch(h, path);
		midi(h, 0, 0x90, 60, k ? 100 : 127);
		render(h, out[k], NULL, 9600);
		host_free(h);
	}
	/* after the 20 ms crossfade from the bundled model (whose own velocity
	 * range differs) only the DC blocker's memory of it remains */
	ck_assert_double_gt(rms(b + 2400, 7200), 1e-2);
	ck_assert_double_lt(max_diff(a + 2400, b + 2400, 7200), 1e-3);
}
END_TEST

/* Spread pans each voice by its pitch, equal power: C4 in the middle, C2 at
 * the left edge and C6 at the right at 100 %; at 0 both channels are the
 * same, sample for sample; the power summed over the channels is the same
 * at any Spread. */
START_TEST(spread_pans_by_pitch_and_zero_is_mono)
{
	size_t n = 9600;
	static float l[9600], r[9600];
	const int notes[] = { 36, 60, 72, 84 };
	const float spreads[] = { 0.0f, 50.0f, 100.0f };
	for (int k = 0; k < 4; k++) {
		double power0 = 0.0;
		for (int j = 0; j < 3; j++) {
			lh_host *h = open_instrument(0);
			lh_set_control(h, "spread", spreads[j]);
			midi(h, 0, 0x90, (uint8_t)notes[k], 100);
			render(h, l, r, n);
			host_free(h);
			double a = rms(l, n), b = rms(r, n);
			ck_assert_msg(a + b > 1e-3, "note %d silent", notes[k]);
			if (j == 0) {
				for (size_t t = 0; t < n; t++)
					ck_assert_float_eq(l[t], r[t]);
				power0 = a * a + b * b;
				continue;
			}
			double p = spreads[j] / 100.0 * (notes[k] - 60) / 24.0;
			p = p < -1 ? -1 : p > 1 ? 1 : p;
			double want = tan(PI / 4 * (1 + p)); /* r / l */
			if (fabs(p) == 1.0) /* an edge: the other channel is silent */
				ck_assert_msg((p < 0 ? b / a : a / b) < 1e-4, "note %d at %g %%: %g, %g",
				              notes[k], spreads[j], a, b);
			else
				ck_assert_msg(fabs(b / a / want - 1) < 1e-4, "note %d at %g %%: r/l %g, not %g",
				              notes[k], spreads[j], b / a, want);
			ck_assert_msg(fabs((a * a + b * b) / power0 - 1) < 1e-4, "note %d: power moved",
			              notes[k]);
		}
	}
}
END_TEST

/* The instrument's state through lilv: a model file of the user's (a copy
 * of a bundled instrument) and the controls (Voices 3) come back in a new
 * instance, which then plays as one set up by hand: a 6-note chord on
 * three voices. */
START_TEST(state_restores_the_user_model_and_the_voices)
{
	char src[1200], path[1200], dir[1200];
	snprintf(src, sizeof src, "%s/cwrnn.lv2/models/inst-organ.cwrnn", getenv("LV2_PATH"));
	snprintf(path, sizeof path, "%s/my-organ.cwrnn", tmp_dir);
	snprintf(dir, sizeof dir, "%s/state", tmp_dir);
	FILE *in = fopen(src, "rb"), *out = fopen(path, "wb");
	ck_assert(in && out);
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, got, out), got);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);

	lh_host *a = open_instrument(0);
	lh_set_control(a, "voices", 3.0f);
	load_by_patch(a, path);
	ck_assert_int_eq(lh_save_state(a, dir), 0);
	host_free(a);

	static float want[2][9600], got_l[9600], got_r[9600];
	lh_host *b = host_open(CW_URI_INSTRUMENT, RATE, LH_ALL | LH_DEFER_ACTIVATE);
	ck_assert_int_eq(lh_restore_state(b, dir), 0);
	ck_assert_msg(b->log_errors == 0, "restore logged: %s", b->last_error);
	lh_activate(b);
	assert_playing(b, "my-organ");
	LilvNode *sym = lilv_new_string(b->world, "voices");
	uint32_t at = lilv_port_get_index(b->plugin, lilv_plugin_get_port_by_symbol(b->plugin, sym));
	lilv_node_free(sym);
	ck_assert_float_eq(b->controls[at], 3.0f);

	lh_host *c = open_instrument(0);
	lh_set_control(c, "voices", 3.0f);
	load_by_patch(c, path);
	render(b, NULL, NULL, 4800); /* past c's crossfade from its first model */
	render(c, NULL, NULL, 4800);
	static const uint8_t chord[] = { 48, 52, 55, 60, 64, 67 };
	for (size_t k = 0; k < sizeof chord; k++) {
		midi(b, 0, 0x90, chord[k], 100);
		midi(c, 0, 0x90, chord[k], 100);
	}
	render(c, want[0], want[1], 9600);
	render(b, got_l, got_r, 9600);
	ck_assert_msg(rms(got_l, 9600) > 1e-3, "the restored instance is silent");
	for (size_t t = 0; t < 9600; t++) {
		ck_assert_float_eq(got_l[t], want[0][t]);
		ck_assert_float_eq(got_r[t], want[1][t]);
	}
	host_free(b);
	host_free(c);
}
END_TEST

Suite *
instrument_suite(void)
{
	Suite *s = suite_create("instrument");
	suite_add_tests(s, tcase_create("voices"),
	                TESTS(voices_take_free_then_released_then_oldest,
	                      voices_follow_sustain_and_all_notes_off,
	                      voices_a_key_pressed_again_during_its_steal_fade_keeps_one_voice,
	                      voices_steal_pedal_held_notes_before_held_keys));
	TCase *tc = suite_add_tests(
		s, tcase_create("plugin"),
		TESTS(every_voice_stolen_repeatedly_without_clicks_or_heap_calls,
		      a_stolen_voice_moves_no_faster_than_the_recordings,
		      an_eight_note_chord_at_full_velocity_does_not_clip,
		      the_sustain_pedal_holds_and_note_off_releases,
		      a_model_file_loads_while_every_voice_sounds,
		      events_land_on_their_frame_and_the_wheel_bends_every_voice,
		      the_wheel_moves_a_sounding_note_without_jumps, a_low_note_keeps_its_pitch_at_192_khz,
		      spread_moved_while_a_note_sounds_glides,
		      spread_pans_by_pitch_and_zero_is_mono));
	tcase_set_timeout(tc, 300);
	tc = suite_add_tests(s, fixture_tcase("instrument models"),
	                     TESTS(a_voice_sounding_across_a_swap_feeds_the_control_defaults,
	                           velocity_is_clamped_to_the_models_range));
	tcase_set_timeout(tc, 300);
	suite_add_tests(s, fixture_tcase("state"),
	                TESTS(state_restores_the_user_model_and_the_voices));
	return s;
}
