"""Session events as JSON lines, written and flushed as they happen.

Code emits typed events (`voice.events`); each is written as one JSON line.
Another program (a screen reader, a carer's monitor, a test) can follow the
session live by tailing the file; tests read the same lines from memory
(`events`, `of`), and the journal recorder watches the typed events as they
come to keep what is worth keeping.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

from ..clock import Clock
from .base import Event

E = TypeVar("E", bound=Event)


class TranscriptError(OSError):
    """The transcript file cannot be written where the user asked."""


class Transcript:
    """Collects events with their time since the session started; optionally mirrors to a file."""

    def __init__(self, clock: Clock, path: Path | str | None = None):
        self.clock = clock
        self.start = clock.now()
        self.events: list[dict[str, Any]] = []  # as written: {"t", "event", ...fields}
        self.typed: list[Event] = []  # as emitted
        self._watchers: list[Callable[[Event], None]] = []
        try:
            self._file: IO[str] | None = open(path, "w", encoding="utf-8") if path else None  # noqa: SIM115
        except OSError as error:
            reason = ("it is a folder" if isinstance(error, IsADirectoryError) else
                      "its folder does not exist" if isinstance(error, FileNotFoundError) else
                      "permission denied" if isinstance(error, PermissionError) else
                      error.strerror or str(error))
            raise TranscriptError(f"cannot write the transcript to {path}: {reason}") from error

    def watch(self, watcher: Callable[[Event], None]) -> None:
        """Call `watcher` with every event from now on, as it is emitted."""
        self._watchers.append(watcher)

    def emit(self, event: Event) -> dict[str, Any]:
        record = {"t": round(self.clock.now() - self.start, 3), "event": event.name,
                  **event.as_fields()}
        self.events.append(record)
        self.typed.append(event)
        if self._file:
            self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._file.flush()
        for watcher in self._watchers:
            watcher(event)
        return record

    def of(self, event: str) -> list[dict[str, Any]]:
        """The lines of one event name, as written."""
        return [item for item in self.events if item["event"] == event]

    def of_type(self, kind: type[E]) -> list[E]:
        """The events of one type, as emitted."""
        return [event for event in self.typed if isinstance(event, kind)]

    def close(self) -> None:
        if self._file:
            self._file.close()
            self._file = None

    def __enter__(self) -> Transcript:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
