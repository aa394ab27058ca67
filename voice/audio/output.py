"""Playback that knows when each sound really starts and ends, and can cut it off.

One PortAudio output stream stays open; its callback asks the mixer
(`mixer.py`) to fill each block, giving the stream time the block will sound
at (`outputBufferDacTime`).  So the moment a clip's first sample sounds, and
the moment its last one has left the device, are known from PortAudio's own
clock, not guessed.  That clock is also the microphone's, so "was the assistant
speaking when this was captured?" is answered from the sound itself
(`speaking_at`), and the echo canceller knows what the microphone may hear back
(`reference`).

The buffer is a trade-off, measured (`python -m bench.hands_free latency` and
`load`): through PulseAudio's ALSA plugin the block size rules it (1024-sample
blocks gave 384 ms from a block's callback to its first sample at the device
whatever was asked; 256-sample blocks with 0.05 s give 96 ms, which took the
reply from p50 913 to 526 ms), while a process starved of CPU (a slow machine,
a video call beside it) needs a deep one or its speech breaks up: on a quiet
machine a first session (rendering its speech beside the dialog) found two
5-8 ms holes at 0.05 s in two runs, and beside six busy processes 0.05 s broke
up for 873 ms in all.  So a session starts with a
short buffer (`LATENCY_S`), a deeper one on a machine already overloaded
(`BUSY_LATENCY_S`), the deepest (`DEEP_LATENCY_S`) when it starts at low
priority, and `deepen()` moves one rung
down `LADDER` after each new hole.  A deep buffer
costs no timing for cues: a clip can be given the stream time it must start
at (`at`), and the mixer places its first sample there, to the sample, as long
as it was handed over `lead_s` before.  `cut()` stops what has not been handed
to the device at once; what has (at most the buffer) still plays.
"""

from __future__ import annotations

import time

import numpy as np

from .mixer import Clip, Mixer
from .sources import SAMPLE_RATE

LATENCY_S = 0.05  # the buffer PortAudio keeps filled ahead of the device
STEADY_LATENCY_S = 0.1  # ... after a first hole: twice the room, still a quick reply
# ... beside processes that want more CPU than there are cores: beside six busy ones on two
# cores, 0 holes and 383 ms from a callback to the device, against 768 ms with the deep one
# (python -m bench.hands_free latency --busy 6 --output-latency 0.25)
BUSY_LATENCY_S = 0.25
DEEP_LATENCY_S = 0.5  # ... when this process is short of CPU (started at a lower priority)
# Each hole in the sound moves one rung deeper: a short hole on a machine that is merely busy
# for a moment (a speech render beside it) costs 30 ms a reply, not 670.
LADDER = (LATENCY_S, STEADY_LATENCY_S, BUSY_LATENCY_S, DEEP_LATENCY_S)
MIN_BLOCK = 256  # the fewest samples a callback asks for, on any rung


def deeper(latency_s: float) -> float:
    """The next rung of `LADDER` below a buffer of `latency_s` (the deepest stays)."""
    return next((rung for rung in LADDER if rung > latency_s), max(latency_s, LADDER[-1]))


def block_for(latency_s: float, sample_rate: int = SAMPLE_RATE) -> int:
    """Samples per callback: a power of two near a sixth of the buffer, 256-1024, so a reply's
    first sample waits little for the next callback.  Through PulseAudio's ALSA plugin the
    block rules the real latency (measured from a callback to its first sample at the
    device): 1024 samples gave 384 ms whatever was asked for; 256 gives 96 ms with 0.05 s
    and 128 ms with 0.1 s; 128 would give 64 ms, at twice the wake-ups (issue 30)."""
    block = MIN_BLOCK
    while block * 2 <= min(1024, latency_s * sample_rate / 6):
        block *= 2
    return block


