"""A room between the assistant's speaker and its microphone, on the virtual devices.

Everything the assistant plays into the null sink `vsink` is read back from its
monitor, passed through a room (a delay, a reverberation tail and a loss of
level) and played into `usermic`, whose monitor is the assistant's microphone;
whatever a test "says" into `usermic` is mixed with it there.  So echo is real
in the test: the assistant hears itself as it would on a laptop's own speakers.
"""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass

import numpy as np

RATE = 16000
CHUNK = 160  # 10 ms


@dataclass(frozen=True)
class Acoustics:
    delay_ms: float = 40.0  # speaker to microphone, and the sound card's own
    reverb_s: float = 0.25  # time for the tail to fall 60 dB
    level_db: float = -12.0  # the echo against what was played

    def impulse(self, seed: int = 1) -> np.ndarray:
        """A room's impulse response: the direct sound after the delay, then a decaying tail."""
        rng = np.random.default_rng(seed)
        delay = int(self.delay_ms / 1000 * RATE)
        length = int(self.reverb_s * RATE)
        decay = np.exp(-6.9 * np.arange(length) / length)  # -60 dB over reverb_s
        tail = rng.normal(0, 1, length) * decay * 0.3
        tail[0] = 1.0
        response = np.concatenate([np.zeros(delay), tail])
        return response / np.sqrt(np.sum(response ** 2)) * 10 ** (self.level_db / 20)


class Room:
    """Runs for the lifetime of a `with` block."""

    def __init__(self, env: dict[str, str], acoustics: Acoustics | None = None):
        self.env = env
        self.acoustics = acoustics or Acoustics()
        self._response = self.acoustics.impulse()
        self._running = False

    def __enter__(self) -> Room:
        common = ["--rate=16000", "--channels=1", "--format=s16le", "--raw", "--latency-msec=10"]
        self._listen = subprocess.Popen(["parec", "-d", "vsink.monitor", *common],
                                        env=self.env, stdout=subprocess.PIPE)
        self._speak = subprocess.Popen(["pacat", "-p", "-d", "usermic", *common],
                                       env=self.env, stdin=subprocess.PIPE)
        self._running = True
        self._thread = threading.Thread(target=self._carry, daemon=True)
        self._thread.start()
        return self

    def _carry(self) -> None:
        assert self._listen.stdout is not None and self._speak.stdin is not None
        carried = np.zeros(len(self._response) + CHUNK)  # the tail still to come
        while self._running:
            raw = self._listen.stdout.read(CHUNK * 2)
            if len(raw) < CHUNK * 2:
                return
            chunk = np.frombuffer(raw, dtype="<i2").astype(np.float64)
            wet = np.convolve(chunk, self._response)
            carried[:len(wet)] += wet
            out, carried = carried[:CHUNK], np.concatenate([carried[CHUNK:], np.zeros(CHUNK)])
            try:
                self._speak.stdin.write(np.clip(out, -32768, 32767).astype("<i2").tobytes())
                self._speak.stdin.flush()
            except (BrokenPipeError, ValueError):
                return

    def __exit__(self, *exc: object) -> None:
        self._running = False
        for process in (self._listen, self._speak):
            process.terminate()
        for process in (self._listen, self._speak):
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
