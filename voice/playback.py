"""Speakers and command sources for the player in text, simulated and scripted runs."""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Iterable
from typing import IO

from .clock import Clock


class PrintedSpeaker:
    """Each cue on its own line, as it would be spoken (optionally with its time)."""

    def __init__(self, clock: Clock | None = None, stream: IO[str] | None = None):
        self.clock = clock
        self.start = clock.now() if clock else 0.0
        self.stream = stream or sys.stdout

    def speak(self, text: str, kind: str, duration: float) -> None:
        if self.clock is not None:
            elapsed = self.clock.now() - self.start
            minutes, seconds = divmod(elapsed, 60)
            text = f"[{int(minutes):02d}:{seconds:04.1f}] {text}"
        self.stream.write(text + "\n")
        self.stream.flush()

    def cut(self) -> None:
        pass  # a printed line cannot be taken back


class ScriptedCommands:
    """Commands at fixed clock times, and answers to questions in order (tests, --simulate)."""

    def __init__(self, clock: Clock, commands: Iterable[tuple[float, str]] = (),
                 answers: Iterable[str] = ()):
        self.clock = clock
        self.pending = sorted(commands)
        self.answers = list(answers)

    def poll(self, deadline: float) -> str | None:
        if self.pending and self.pending[0][0] <= deadline:
            at, text = self.pending.pop(0)
            self.clock.sleep_until(max(at, self.clock.now()))  # type: ignore[attr-defined]
            return text
        self.clock.sleep_until(deadline)  # type: ignore[attr-defined]
        return None

    def next_command(self) -> str | None:
        if not self.pending:
            return None
        at, text = self.pending.pop(0)
        self.clock.sleep_until(max(at, self.clock.now()))  # type: ignore[attr-defined]
        return text

    def ask(self, timeout: float | None, context: str = "") -> str | None:
        return self.answers.pop(0) if self.answers else None


class TypedCommands:
    """Lines typed on stdin, read by a background thread so the routine never waits on input."""

    def __init__(self, clock: Clock, stream: IO[str] | None = None, echo: IO[str] | None = None):
        self.clock = clock
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.echo = echo
        self.closed = False
        source = stream or sys.stdin
        threading.Thread(target=self._read, args=(source,), daemon=True).start()

    def _read(self, source: IO[str]) -> None:
        for line in source:
            self.lines.put(line.strip())
        self.lines.put(None)

    def _get(self, timeout: float | None) -> str | None:
        if self.closed:
            return None
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            self.closed = True
            return None
        if self.echo is not None:
            self.echo.write(f"> {line}\n")
        return line or None

    def poll(self, deadline: float) -> str | None:
        remaining = deadline - self.clock.now()
        if self.closed:
            self.clock.sleep_until(deadline)  # type: ignore[attr-defined]
            return None
        return self._get(max(remaining, 0.0))

    def next_command(self) -> str | None:
        return self._get(None)

    def ask(self, timeout: float | None, context: str = "") -> str | None:
        return self._get(timeout)
