"""Clocks the dialogs and the player are given, never a global time.

Real runs use the monotonic clock (immune to wall-clock jumps); tests and
`--simulate` use a virtual clock whose `sleep` only moves time forward, so a
ten-minute routine runs in milliseconds and every instant is exact.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since an arbitrary fixed point."""

    def sleep(self, seconds: float) -> None:
        """Wait (or, for a virtual clock, advance) this many seconds."""


class MonotonicClock:
    """The real clock: `time.monotonic`, with sleeps that never overshoot a deadline by much."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def sleep_until(self, deadline: float) -> None:
        """Sleep to an absolute time, so repeated waits do not accumulate drift."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            # Coarse sleep, then a short spin for the last couple of milliseconds.
            time.sleep(remaining - 0.002 if remaining > 0.004 else 0)


class VirtualClock:
    """A clock that only moves when told to; `sleep` advances it instantly."""

    def __init__(self, start: float = 0.0):
        self._now = start

    def now(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._now += seconds

    def sleep_until(self, deadline: float) -> None:
        self._now = max(self._now, deadline)

    def advance(self, seconds: float) -> None:
        self.sleep(seconds)