class Playback:
    """An open output stream that plays queued clips one after another."""

    def __init__(self, device: int | str | None = None, sample_rate: int = SAMPLE_RATE,
                 latency_s: float = LATENCY_S, block: int | None = None):
        self.device = device
        self.sample_rate = sample_rate
        self.block = block or block_for(latency_s, sample_rate)
        self.requested_latency_s = latency_s
        # the reference kept is counted in blocks: in the smallest any rung may use
        self.mixer = Mixer(sample_rate, min(self.block, MIN_BLOCK))
        self._last_callback = 0.0
        self.latency_s = 0.0  # from a block's callback to its first sample at the device, measured
        self._stream = self._open()

    @property
    def lead_s(self) -> float:
        """How long before its moment a clip must be handed over to sound on time: the block
        that holds its first sample must not yet have been given to the device."""
        return max(self.latency_s, self.requested_latency_s) + 1.5 * self.block / self.sample_rate

    @property
    def onsets(self) -> list[tuple[str, float]]:
        return self.mixer.onsets

    @property
    def dropouts(self) -> list[tuple[str, float]]:
        return self.mixer.dropouts

    def _open(self):
        import sounddevice

        stream = sounddevice.OutputStream(samplerate=self.sample_rate, channels=1, dtype="int16",
                                          blocksize=self.block, latency=self.requested_latency_s,
                                          device=self.device, callback=self._callback)
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
        self.latency_s = 0.0
        self.mixer.restart()
        self._stream = self._open()

    @property
    def short_of_cpu(self) -> bool:
        """Whether this session runs with the deep buffer: it started, or turned, short of CPU."""
        return self.requested_latency_s >= DEEP_LATENCY_S

    def deepen(self, latency_s: float | None = None) -> bool:
        """Reopen the stream with a deeper buffer (the next rung of `LADDER` unless said),
        when nothing is playing (the sound it found starved is over); False if it is that
        deep already or still playing."""
        if latency_s is None:
            latency_s = deeper(self.requested_latency_s)
        if self.requested_latency_s >= latency_s or self.busy:
            return False
        self.requested_latency_s = latency_s
        self.block = block_for(latency_s, self.sample_rate)
        self.reopen()
        return True

    @property
    def time(self) -> float:
        """PortAudio's stream clock, the one onsets are measured on."""
        return float(self._stream.time)

    def play(self, samples: np.ndarray, label: str = "", at: float | None = None,
             voice: bool = True, complete: bool = True) -> Clip:
        """Queue a clip: at once after what is queued, or with `at` from that stream time.
        `complete` False: more of it follows (`extend`), so it may start before all of it
        is rendered."""
        return self.mixer.add(Clip(samples.astype(np.int16), label, at, voice, complete=complete))

    def extend(self, clip: Clip, samples: np.ndarray, last: bool) -> None:
        self.mixer.extend(clip, samples, last)

    def cut(self) -> None:
        """Stop every queued clip; what the device already has still sounds."""
        self.mixer.cut()

    @property
    def busy(self) -> bool:
        return self.mixer.busy

    def speaking_at(self, moment: float, tail_s: float = 0.0) -> bool:
        """Whether the assistant's speech was sounding at stream time `moment` (or within
        `tail_s` after it ended: its echo in the room)."""
        return self.mixer.speaking_at(moment, tail_s)

    def reference(self, start: float, length: int) -> np.ndarray:
        """The `length` samples that sounded from stream time `start` on (silence where nothing
        did, or it is too long ago): what a microphone capturing then may have picked up."""
        return self.mixer.reference(start, length)

    def sounded(self, clip: Clip, timeout: float) -> bool:
        """Wait until the clip's last sample has left the device; False if that took longer
        than `timeout` (a stalled or lost stream)."""
        deadline = time.monotonic() + timeout
        if not clip.done.wait(timeout):
            return False
        while clip.ended_at is not None and self.time < clip.ended_at:
            if time.monotonic() > deadline:
                return False
            time.sleep(min(0.02, max(0.001, clip.ended_at - self.time)))
        return True

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
        dac = float(time_info.outputBufferDacTime)
        if time_info.currentTime:
            # the deepest seen: it wobbles by ~10 ms from block to block, and a lead that the
            # player read before sleeping and the speaker reads after must agree
            self.latency_s = max(self.latency_s, dac - time_info.currentTime)
        self.mixer.fill(out[:, 0], dac)
