"""What goes into each block the output stream hands to the device, and what it knows after.

The output stream's callback gives the mixer a block to fill and the stream
time that block will sound at (PortAudio's `outputBufferDacTime`).  The mixer
puts queued clips into it, one after another or from the stream time a clip
asks for (to the sample), and keeps what that tells: when each clip's first
sample sounds and its last has left the device, holes in a clip (the stream
clock jumped: the callback came late and the device ran dry), the intervals
in which the assistant was speaking, and every block as it sounded (the echo
canceller's reference).  It runs on PortAudio's thread; everything is guarded
by one lock.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

GAP_S = 0.005  # a jump in the device clock larger than this inside a clip is a dropout
KEPT = 64  # speech intervals remembered (a few minutes of speech)
# Of what was played, kept as the echo canceller's reference: a listening loop that fell
# behind (decoding on a busy machine) must still find what sounded while it was behind.
HISTORY_S = 12.0


@dataclass
class Clip:
    samples: np.ndarray
    label: str
    at: float | None = None  # the stream time its first sample must sound (None: at once)
    voice: bool = True  # the assistant's speech (an earcon is not)
    position: int = 0
    started_at: float | None = None  # stream time of the first sample
    written_at: float | None = None  # time.monotonic() when the callback wrote that sample
    sounds_until: float | None = None  # stream time the last sample handed over so far ends
    ended_at: float | None = None  # stream time the last sample leaves the device (once known)
    complete: bool = True  # False while more of it is still being rendered (`Mixer.extend`)
    dry_at: float | None = None  # stream time it ran out of samples while incomplete
    done: threading.Event = field(default_factory=threading.Event)  # all of it handed over


class Mixer:
    def __init__(self, sample_rate: int, block: int):
        """`block`: the smallest block the stream may call back for (the reference kept is
        counted in blocks)."""
        self.sample_rate = sample_rate
        self.lock = threading.Lock()
        self.queue: list[Clip] = []
        self.onsets: list[tuple[str, float]] = []  # (label, stream time of the first sample)
        self.dropouts: list[tuple[str, float]] = []  # (label, seconds of silence inside it)
        self._spoken: deque[tuple[float, float]] = deque(maxlen=KEPT)
        self._history: deque[tuple[float, np.ndarray]] = deque(
            maxlen=int(HISTORY_S * sample_rate / block) + 1)
        self._next: float | None = None  # where the device clock should be at the next block

    def add(self, clip: Clip) -> Clip:
        with self.lock:
            self.queue.append(clip)
        return clip

    def extend(self, clip: Clip, samples: np.ndarray, last: bool) -> None:
        """More of a clip that is already playing (the next sentence of a line, rendered while
        the first sounds); `last`: nothing more will come.  A clip cut meanwhile stays cut."""
        with self.lock:
            if clip.done.is_set():
                return
            clip.samples = np.concatenate([clip.samples, samples.astype(np.int16)])
            clip.complete = last

    def cut(self) -> None:
        """Every queued clip ends where its last handed sample does."""
        with self.lock:
            for clip in self.queue:
                self._finish(clip, clip.sounds_until)
            self.queue.clear()

    def restart(self) -> None:
        """A new stream: its clock owes nothing to the last one's."""
        with self.lock:
            self._next = None

    @property
    def busy(self) -> bool:
        with self.lock:
            return bool(self.queue)

    def speaking_at(self, moment: float, tail_s: float = 0.0) -> bool:
        with self.lock:
            if any(c.voice and c.started_at is not None and c.started_at <= moment
                   for c in self.queue):
                return True
            return any(start <= moment <= end + tail_s for start, end in self._spoken)

    def reference(self, start: float, length: int) -> np.ndarray:
        result = np.zeros(length, np.int16)
        with self.lock:
            recent = []
            for sounded_at, block in reversed(self._history):  # newest first: a read is recent
                if sounded_at + len(block) / self.sample_rate <= start:
                    break
                recent.append((sounded_at, block))
        for sounded_at, block in recent:
            offset = int(round((sounded_at - start) * self.sample_rate))
            if offset >= length or offset + len(block) <= 0:
                continue
            source = block[max(0, -offset):max(0, -offset) + length - max(0, offset)]
            result[max(0, offset):max(0, offset) + len(source)] = source
        return result

    def fill(self, out: np.ndarray, dac: float) -> None:
        """One block (`out`, int16 samples) that sounds from stream time `dac`."""
        frames = len(out)
        out.fill(0)
        filled = 0
        with self.lock:
            head = self.queue[0] if self.queue else None
            if head is not None and head.position and self._next is not None and (
                    dac - self._next > GAP_S):
                self.dropouts.append((head.label, dac - self._next))
            self._next = dac + frames / self.sample_rate
            while filled < frames and self.queue:
                clip = self.queue[0]
                if clip.started_at is None:
                    start = filled
                    if clip.at is not None:
                        wanted = int(round((clip.at - dac) * self.sample_rate))
                        if wanted >= frames:
                            break  # it starts in a later block
                        start = max(filled, wanted)  # on its sample; at once if already late
                    clip.started_at = dac + start / self.sample_rate
                    clip.written_at = time.monotonic()
                    self.onsets.append((clip.label, clip.started_at))
                    filled = start
                if clip.dry_at is not None and clip.position < len(clip.samples):
                    # the rest came later than the device needed it: a hole inside the clip
                    hole = dac + filled / self.sample_rate - clip.dry_at
                    if hole > GAP_S:
                        self.dropouts.append((clip.label, hole))
                    clip.dry_at = None
                take = min(frames - filled, len(clip.samples) - clip.position)
                out[filled:filled + take] = clip.samples[clip.position:clip.position + take]
                clip.position += take
                filled += take
                clip.sounds_until = dac + filled / self.sample_rate
                if clip.position >= len(clip.samples):
                    if not clip.complete:
                        if clip.dry_at is None:
                            clip.dry_at = clip.sounds_until
                        break  # silence until its next part is rendered
                    self.queue.pop(0)
                    self._finish(clip, clip.sounds_until)
            self._history.append((dac, out.copy()))

    def _finish(self, clip: Clip, ended_at: float | None) -> None:
        clip.ended_at = ended_at if ended_at is not None else clip.started_at
        if clip.voice and clip.started_at is not None and clip.ended_at is not None:
            self._spoken.append((clip.started_at, clip.ended_at))
        clip.done.set()
