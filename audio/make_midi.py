#!/usr/bin/env python3
"""Writes the MIDI phrases that audio/make-audio.sh renders with real
instrument samples (FluidR3 GM). Seeded, so the phrases are reproducible.

Usage: make_midi.py KIND SECONDS SEED PROGRAM OUT.mid
  KIND: strum (chords strummed and picked), melody (single-note line),
        bass (a bass line: roots, fifths and walks, E1..E3),
        chords (sustained piano chords), note:N (MIDI note N alone, velocity
        100, held for SECONDS - 0.5 s, then 0.5 s to ring out; SEED unused),
        note:N:V:HOLD (note N at velocity V held for HOLD seconds, then
        released and left to ring until SECONDS; SEED unused)
"""
import random
import struct
import sys

TPQ = 480          # ticks per quarter note
TEMPO_US = 500000  # 120 bpm: one quarter = 0.5 s

PROGRESSIONS = [
    [(40, [0, 7, 12, 16, 19, 24]), (45, [0, 7, 12, 16, 19]), (43, [0, 4, 7, 12, 16, 24]),
     (38, [0, 7, 12, 16])],
    [(45, [0, 7, 12, 15, 19]), (41, [0, 7, 12, 16, 19]), (43, [0, 4, 7, 12, 16]),
     (40, [0, 7, 12, 15, 19, 24])],
]
SCALE = [0, 2, 4, 5, 7, 9, 11]


def var_len(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def strum(rng, seconds):
    events, t = [], 0
    prog = rng.choice(PROGRESSIONS)
    end = int(seconds * 2 * TPQ)
    while t < end:
        for root, shape in prog:
            style = rng.choice(["down", "up", "pick", "pick"])
            bar = 4 * TPQ
            if style == "pick":
                step = TPQ // 2
                for k in range(8):
                    note = root + rng.choice(shape)
                    vel = rng.randint(60, 105)
                    events.append((t + k * step, note, vel, int(step * rng.uniform(1.0, 3.0))))
            else:
                for beat in range(4):
                    notes = shape if style == "down" else list(reversed(shape))
                    vel = rng.randint(55, 110) if beat % 2 == 0 else rng.randint(40, 80)
                    for k, iv in enumerate(notes):
                        events.append((t + beat * TPQ + k * rng.randint(8, 20), root + iv,
                                       vel, TPQ - 30))
            t += bar
    return events, end


def melody(rng, seconds):
    events, t, degree = [], 0, 7
    end = int(seconds * 2 * TPQ)
    while t < end:
        degree = max(0, min(20, degree + rng.choice([-2, -1, -1, 1, 1, 2, 3, -3])))
        note = 55 + 12 * (degree // 7) + SCALE[degree % 7]
        dur = rng.choice([TPQ // 4, TPQ // 2, TPQ // 2, TPQ, 3 * TPQ // 2])
        events.append((t, note, rng.randint(50, 110), int(dur * 0.9)))
        t += dur
    return events, end


def bass(rng, seconds):
    events, t = [], 0
    end = int(seconds * 2 * TPQ)
    while t < end:
        root = rng.choice([28, 33, 31, 26, 35, 30])
        for beat in range(8):
            note = root + rng.choice([0, 0, 7, 12, 5, 10, 3, -5])
            note = max(28, min(52, note))
            dur = rng.choice([TPQ // 2, TPQ // 2, TPQ, TPQ // 4])
            events.append((t, note, rng.randint(60, 115), int(dur * rng.uniform(0.5, 0.95))))
            t += dur
    return events, end


def chords(rng, seconds):
    events, t = [], 0
    end = int(seconds * 2 * TPQ)
    while t < end:
        root = rng.choice([48, 50, 53, 55, 57])
        for iv in (0, 4, 7, 12, 16):
            events.append((t, root + iv, rng.randint(60, 90), 2 * TPQ))
        t += 2 * TPQ
    return events, end


def single_note(note, seconds, velocity=100, hold=None):
    end = int(seconds * 2 * TPQ)
    dur = end - TPQ if hold is None else int(round(hold * 2 * TPQ))
    return [(0, note, velocity, dur)], end


def track_bytes(events, end, program):
    msgs = [(0, bytes([0xFF, 0x51, 3]) + TEMPO_US.to_bytes(3, "big")),
            (0, bytes([0xC0, program]))]
    for start, note, vel, dur in events:
        msgs.append((start, bytes([0x90, note, vel])))
        msgs.append((start + dur, bytes([0x80, note, 0])))
    msgs.append((end + 2 * TPQ, bytes([0xFF, 0x2F, 0])))
    msgs.sort(key=lambda m: (m[0], m[1][0] == 0x90))  # note-offs before note-ons
    out, now = bytearray(), 0
    for tick, msg in msgs:
        out += var_len(tick - now) + msg
        now = tick
    return bytes(out)


def main():
    kind, seconds, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    program, path = int(sys.argv[4]), sys.argv[5]
    rng = random.Random(seed)
    if kind.startswith("note:"):
        fields = kind[5:].split(":")
        if len(fields) == 3:
            events, end = single_note(int(fields[0]), seconds, int(fields[1]), float(fields[2]))
        else:
            events, end = single_note(int(fields[0]), seconds)
    else:
        events, end = {"strum": strum, "melody": melody, "bass": bass, "chords": chords}[kind](rng, seconds)
    trk = track_bytes(events, end, program)
    with open(path, "wb") as f:
        f.write(b"MThd" + struct.pack(">IHHH", 6, 0, 1, TPQ))
        f.write(b"MTrk" + struct.pack(">I", len(trk)) + trk)


if __name__ == "__main__":
    main()
