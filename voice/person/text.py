"""The person at a keyboard: printed lines and typed answers, friendly to screen readers.

Each utterance is printed on its own line exactly as it would be spoken; a
prompt `> ` marks the wait for an answer.  One reader thread takes every
typed line, so a routine never waits on input and the triage and the routine
after it read the same stream.  Piped answers are echoed, so every line of a
transcript stands alone.  End of input (Ctrl-D) is `closed`, for good.
"""

from __future__ import annotations

import queue
import sys
import threading
from typing import IO

from ..clock import Clock
from ..conversation.port import Heard
from ..preferences import PreferenceStore


class TextPerson:
    lead_s = 0.0
    sets_rate = True  # a screen reader reads the lines; the rate paces routines and is saved

    def __init__(self, clock: Clock, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
                 preferences: PreferenceStore | None = None):
        self.clock = clock
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.preferences = preferences or PreferenceStore()
        self._lines: queue.Queue[str | None] | None = None
        self.closed = False

    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        self._write(text + "\n")

    def cue(self, text: str, kind: str, duration: float, spoken: str | None = None) -> None:
        self._write(text + "\n")

    def cut(self) -> None:
        pass  # a printed line cannot be taken back

    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        if prompt_id is not None:
            self._write("> ")
        line = self._next_line(deadline)
        if line is None:
            if prompt_id is not None:
                self._write("\n")
            return Heard("closed") if self.closed else Heard("no_input")
        if not self._interactive():  # echo piped answers so every line stands alone
            self._write(line + "\n" if prompt_id is not None else f"> {line}\n")
        return Heard("speech", line) if line else Heard("no_input")

    def _next_line(self, deadline: float | None) -> str | None:
        if self.closed:
            return None
        if self._lines is None:
            self._lines = queue.Queue()
            threading.Thread(target=self._read, args=(self._lines,), daemon=True).start()
        try:
            timeout = None if deadline is None else max(0.0, deadline - self.clock.now())
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            self.closed = True
        return line

    def _read(self, lines: queue.Queue[str | None]) -> None:
        for line in self.stdin:
            lines.put(line.strip())
        lines.put(None)

    def _interactive(self) -> bool:
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    def _write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()
