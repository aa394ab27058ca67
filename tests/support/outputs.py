"""An output stream that records what it is given instead of playing it."""

from __future__ import annotations

import numpy as np


class RecordingPlayback:
    """Stands in for `voice.audio.output.Playback`: each clip is kept with its label."""

    lead_s = 0.0  # no output latency

    def __init__(self):
        self.clips: list[tuple[np.ndarray, str]] = []

    def play(self, samples, label=""):
        self.clips.append((samples, label))

    def cut(self):
        pass
