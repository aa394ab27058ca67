"""Getting the audio back after a device disappears: a headset unplugged, the sound server restarted.

PortAudio reads the list of devices once, when it starts, so a device that
comes back is only found after PortAudio itself is restarted: both streams
are closed, PortAudio is re-initialised, and both are opened again, every
`retry_s` until they run or `give_up_s` has passed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .microphone import Microphone
from .output import Playback


def _print(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Reconnector:
    playback: Playback
    microphone: Microphone
    retry_s: float = 1.0
    give_up_s: float = 300.0
    report: Callable[[str], None] = field(default=_print)

    def lost(self) -> str | None:
        """Which device has stopped, if any."""
        if self.microphone.lost():
            return "microphone"
        if self.playback.lost():
            return "speakers"
        return None

    def reconnect(self, what: str) -> bool:
        import sounddevice

        self.report(f"The {what} stopped working. Trying to reconnect; your place is kept.")
        deadline = time.monotonic() + self.give_up_s
        while time.monotonic() < deadline:
            self.microphone.close(abort=True)
            self.playback.close(abort=True)
            try:
                sounddevice._terminate()  # the documented way to make PortAudio list devices again
                sounddevice._initialize()
                self.playback.reopen()
                self.microphone.reopen()
                if self.microphone.wait_ready(5) and self.playback.wait_ready(2):
                    self.report("Audio is back.")
                    return True
            except (sounddevice.PortAudioError, OSError, ValueError):
                pass
            time.sleep(self.retry_s)
        self.report(f"The {what} did not come back within {self.give_up_s:.0f} seconds.")
        return False
