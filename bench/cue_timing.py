"""Cue timing on the real clock: scheduled versus actual start of playback.

    python -m bench.cue_timing [ROUTINE] [--rate 170]

Every cue is rendered with espeak-ng first (its real duration feeds the
schedule, as it would in a voice session), then the routine plays on the
monotonic clock into a null output that consumes audio in 10 ms callback
blocks, like a PortAudio stream.  A cue's onset is the start of the first
block that carries its audio.  The same routine on a virtual clock gives the
ideal schedule; the difference, cue by cue, is the onset error.  This machine
has no sound card, so the output is a null device; the PulseAudio measurement
belongs to the hands-free voice issue.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import threading
import time
import wave
from pathlib import Path

from voice.clock import MonotonicClock, VirtualClock
from voice.conversation.content import load_content
from voice.conversation.port import Heard
from voice.conversation.routine.player import Player
from voice.conversation.settings import Settings
from voice.events.transcript import Transcript
from voice.person.scripted import ScriptedPerson
from voice.preferences import Preferences, PreferenceStore

BLOCK_S = 0.010


class RenderedDurations:
    """Durations of real espeak-ng renderings, cached per text and rate."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.cache: dict[tuple[str, int], float] = {}

    def at(self, wpm: int):
        def duration(text: str) -> float:
            key = (text, wpm)
            if key not in self.cache:
                path = self.folder / f"{len(self.cache)}.wav"
                subprocess.run(["espeak-ng", "-z", "-s", str(wpm), "-w", str(path), text], check=True)
                with wave.open(str(path)) as audio:
                    self.cache[key] = audio.getnframes() / audio.getframerate()
            return self.cache[key]
        return duration


class NullOutput:
    """A person whose output consumes audio in 10 ms blocks on the monotonic clock, recording
    when each cue starts; nobody says anything."""

    lead_s = 0.0
    sets_rate = True

    def __init__(self, clock: MonotonicClock, preferences: PreferenceStore):
        self.clock = clock
        self.preferences = preferences
        self.queued: list[tuple[str, float]] = []
        self.onsets: list[tuple[str, float]] = []
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._callbacks, daemon=True)
        self.thread.start()

    def cue(self, text: str, kind: str, duration: float, spoken: str | None = None) -> None:
        with self.lock:
            self.queued.append((text, time.monotonic()))

    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        self.cue(text, "say", 0.0)

    def cut(self) -> None:
        pass

    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        if deadline is None:
            return Heard("closed")
        self.clock.sleep_until(deadline)
        return Heard("no_input")

    def _callbacks(self) -> None:
        next_block = time.monotonic()
        while self.running:
            next_block += BLOCK_S
            while time.monotonic() < next_block:
                time.sleep(max(0.0, next_block - time.monotonic() - 0.001))
            with self.lock:
                for text, _ in self.queued:
                    self.onsets.append((text, time.monotonic()))
                self.queued.clear()


def rate(wpm: int) -> PreferenceStore:
    return PreferenceStore(Preferences(rate_wpm=wpm, time_limit_s=None))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("routine", nargs="?", default="desk_break")
    parser.add_argument("--rate", type=int, default=170)
    args = parser.parse_args()
    book = load_content().book
    intents = load_content().intents
    routine = book.routines[args.routine]
    with tempfile.TemporaryDirectory() as folder:
        durations = RenderedDurations(Path(folder))
        settings = Settings()

        ideal_clock = VirtualClock()
        ideal = Transcript(ideal_clock)
        Player(book, routine, intents, ScriptedPerson(ideal_clock, preferences=rate(args.rate)),
               ideal_clock, durations.at, settings, ideal, ask_pain=False).run()

        clock = MonotonicClock()
        output = NullOutput(clock, rate(args.rate))
        real = Transcript(clock)
        began = clock.now()
        Player(book, routine, intents, output, clock, durations.at, settings, real,
               ask_pain=False).run()
        finished = clock.now()
        output.running = False
        output.thread.join()

    planned = [e for e in ideal.events if e["event"] == "cue"]
    if len(planned) != len(output.onsets):
        raise SystemExit(f"cue count differs: planned {len(planned)}, played {len(output.onsets)}")
    errors_ms = [((onset - began) - cue["t"]) * 1000 for cue, (_, onset) in zip(planned, output.onsets,
                                                                                strict=True)]
    drift_ms = ((finished - began) - ideal.events[-1]["t"]) * 1000
    absolute = [abs(e) for e in errors_ms]
    print(f"routine {routine.id}: {len(planned)} cues over {ideal.events[-1]['t']:.1f} s "
          f"(espeak-ng renderings at {args.rate} wpm, null output in {BLOCK_S * 1000:.0f} ms blocks)")
    print(f"onset error: median {statistics.median(absolute):.1f} ms, "
          f"p95 {percentile(absolute, 0.95):.1f} ms, max {max(absolute):.1f} ms "
          f"(mean signed {statistics.mean(errors_ms):+.1f} ms)")
    print(f"end-of-routine drift: {drift_ms:+.1f} ms")


if __name__ == "__main__":
    main()
