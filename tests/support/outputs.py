"""An output stream that records what it is given instead of playing it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np


@dataclass
class DoneClip:
    samples: np.ndarray
    label: str
    started_at: float | None = None
    ended_at: float | None = None
    done: threading.Event = field(default_factory=threading.Event)


class RecordingPlayback:
    """Stands in for `voice.audio.output.Playback`: each clip is kept with its label and
    counts as played at once."""

    lead_s = 0.0  # no output latency
    sets_rate = True
    busy = False
    time = 0.0

    def __init__(self):
        self.clips: list[tuple[np.ndarray, str]] = []

    def play(self, samples, label="", at=None, voice=True, complete=True):
        self.clips.append((samples, label))
        clip = DoneClip(samples, label)
        clip.done.set()
        return clip

    def extend(self, clip, samples, last):
        """More of the last clip played (a line's next sentence)."""
        if len(samples):
            whole = np.concatenate([self.clips[-1][0], samples])
            self.clips[-1] = (whole, self.clips[-1][1])
            clip.samples = whole

    def speaking_at(self, moment, tail_s=0.0):
        return False

    def sounded(self, clip, timeout):
        return True

    def cut(self):
        pass

    def lost(self):
        return False
