"""Playback that knows when each sound really starts, and can cut it off.

One PortAudio output stream stays open; clips are mixed in by its callback.
The callback's `outputBufferDacTime` says when a block will reach the device,
so the moment a clip's first sample is played is known from PortAudio's own
clock, not guessed.  `cut()` silences everything at the next block.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

RATE = 16000
BLOCK = 160  # 10 ms


@dataclass
class _Clip:
    samples: np.ndarray
    label: str
    position: int = 0
    started_at: float | None = None  # PortAudio stream time of the first sample
    done: threading.Event = field(default_factory=threading.Event)


class Playback:
    """An open output stream that plays queued clips one after another."""

    def __init__(self, device: int | str | None = None, rate: int = RATE):
        import sounddevice

        self.rate = rate
        self._queue: list[_Clip] = []
        self._lock = threading.Lock()
        self.onsets: list[tuple[str, float]] = []  # (label, stream time of the first sample)
        self._stream = sounddevice.OutputStream(samplerate=rate, channels=1, dtype="int16",
                                                blocksize=BLOCK, device=device,
                                                callback=self._callback)
        self._stream.start()

    @property
    def time(self) -> float:
        """PortAudio's stream clock, the one onsets are measured on."""
        return float(self._stream.time)

    def play(self, samples: np.ndarray, label: str = "") -> _Clip:
        clip = _Clip(samples.astype(np.int16), label)
        with self._lock:
            self._queue.append(clip)
        return clip

    def cut(self) -> None:
        with self._lock:
            for clip in self._queue:
                clip.done.set()
            self._queue.clear()

    @property
    def busy(self) -> bool:
        with self._lock:
            return bool(self._queue)

    def close(self) -> None:
        self.cut()
        self._stream.stop()
        self._stream.close()

    def _callback(self, out, frames, time_info, status) -> None:  # PortAudio's thread
        out.fill(0)
        filled = 0
        with self._lock:
            while filled < frames and self._queue:
                clip = self._queue[0]
                if clip.started_at is None:
                    clip.started_at = time_info.outputBufferDacTime + filled / self.rate
                    self.onsets.append((clip.label, clip.started_at))
                take = min(frames - filled, len(clip.samples) - clip.position)
                out[filled:filled + take, 0] = clip.samples[clip.position:clip.position + take]
                clip.position += take
                filled += take
                if clip.position >= len(clip.samples):
                    clip.done.set()
                    self._queue.pop(0)
