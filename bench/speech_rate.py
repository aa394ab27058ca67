"""Measure how fast each voice speaks, and write the calibration that maps one onto the other.

Words a minute of sound (silence at either end trimmed) over the exercise
instructions, for espeak-ng at its own rate settings and for the natural voice
(hibari) at its speeds; written to models/speech_rate.yaml, which the speech
engines read (voice/speech/rate.py).

    python -m bench.speech_rate            # measure and print
    python -m bench.speech_rate --write    # and write models/speech_rate.yaml
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from voice.audio.sources import read_audio
from voice.content.paths import catalog_file
from voice.conversation.content import load_content

ESPEAK_RATES = (100, 120, 140, 170, 200, 250, 300, 350)
HIBARI_SPEEDS = tuple(round(0.4 + 0.1 * step, 1) for step in range(25))  # 0.4 .. 2.8
QUIET_DB = -40.0


def sentences() -> list[str]:
    book = load_content().book
    return [line.replace("{side}", "left") for e in book.exercises.values() for line in e.setup]


def sounding_s(samples: np.ndarray, rate: int) -> float:
    """Seconds from the first to the last sample above -40 dB of the loudest."""
    level = np.abs(samples.astype(float))
    loud = np.nonzero(level > level.max() * 10 ** (QUIET_DB / 20))[0]
    return (loud[-1] - loud[0]) / rate if len(loud) else 0.0


def espeak_wpm(texts: list[str], rate: int) -> float:
    seconds = 0.0
    for text in texts:
        with tempfile.NamedTemporaryFile(suffix=".wav") as out:
            subprocess.run(["espeak-ng", "-z", "-s", str(rate), "-w", out.name, text], check=True)
            seconds += sounding_s(read_audio(out.name), 16000)
    return sum(len(t.split()) for t in texts) / (seconds / 60)


def hibari_wpm(texts: list[str], speed: float, tts) -> float:
    seconds = sum(sounding_s(tts(text, speed=speed, seed=0), tts.sample_rate) for text in texts)
    return sum(len(t.split()) for t in texts) / (seconds / 60)


def rising(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop a point that does not rise above the one before (measurement noise)."""
    kept: list[tuple[float, float]] = []
    for setting, wpm in points:
        if not kept or wpm > kept[-1][1]:
            kept.append((setting, wpm))
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write models/speech_rate.yaml")
    args = parser.parse_args()
    from hibari import Hibari

    texts, tts = sentences(), Hibari()
    espeak = rising([(rate, round(espeak_wpm(texts, rate), 1)) for rate in ESPEAK_RATES])
    hibari = rising([(speed, round(hibari_wpm(texts, speed, tts), 1)) for speed in HIBARI_SPEEDS])
    print(f"{len(texts)} sentences, {sum(len(t.split()) for t in texts)} words")
    print("espeak-ng -s -> words a minute:", ", ".join(f"{s}: {w}" for s, w in espeak))
    print("hibari speed -> words a minute:", ", ".join(f"{s}: {w}" for s, w in hibari))
    if args.write:
        path = catalog_file("speech_rate.yaml")
        lines = [
            "# How fast each voice speaks, measured by `python -m bench.speech_rate --write`:",
            "# words a minute of sound (silence at either end trimmed) over the exercise",
            "# instructions, at each engine's own setting. The user's rate is espeak-ng's -s;",
            "# the natural voice gets the speed that sounds as fast (voice/speech/rate.py).",
            "espeak:",
            *[f"  - {{setting: {s}, wpm: {w}}}" for s, w in espeak],
            "hibari:",
            *[f"  - {{setting: {s}, wpm: {w}}}" for s, w in hibari],
        ]
        Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
