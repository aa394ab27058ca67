"""The microphone as a stream of 16 kHz mono int16 blocks.

One input stream stays open for the whole session (opening one takes up to
two seconds on some systems before audio flows), and blocks queue up until the
listener takes them.  `drop_until` discards what was heard before a moment,
which is how the assistant avoids hearing its own voice.
"""

from __future__ import annotations

import queue
import threading
import time

import numpy as np

from .sources import SAMPLE_RATE

BLOCK = 320  # 20 ms


class Microphone:
    def __init__(self, device: int | str | None = None):
        import sounddevice

        self._blocks: queue.Queue[tuple[float, np.ndarray]] = queue.Queue()
        self._first = threading.Event()
        self._stream = sounddevice.InputStream(samplerate=SAMPLE_RATE, channels=1, dtype="int16",
                                               blocksize=BLOCK, device=device,
                                               callback=self._callback)
        self._stream.start()

    def _callback(self, block, frames, time_info, status) -> None:  # PortAudio's thread
        self._blocks.put((time.monotonic(), block[:, 0].copy()))
        self._first.set()

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """True once audio flows (the first callback has arrived)."""
        return self._first.wait(timeout)

    def read(self, timeout: float) -> np.ndarray | None:
        try:
            return self._blocks.get(timeout=timeout)[1]
        except queue.Empty:
            return None

    def drop_until(self, moment: float) -> None:
        """Forget every block captured before `moment` (monotonic seconds)."""
        while True:
            try:
                captured, block = self._blocks.get_nowait()
            except queue.Empty:
                return
            if captured >= moment:
                self._blocks.put((captured, block))  # keep it (order is preserved for the rest)
                return

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()
