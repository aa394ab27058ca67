"""Keeping the journal from the session's own events, as they happen.

The dialog and the player already report everything worth keeping to the
transcript (an outcome, a pain score, each exercise and how it ended); the
recorder watches those typed events (`voice.events`) and writes each fact the
moment it is known, so
a session killed halfway leaves what it had.  A journal that stops working
(a full disk) is reported once and the session goes on without it: the
person in front of the screen matters more than the record.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from ..content.paths import data_dir
from ..events.base import Event
from ..events.conversation import DialogEnded, Outcome, Seen, Stored
from ..events.routine import ExerciseEnded, Pain, RoutineEnded, RoutineStarted
from ..events.transcript import Transcript
from .store import Journal, JournalError, SessionEntry


class JournalRecorder:
    def __init__(self, journal: Journal, mode: str, errors: IO[str] | None = None):
        self.journal = journal
        self.errors = errors or sys.stderr
        self.session: int | None = None
        self.mode = mode
        self._ended: str | None = None  # how the last dialog or routine ended
        self._failed = False
        self.earlier: list[SessionEntry] = []  # the sessions before this one

    def start(self) -> None:
        def begin() -> None:
            self.earlier = self.journal.sessions()
            self.session = self.journal.begin(self.mode)

        self._safely(begin)

    def __call__(self, event: Event) -> None:
        """One event of the session, as it is emitted."""
        if self.session is None or self._failed:
            return
        session = self.session
        match event:
            case Outcome(tier=tier, flags=flags):
                self._safely(lambda: self.journal.outcome(session, tier, list(flags)))
            case Stored(name_="pain_before", value=int() as score):
                self._safely(lambda: self.journal.pain(session, "before", score))
            case Pain(when="before" | "after" as when, score=int() as score):
                self._safely(lambda: self.journal.pain(session, when, score))
            case RoutineStarted(id=routine):
                self._safely(lambda: self.journal.routine(session, routine))
            case Seen():
                self._safely(lambda: self.journal.seen(session))
            case DialogEnded(reason=reason) | RoutineEnded(reason=reason) if (
                    self._ended in (None, "completed")):
                self._ended = reason  # a routine that stopped outranks the dialog after it
            case ExerciseEnded(id=exercise, result=result, reason=reason):
                self._safely(lambda: self.journal.exercise(session, exercise, result, reason))

    def finish(self, reason: str | None = None) -> None:
        """The session is over: `reason` (error, say), else how its last part ended (completed,
        stop, hurts, symptom, closed)."""
        if self.session is not None and not self._failed:
            session, why = self.session, reason or self._ended or "completed"
            self._safely(lambda: self.journal.end(session, why))

    def _safely(self, write) -> None:
        try:
            write()
        except JournalError as error:
            self._failed = True
            print(f"backcare: {error}; this session is not being kept in the journal.",
                  file=self.errors)


def open_recorder(folder: str | None, mode: str, transcript: Transcript,
                  errors: IO[str] | None = None) -> JournalRecorder | None:
    """A recorder for this session, watching its transcript; None (and one line saying why)
    when the journal cannot be opened, for the session goes on without it."""
    errors = errors or sys.stderr
    try:
        journal = Journal(data_dir(folder))
    except JournalError as error:
        print(f"backcare: {error}; this session is not being kept in the journal.", file=errors)
        return None
    recorder = JournalRecorder(journal, mode, errors)
    recorder.start()
    transcript.watch(recorder)
    return recorder


@contextmanager
def journaled(recorder: JournalRecorder | None) -> Iterator[None]:
    """Ends the recorder's session however the block ends: as its last part ended, or as an
    error (an exception) or closed (Ctrl-C)."""
    try:
        yield
    except KeyboardInterrupt:
        if recorder:
            recorder.finish("closed")
        raise
    except BaseException:
        if recorder:
            recorder.finish("error")
        raise
    if recorder:
        recorder.finish()
