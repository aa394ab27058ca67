"""The person at a keyboard: printed lines and typed answers, friendly to screen readers.

Each utterance is printed on its own line exactly as it would be spoken; a
prompt `> ` marks the wait for an answer.  One reader thread takes every
typed line, so a routine never waits on input and the triage and the routine
after it read the same stream.  Piped answers are echoed, so every line of a
transcript stands alone.  End of input (Ctrl-D) is `closed`, for good.

At a terminal the typed line is kept here, not by the terminal (`TypedLine`): a
routine's cues keep coming while the person types, and a cue must never be printed
into the middle of a typed word ("pauLet your arms hang loosely.se"), which a
screen reader reads as three pieces.  So the line being typed always sits after
`> `, and a line printed meanwhile goes on its own line, the prompt and the typed
part shown again below it.
"""

from __future__ import annotations

import atexit
import codecs
import os
import queue
import sys
import threading
from typing import IO

from ..clock import Clock
from ..conversation.port import Heard
from ..events.routine import CueKind
from ..preferences import PreferenceStore

PROMPT = "> "
_ERASE = ("\x7f", "\b")  # backspace, as terminals send it
_KILL = "\x15"  # Ctrl-U: the whole typed line
_EOF = "\x04"  # Ctrl-D at the start of a line


class TextPerson:
    lead_s = 0.0
    sets_rate = True  # a screen reader reads the lines; the rate paces routines and is saved
    reads_aloud = False  # so "slower" says the screen reader sets the reading speed
    types_answers = True

    def __init__(self, clock: Clock, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
                 preferences: PreferenceStore | None = None, edits_line: bool | None = None):
        self.clock = clock
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.preferences = preferences or PreferenceStore()
        # Keep the typed line here (and echo it to stdout) at a terminal; None: when stdin and
        # stdout are both the terminal (printing elsewhere, the terminal must echo the keys).
        self.edits_line = edits_line
        self._lines: queue.Queue[str | None] | None = None
        self._typed: TypedLine | None = None
        self._lock = threading.Lock()  # one writer at a time: the conversation or the typing
        self.closed = False

    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        self._print_line(text)

    def cue(self, text: str, kind: CueKind, duration: float, spoken: str | None = None) -> None:
        self._print_line(text)

    def cut(self) -> None:
        pass  # a printed line cannot be taken back

    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        self._start()
        if prompt_id is not None:
            self._prompt()
        line = self._next_line(deadline)
        if line is None:
            if prompt_id is not None:
                self._end_prompt()
            return Heard("closed") if self.closed else Heard("no_input")
        if not self._interactive():  # echo piped answers so every line stands alone
            self._write(line + "\n" if prompt_id is not None else f"{PROMPT}{line}\n")
        return Heard("speech", line) if line else Heard("no_input")

    # ------------------------------------------------------------------ output
    def _print_line(self, text: str) -> None:
        with self._lock:
            typed = self._typed
            if typed is not None and typed.shown:
                # Never into the typed line: the line on its own, then the prompt again.
                self._raw("\n" + text + "\n" + PROMPT + typed.text)
            else:
                self._raw(text + "\n")

    def _prompt(self) -> None:
        with self._lock:
            if self._typed is not None:
                if self._lines is not None and not self._lines.empty():
                    return  # answered before asked: the typed line already stands on its own
                if not self._typed.shown:
                    self._typed.shown = True
                    self._raw(PROMPT + self._typed.text)
            else:
                self._raw(PROMPT)

    def _end_prompt(self) -> None:
        """No answer in time: the prompt line ends; what was typed stays for the next one."""
        with self._lock:
            if self._typed is None or self._typed.shown:
                self._raw("\n")
            if self._typed is not None:
                self._typed.shown = False

    def _write(self, text: str) -> None:
        with self._lock:
            self._raw(text)

    def _raw(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    # ------------------------------------------------------------------- input
    def _start(self) -> None:
        """The reader, at the first listen: a terminal's keys, else whole lines."""
        if self._lines is None and not self.closed:
            self._lines = queue.Queue()
            self._typed = TypedLine.open(self.stdin) if self._edits_line() else None
            reader = self._read_keys if self._typed is not None else self._read
            threading.Thread(target=reader, args=(self._lines,), daemon=True).start()

    def _next_line(self, deadline: float | None) -> str | None:
        if self.closed or self._lines is None:
            return None
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

    def _read_keys(self, lines: queue.Queue[str | None]) -> None:
        """Keys one by one from the terminal, echoed here after the prompt; a line goes to
        the conversation at Enter."""
        typed = self._typed
        assert typed is not None
        try:
            for key in typed.keys():
                with self._lock:  # the line queued and its echo seen together by `_prompt`
                    done, echo = typed.press(key)
                    self._raw(echo)
                    if done is not None:
                        lines.put(done.strip())
                if typed.ended:
                    break
        finally:
            typed.restore()
            lines.put(None)

    def _interactive(self) -> bool:
        return _isatty(self.stdin)

    def _edits_line(self) -> bool:
        if self.edits_line is not None:
            return self.edits_line and self._interactive()
        return self._interactive() and _isatty(self.stdout)


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class TypedLine:
    """The line being typed at a terminal whose own echo and line editing are off: the keys
    are read one at a time and echoed by `press`, so the program knows what is on the line."""

    def __init__(self, fd: int, saved: list | None):
        self.fd = fd
        self.saved = saved  # the terminal's settings before, put back at the end
        self.text = ""
        self.shown = False  # the prompt (and the typed text) is on the current line
        self.ended = False
        self._escape = ""  # an arrow or function key's sequence, read and dropped

    @classmethod
    def open(cls, stdin: IO[str]) -> TypedLine | None:
        """Take over echo and line editing on `stdin`'s terminal (Ctrl-C still interrupts);
        None where that cannot be done, and the terminal's own line is read instead."""
        try:
            import termios

            fd = stdin.fileno()
            saved = termios.tcgetattr(fd)
            mode = termios.tcgetattr(fd)
            mode[3] &= ~(termios.ICANON | termios.ECHO)
            mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
            termios.tcsetattr(fd, termios.TCSANOW, mode)
        except (ImportError, AttributeError, ValueError, OSError):
            return None
        line = cls(fd, saved)
        atexit.register(line.restore)
        return line

    def keys(self):
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while True:
            try:
                chunk = os.read(self.fd, 1024)
            except OSError:
                return
            if not chunk:
                return
            yield from decoder.decode(chunk)

    def press(self, key: str) -> tuple[str | None, str]:
        """One key: the line it completes (at Enter) or None, and what to echo."""
        if self._escape == "\x1b" and key not in "[O":
            self._escape = ""  # Esc on its own: nothing to drop, and this key is a key
        elif self._escape or key == "\x1b":
            ends = len(self._escape) >= 2 and (key.isalpha() or key == "~")
            self._escape = "" if ends else self._escape + key
            return None, ""
        if key in "\r\n":
            done, self.text, self.shown = self.text, "", False
            return done, "\n"
        if key == _EOF and not self.text:
            self.ended, shown, self.shown = True, self.shown, False
            return None, "\n" if shown else ""
        if key in _ERASE:
            if not self.text:
                return None, ""
            self.text = self.text[:-1]
            return None, "\b \b"
        if key == _KILL:
            erased, self.text = len(self.text), ""
            return None, "\b \b" * erased
        if not key.isprintable():
            return None, ""
        echo = key if self.shown else PROMPT + self.text + key  # typed text sits after a prompt
        self.shown = True
        self.text += key
        return None, echo

    def restore(self) -> None:
        if self.saved is not None:
            try:
                import termios

                termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)
            except (ImportError, OSError, ValueError):
                pass
            self.saved = None
