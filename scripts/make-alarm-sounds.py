#!/usr/bin/env python3
"""Writes the alarm desk's sounds (resources/sounds/*.wav): short tones made
here from sine waves, so they are FleetDesk's own (no third-party audio).
16-bit mono PCM at 22,050 Hz, what QSoundEffect plays everywhere.

    scripts/make-alarm-sounds.py [OUTPUT_DIR]
"""
import math
import os
import struct
import sys
import wave

RATE = 22050


def tone(freq, secs, volume=0.5):
    n = int(RATE * secs)
    fade = int(RATE * 0.008)  # no clicks at the edges
    out = []
    for i in range(n):
        edge = min(1.0, i / fade, (n - 1 - i) / fade) if fade else 1.0
        out.append(volume * edge * math.sin(2 * math.pi * freq * i / RATE))
    return out


def silence(secs):
    return [0.0] * int(RATE * secs)


def write(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32767)) for s in samples))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "resources", "sounds")
    os.makedirs(out, exist_ok=True)
    # Critical: a rising two-tone, three times: not to be mistaken for anything else.
    critical = []
    for _ in range(3):
        critical += tone(880, 0.12, 0.6) + tone(1320, 0.12, 0.6) + silence(0.06)
    write(os.path.join(out, "alarm-critical.wav"), critical)
    # Warning: two mid beeps.
    write(os.path.join(out, "alarm-warning.wav"), tone(660, 0.1) + silence(0.07) + tone(660, 0.1))
    # Info: one soft short beep.
    write(os.path.join(out, "alarm-info.wav"), tone(520, 0.09, 0.3))


if __name__ == "__main__":
    main()
