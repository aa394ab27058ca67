"""Playback that knows when each sound really starts, and can cut it off.

One PortAudio output stream stays open; clips are mixed in by its callback.
The callback's `outputBufferDacTime` says when a block will reach the device,
so the moment a clip's first sample is played is known from PortAudio's own
clock, not guessed.  `cut()` silences everything at the next block.
"""

from __future__ import annotations

import threading
import time
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
        self.device = device
        self.rate = rate
        self._queue: list[_Clip] = []
        self._lock = threading.Lock()
        self.onsets: list[tuple[str, float]] = []  # (label, stream time of the first sample)
        self._last_callback = 0.0
        self.latency_s = 0.0  # from a block's callback to its first sample at the device, measured
        self._stream = self._open()

    @property
    def lead_s(self) -> float:
        """How long before its moment a clip must be queued to sound on time: the measured
        output latency plus, on average, half a block of waiting for the next callback."""
        return self.latency_s + BLOCK / self.rate / 2

    def _open(self):
        import sounddevice

        stream = sounddevice.OutputStream(samplerate=self.rate, channels=1, dtype="int16",
                                          blocksize=BLOCK, device=self.device, callback=self._callback)
        stream.start()
        return stream

    def lost(self, quiet_s: float = 5.0) -> bool:
        """True when the stream has stopped (device unplugged, server gone). PortAudio marks such
        a stream inactive; a stream that is merely stalled (an underrun can stall one for a
        second or two) only counts after `quiet_s` without a callback."""
        if not self._last_callback:
            return False
        return not self._stream.active or time.monotonic() - self._last_callback > quiet_s

    def wait_ready(self, timeout: float) -> bool:
        """True once the stream is calling back for audio."""
        deadline = time.monotonic() + timeout
        while not self._last_callback:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def reopen(self) -> None:
        """Close the dead stream and open a new one; a clip cut off by the loss is abandoned."""
        self.close(abort=True)
        self._last_callback = 0.0
        self._stream = self._open()

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

    def close(self, abort: bool = False) -> None:
        """Stop the stream (`abort`: at once, without draining what is queued)."""
        import sounddevice

        self.cut()
        try:
            (self._stream.abort if abort else self._stream.stop)()
            self._stream.close()
        except sounddevice.PortAudioError:
            pass  # a stream whose device has gone cannot be stopped cleanly

    def _callback(self, out, frames, time_info, status) -> None:  # PortAudio's thread
        self._last_callback = time.monotonic()
        if time_info.currentTime:
            self.latency_s = max(0.0, time_info.outputBufferDacTime - time_info.currentTime)
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
