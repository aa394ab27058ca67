"""alsa-lib's own messages kept off the terminal.

Under PortAudio, alsa-lib prints straight to stderr: probing chatter when the
devices are listed ("Unknown PCM cards.pcm.rear") and, on a busy machine,
"ALSA lib pcm.c:8568:(snd_pcm_recover) underrun occurred" in the middle of
the captions a person is reading.  Neither is something they can act on; a
real device problem reaches us as a PortAudio error and is said in one line
of our own.  alsa-lib lets a program replace its error printer
(`snd_lib_error_set_handler`); this one counts the messages and keeps the
last few, for the transcript.  The printer is process-wide in alsa-lib, so
one owner installs it for the life of the audio and restores the default
after the streams are closed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections import deque

# void (*)(const char *file, int line, const char *function, int err, const char *fmt, ...)
# The variadic arguments are not read: the format alone says what kind of message it was.
_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                            ctypes.c_char_p)


class AlsaMessages:
    """While installed, alsa-lib's messages are counted here instead of printed."""

    def __init__(self) -> None:
        self.count = 0
        self.last: deque[str] = deque(maxlen=8)  # "function: format", most recent last
        self._library = _libasound()
        self._handler = _HANDLER(self._heard)  # kept referenced while alsa-lib may call it
        self.installed = False

    def install(self) -> AlsaMessages:
        if self._library is not None and not self.installed:
            self._library.snd_lib_error_set_handler(self._handler)
            self.installed = True
        return self

    def restore(self) -> None:
        """alsa-lib prints its messages again (its default printer)."""
        if self._library is not None and self.installed:
            self._library.snd_lib_error_set_handler(_HANDLER())  # NULL: the default printer
            self.installed = False

    def __enter__(self) -> AlsaMessages:
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def _heard(self, file: bytes | None, line: int, function: bytes | None, err: int,
               fmt: bytes | None) -> None:
        self.count += 1
        self.last.append(f"{(function or b'?').decode(errors='replace')}: "
                         f"{(fmt or b'').decode(errors='replace')}")


def _libasound() -> ctypes.CDLL | None:
    """alsa-lib, when this system has it (Linux); elsewhere there is nothing to quiet."""
    name = ctypes.util.find_library("asound")
    if name is None:
        return None
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return None
    library.snd_lib_error_set_handler.argtypes = [_HANDLER]
    library.snd_lib_error_set_handler.restype = ctypes.c_int
    return library
