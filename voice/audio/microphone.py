"""The microphone as a stream of 16 kHz mono int16 blocks.

One input stream stays open for the whole session (opening one takes up to
two seconds on some systems before audio flows), and blocks queue up until the
listener takes them, each with the stream time it was captured at, so the
listener can tell what was said over the assistant's own voice.
"""

from __future__ import annotations

import queue
import threading
import time

import numpy as np

from .sources import SAMPLE_RATE

# 60 ms: each block costs a wake-up of PortAudio's thread and of the listening loop; at
# 20 ms those alone were half of what a listening session costs when idle (measured with
# /proc on the virtual devices), which a starved process cannot afford.  The
# endpointer frames 10 ms inside it, so no decision gets coarser; the echo canceller
# takes any multiple of 10 ms.
BLOCK = 960


class Microphone:
    def __init__(self, device: int | str | None = None):
        self.device = device
        # (monotonic time of the callback, PortAudio stream time of the first sample, samples)
        self._blocks: queue.Queue[tuple[float, float, np.ndarray]] = queue.Queue()
        self._first = threading.Event()
        self._last_callback = 0.0
        self._stream = self._open()

    def _open(self):
        import sounddevice

        stream = sounddevice.InputStream(samplerate=SAMPLE_RATE, channels=1, dtype="int16",
                                         blocksize=BLOCK, device=self.device, callback=self._callback)
        stream.start()
        return stream

    def _callback(self, block, frames, time_info, status) -> None:  # PortAudio's thread
        self._last_callback = time.monotonic()
        self._blocks.put((self._last_callback, float(time_info.inputBufferAdcTime), block[:, 0].copy()))
        self._first.set()

    def lost(self, quiet_s: float = 5.0) -> bool:
        """True when a stream that was running has stopped (device unplugged, server gone).
        PortAudio marks such a stream inactive; a stall counts only after `quiet_s`."""
        if not self._first.is_set():
            return False
        return not self._stream.active or time.monotonic() - self._last_callback > quiet_s

    def reopen(self) -> None:
        """Close the dead stream and open a new one on the same device; audio from before is dropped."""
        self.close(abort=True)
        self._first.clear()
        while not self._blocks.empty():
            self._blocks.get_nowait()
        self._stream = self._open()

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """True once audio flows (the first callback has arrived)."""
        return self._first.wait(timeout)

    def read(self, timeout: float) -> np.ndarray | None:
        timed = self.read_timed(timeout)
        return None if timed is None else timed[0]

    def read_timed(self, timeout: float) -> tuple[np.ndarray, float] | None:
        """A block and the stream time its first sample was captured (PortAudio's clock, the
        same clock the output stream reports its onsets on)."""
        try:
            _, captured, block = self._blocks.get(timeout=timeout)
        except queue.Empty:
            return None
        return block, captured

    def close(self, abort: bool = False) -> None:
        """Stop the stream (`abort`: at once, without draining what is queued)."""
        import sounddevice

        try:
            (self._stream.abort if abort else self._stream.stop)()
            self._stream.close()
        except sounddevice.PortAudioError:
            pass  # a stream whose device has gone cannot be stopped cleanly
