"""The seam between a dialog and the person: say a line, listen for an answer.

A voice channel (microphone, recogniser, speech out) and the text channel
below have the same two methods, so the same dialog runs in both.
"""

from __future__ import annotations

import select
import sys
from dataclasses import dataclass
from typing import IO, Literal, Protocol

HeardKind = Literal["speech", "no_input", "rejected", "closed"]


@dataclass(frozen=True)
class Heard:
    """What came back from listening once.

    speech: some words (typed or recognised); no_input: silence until the
    time limit; rejected: sound that was not understood (noise, another
    language, an out-of-grammar sentence); closed: input has ended for good.
    """

    kind: HeardKind
    text: str = ""


class Channel(Protocol):
    def say(self, text: str, interruptible: bool = False) -> None:
        """Deliver one utterance, returning when it has been delivered. An `interruptible`
        one (a question) may be cut short by "stop", which the next `listen` returns."""

    def listen(self, context: str, timeout: float | None, prompt_id: str) -> Heard:
        """Wait for one answer in a dialog context; timeout None waits for ever."""

    def set_rate(self, wpm: int) -> None:
        """Change the speech rate of later utterances (the channel owns the session's rate)."""


class TextChannel:
    """Typed answers and printed utterances: screen-reader friendly plain lines.

    Each utterance is printed on its own line exactly as it would be spoken;
    a prompt `> ` marks the wait for an answer.  End of input is `closed`.
    """

    def __init__(self, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
                 rate_wpm: int | None = None):
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.rate_wpm = rate_wpm  # the session's speech rate: its one owner

    def say(self, text: str, interruptible: bool = False) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def set_rate(self, wpm: int) -> None:
        self.rate_wpm = wpm  # nothing to change on a printed line; kept for the session

    def listen(self, context: str, timeout: float | None, prompt_id: str) -> Heard:
        self.stdout.write("> ")
        self.stdout.flush()
        if timeout is not None and not self._ready(timeout):
            self.stdout.write("\n")
            return Heard("no_input")
        line = self.stdin.readline()
        if line == "":
            self.stdout.write("\n")
            return Heard("closed")
        text = line.strip()
        if not self._interactive():
            self.stdout.write(text + "\n")  # echo piped answers so every line stands alone
        return Heard("speech", text) if text else Heard("no_input")

    def _interactive(self) -> bool:
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    def _ready(self, timeout: float) -> bool:
        """True when a line can be read within the timeout (always, for non-file streams)."""
        try:
            fileno = self.stdin.fileno()
        except (OSError, AttributeError, ValueError):
            return True
        readable, _, _ = select.select([fileno], [], [], timeout)
        return bool(readable)
