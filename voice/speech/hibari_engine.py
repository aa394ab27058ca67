"""The natural voice: hibari, a 7.9 MB English model distilled from Kokoro-82M.

Why it is the default: espeak-ng is flat (2.9-5.7 semitones of pitch) and 17.5%
of a 40-word instruction in its voice was misheard by Whisper; hibari's came
back word for word, at about a hundredth of real time on this machine
(../shared/research/voice_options.md).  Code and weights are Apache-2.0; the
American voice "heart" is inside the wheel, and its other voices are catalog
entries downloaded with `backcare models download` and checked by sha256, so
nothing is fetched at run time (hibari itself would download on first use).

Speech is rendered at the rate the user chose (`rate.py` turns words a minute
into hibari's speed), with a fixed seed so a line renders the same every time,
and resampled from 24 kHz to the 16 kHz the rest of the sound path uses.
"""

from __future__ import annotations

import threading
import wave
from pathlib import Path

import numpy as np

from ..audio.sources import SAMPLE_RATE
from .rate import RateCalibration, load_calibration

DEFAULT_VOICE = "heart"  # American English, in the package
SEED = 0
QUIET_DB = -40.0  # below this, relative to the loudest sample, is the silence around the words
KEEP_BEFORE_S = 0.02  # kept of it: a cue's first word must sound at its moment
KEEP_AFTER_S = 0.05


class HibariEngine:
    name = "hibari"

    def __init__(self, models: dict[str, Path] | None = None,
                 calibration: RateCalibration | None = None, voice: str = DEFAULT_VOICE):
        """`models`: downloaded voices by name (the bundled one needs none). Loads `voice` now,
        so a voice that cannot load is known before the session starts."""
        try:
            import hibari  # noqa: F401 - the package, and onnxruntime under it
        except ImportError as error:
            raise RuntimeError(f"the natural voice is not installed ({error})") from None
        self.models = dict(models or {})
        self.calibration = calibration or load_calibration()
        self.default = voice
        self._voices: dict[str, object] = {}
        self._lock = threading.Lock()  # one onnxruntime session is not shared between threads
        self._load(voice)

    def _load(self, voice: str):
        """The voice's model, loaded once; the first one is warmed up (its pronunciation
        tables load on first use, 0.4 s), so the first cue is not late."""
        if voice not in self._voices:
            from hibari import Hibari
            from hibari.voices import VOICES

            if voice not in VOICES:
                raise RuntimeError(f"no natural voice called {voice!r}")
            model = self.models.get(voice)
            if model is None and not VOICES[voice].get("bundled"):
                raise RuntimeError(f"the voice {voice!r} is not downloaded (backcare models "
                                   f"download hibari-{voice})")
            try:
                tts = Hibari(voice=voice, model=str(model) if model else None)
                tts("Ready.", seed=SEED)
            except Exception as error:  # onnxruntime's own errors: a damaged model file
                raise RuntimeError(f"the voice {voice!r} could not load ({error})") from None
            self._voices[voice] = tts
        return self._voices[voice]

    def samples(self, text: str, wpm: int, voice: str | None = None) -> np.ndarray:
        """`text` spoken at `wpm`, as 16 kHz int16 samples."""
        import soxr

        with self._lock:
            tts = self._load(voice if voice and voice != "espeak" else self.default)
            audio = tts(text, speed=self.calibration.hibari_speed(wpm), seed=SEED)
        audio = _trimmed(np.asarray(audio, np.float32), tts.sample_rate)
        resampled = soxr.resample(audio, tts.sample_rate, SAMPLE_RATE)
        return (np.clip(resampled, -1.0, 1.0) * 32767).astype(np.int16)

    def render_to(self, text: str, wpm: int, voice: str | None, path: Path) -> None:
        samples = self.samples(text, wpm, voice)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(samples.tobytes())


def _trimmed(audio: np.ndarray, rate: int) -> np.ndarray:
    """Without the quarter second or more of silence hibari puts around every line: a count
    ("Three. Two. One.") must fit its seconds, and a cue's word must start at its moment."""
    if not len(audio):
        return audio
    level = np.abs(audio)
    loud = np.nonzero(level > level.max() * 10 ** (QUIET_DB / 20))[0]
    if not len(loud):
        return audio[:0]
    start = max(0, loud[0] - int(KEEP_BEFORE_S * rate))
    return audio[start:loud[-1] + int(KEEP_AFTER_S * rate)]
