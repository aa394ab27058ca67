"""Speech out: lines, timed cues and earcons, rendered at the user's rate, voice and volume.

The speaker reads the user's preferences from their one owner each time it
renders, so "slower" said anywhere in a session is heard in the next line.
A hold's start and end carry an earcon under the words, so someone
following with eyes closed knows the moment even over the words; the tone
starts with the words at half level, because a tone before them would make
the cue longer than the timeline planned and push later cues back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import numpy as np

from ..audio.earcons import EARCON_SAMPLE_RATE, earcon
from ..audio.mixer import Clip
from ..audio.output import Playback
from ..audio.sources import SAMPLE_RATE, resample
from ..events.routine import CueKind
from ..preferences import PreferenceStore
from .tts import Renderer, sentences

# The tone under a cue's first words marks the moment itself; the one after, the routine's end.
EARCON_BEFORE = {CueKind.START: "hold_start", CueKind.END: "hold_end"}
EARCON_AFTER = {CueKind.CLOSING: "routine_end"}
EARCON_GAP_S = 0.05
EARCON_UNDER_WORDS = 0.5  # the tone's level under the words
KEEP_UP = 0.25  # a sentence rendered in more than this share of its length: render the line first


class Speaker:
    """`renderer` None: no speech engine was found, so only the earcons are played (the
    person's side prints the words instead)."""

    def __init__(self, renderer: Renderer | None, playback: Playback, preferences: PreferenceStore):
        self.renderer = renderer
        self.playback = playback
        self.preferences = preferences

    @property
    def lead_s(self) -> float:
        """A cue handed over this much early has its first sample sound on time."""
        return self.playback.lead_s


    def speech(self, text: str) -> np.ndarray:
        """`text` rendered at the user's rate, voice and volume."""
        return np.concatenate(list(self.sentences(text)))

    def sentences(self, text: str) -> Iterator[np.ndarray]:
        """`text` at the user's rate, voice and volume, a sentence at a time, each rendered
        when it is asked for."""
        if self.renderer is None:
            raise RuntimeError("no speech engine to render with")
        now = self.preferences.now
        for piece in self.renderer.pieces(text, now.rate_wpm, now.voice):
            yield (piece.samples.astype(float) * now.volume).astype(np.int16)

    def _stream(self, text: str, label: str, at: float | None = None,
                first: Callable[[np.ndarray], np.ndarray] = lambda samples: samples,
                tail: np.ndarray | None = None) -> tuple[Clip, int]:
        """Start `text` playing once its first sentence is rendered and add each next one to
        the same clip as it is rendered, then `tail`; the clip and its length in samples.

        Sentences already in the cache go in before it starts (reading them costs almost
        nothing, and a starved process could be late handing them over one by one); and
        when rendering the first one took more than `KEEP_UP` of its own length, this
        machine cannot render ahead of the sound right now, so the whole line is rendered
        first: a wait before a line is better than a hole inside it."""
        now = self.preferences.now
        parts = sentences(text)
        renderer = self.renderer
        cached = [renderer is not None and renderer.cached(part, now.rate_wpm, now.voice)
                  for part in parts]
        pieces = self.sentences(text)
        ready: list[np.ndarray] = []
        for in_cache in cached:
            began = time.perf_counter()
            ready.append(next(pieces))
            if not in_cache:
                if time.perf_counter() - began > KEEP_UP * len(ready[-1]) / SAMPLE_RATE:
                    ready.extend(pieces)  # too slow to stream: all of it now
                break
        samples = first(np.concatenate(ready))
        clip = self.playback.play(samples, label, at=at, complete=False)
        length = len(samples)
        for samples in pieces:
            self.playback.extend(clip, samples, last=False)
            length += len(samples)
        ending = np.zeros(0, np.int16) if tail is None else tail
        self.playback.extend(clip, ending, last=True)
        return clip, length + len(ending)

    def earcon_samples(self, name: str) -> np.ndarray | None:
        """The earcon at the output rate, or None when the user has switched earcons off."""
        now = self.preferences.now
        if not now.earcons:
            return None
        return resample(earcon(name, volume=now.volume).astype(float), EARCON_SAMPLE_RATE)

    def line(self, text: str) -> tuple[Clip, float]:
        """Start saying a line; the clip and its length in seconds."""
        clip, length = self._stream(text, text[:40])
        return clip, length / SAMPLE_RATE

    def earcon(self, name: str) -> Clip | None:
        samples = self.earcon_samples(name)
        return None if samples is None else self.playback.play(samples, name, voice=False)

    def cue(self, text: str, kind: CueKind) -> Clip:
        """Start a timed cue with its earcon, without waiting. It was handed over `lead_s`
        before its moment, so it is placed on the stream clock at that moment exactly."""
        gap = np.zeros(int(EARCON_GAP_S * SAMPLE_RATE), np.int16)
        before = self.earcon_samples(EARCON_BEFORE[kind]) if kind in EARCON_BEFORE else None
        after = self.earcon_samples(EARCON_AFTER[kind]) if kind in EARCON_AFTER else None

        def under_words(samples: np.ndarray) -> np.ndarray:
            if before is None:
                return samples
            mixed = np.zeros(max(len(samples), len(before)), np.float64)
            mixed[:len(samples)] += samples
            mixed[:len(before)] += before * EARCON_UNDER_WORDS
            return np.clip(mixed, -32768, 32767).astype(np.int16)

        tail = None if after is None else np.concatenate([gap, after.astype(np.int16)])
        at = self.playback.time + self.lead_s
        return self._stream(text, str(kind), at=at, first=under_words, tail=tail)[0]

    def sounded(self, clip: Clip, timeout: float) -> bool:
        """Whether the clip's last sample has left the device (waiting up to `timeout`)."""
        return self.playback.sounded(clip, timeout)

    def cut(self) -> None:
        self.playback.cut()
