"""The microphone with the assistant's own voice taken out: acoustic echo cancellation.

On a laptop's own speakers the microphone hears the assistant as loudly as the
person.  WebRTC's AEC3 (`pywebrtc-audio`, Apache-2.0, a 0.9 MB wheel) removes
it, given what was played: the output stream keeps every block it handed to
the device with the stream time it sounded at, and each microphone block is
cleaned against what sounded while it was captured (the same PortAudio clock),
so the canceller only has the room's own delay to find.  In a simulated room
it removed 44 dB of echo, and "stop" said over the assistant's voice was
heard where without it nothing was (../shared/research/voice_options.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from .sources import SAMPLE_RATE

ROOM_S = 0.5  # how long after a sound the room may still return it (a reverberant tail)


class TimedSource(Protocol):
    def read_timed(self, timeout: float) -> tuple[np.ndarray, float] | None: ...


class PlayedSound(Protocol):
    def reference(self, start: float, length: int) -> np.ndarray: ...


class EchoCancelling:
    """Reads like the microphone; every block comes back with the echo removed."""

    def __init__(self, source: TimedSource, played: PlayedSound, delay_ms: int = 0,
                 rest: Callable[[], bool] = lambda: False):
        """`rest()`, asked of each block: skip the canceller while nothing played could still
        echo, when the process is short of CPU (the canceller is a third of what an idle
        listening session costs; the output knows when CPU is short).  The price:
        after a rest the canceller has lost the room's delay for a moment, and "stop" said
        over the assistant was heard 7 of 10 times instead of 10 of 10
        (`python -m bench.hands_free barge`)."""
        from pywebrtc_audio import EchoCanceller  # the caller checks that it is installed

        self.source = source
        self.played = played
        self.rest = rest
        self.canceller = EchoCanceller(SAMPLE_RATE, 1, stream_delay_ms=delay_ms)

    def read_timed(self, timeout: float) -> tuple[np.ndarray, float] | None:
        timed = self.source.read_timed(timeout)
        if timed is None:
            return None
        block, captured = timed
        if self.rest() and not self.played.reference(captured - ROOM_S, int(ROOM_S * SAMPLE_RATE)
                                                     + len(block)).any():
            return block, captured  # nothing played that the room could still be echoing
        far = self.played.reference(captured, len(block))
        return self.canceller.process(np.ascontiguousarray(block, np.int16), far), captured

    def __getattr__(self, name: str):
        return getattr(self.source, name)  # everything else is the microphone's


def available() -> str | None:
    """None when echo cancellation can run here, else why not."""
    try:
        import pywebrtc_audio  # noqa: F401
    except ImportError as error:
        return f"echo cancellation is not installed ({error})"
    return None
