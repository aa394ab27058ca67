"""The pain journal: one row per session in a local SQLite database, written as the session goes.

A physiotherapist's first question is "is it getting better?", so each session
keeps its start and end, the triage outcome and red flags, the pain before and
after, the routine, and what became of each exercise.  Nothing else: never audio,
never what the person said.

Every write is its own committed transaction in WAL mode, so a session killed at
any moment leaves a valid database with every earlier session whole and the
interrupted one marked incomplete with what it had.  The folder is the user's
own (0700) and the files are too (0600): SQLite creates its -wal and -shm files
with the database file's permissions, so the database file is made first.
The schema carries its version (`PRAGMA user_version`) and is migrated forward
one step at a time.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

# Each step takes the schema one version forward; a database at version n runs steps n, n+1...
MIGRATIONS: tuple[str, ...] = (
    # 1: sessions with their outcome and pain.
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        complete INTEGER NOT NULL DEFAULT 0,
        end_reason TEXT,
        outcome TEXT,
        flags TEXT NOT NULL DEFAULT '',
        pain_before INTEGER,
        pain_after INTEGER,
        routine TEXT
    );
    """,
    # 2: what became of each exercise, and whether the session was spoken or typed.
    """
    CREATE TABLE exercises (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        exercise TEXT NOT NULL,
        result TEXT NOT NULL,
        reason TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (session_id, position)
    );
    ALTER TABLE sessions ADD COLUMN mode TEXT NOT NULL DEFAULT 'text';
    """,
    # 3: when the person said they had been seen by a doctor since advice that blocked exercise.
    """
    ALTER TABLE sessions ADD COLUMN seen_at TEXT;
    """,
)
VERSION = len(MIGRATIONS)
EXERCISE_RESULTS = ("completed", "skipped", "stopped")
PainTime = Literal["before", "after"]  # which of a session's two pain scores


class JournalError(RuntimeError):
    """The journal cannot be opened or written (a read-only folder, a damaged file)."""


@dataclass(frozen=True)
class ExerciseEntry:
    exercise: str
    result: str  # completed | skipped | stopped
    reason: str | None = None  # for a stopped one: stop, hurts, symptom, closed, error


@dataclass(frozen=True)
class SessionEntry:
    id: int
    started_at: datetime
    ended_at: datetime | None
    complete: bool
    end_reason: str | None
    outcome: str | None
    flags: tuple[str, ...]
    pain_before: int | None
    pain_after: int | None
    routine: str | None
    mode: str
    exercises: tuple[ExerciseEntry, ...] = field(default_factory=tuple)
    seen_at: datetime | None = None  # said "I have been seen" about earlier advice


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Journal:
    def __init__(self, folder: Path):
        self.path = folder / "journal.sqlite3"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(folder, 0o700)
            if not self.path.exists():
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(self.path, 0o600)
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except (OSError, sqlite3.Error) as error:
            raise JournalError(f"the journal at {self.path} cannot be used ({error})") from error

    # ------------------------------------------------------------------ schema
    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > VERSION:
            raise JournalError(f"the journal was written by a newer backcare (schema {version}, "
                               f"this one knows {VERSION})")
        for step in range(version, VERSION):
            with self._transaction():
                for statement in _statements(MIGRATIONS[step]):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={step + 1}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _write(self, sql: str, values: tuple) -> int:
        """One statement in its own committed transaction; the row id it wrote."""
        try:
            with self._transaction():
                return int(self._db.execute(sql, values).lastrowid or 0)
        except sqlite3.Error as error:
            raise JournalError(f"the journal at {self.path} could not be written ({error})") from error

    # ----------------------------------------------------------------- writing
    def begin(self, mode: str = "text") -> int:
        return self._write("INSERT INTO sessions (started_at, mode) VALUES (?, ?)",
                           (_now().isoformat(), mode))

    def outcome(self, session: int, outcome: str, flags: list[str]) -> None:
        self._write("UPDATE sessions SET outcome = ?, flags = ? WHERE id = ?",
                    (outcome, ",".join(flags), session))

    def pain(self, session: int, when: PainTime, score: int) -> None:
        column = {"before": "pain_before", "after": "pain_after"}[when]
        self._write(f"UPDATE sessions SET {column} = ? WHERE id = ?", (score, session))

    def routine(self, session: int, routine: str) -> None:
        self._write("UPDATE sessions SET routine = ? WHERE id = ?", (routine, session))

    def exercise(self, session: int, exercise: str, result: str, reason: str | None = None) -> None:
        if result not in EXERCISE_RESULTS:
            raise ValueError(f"an exercise is {', '.join(EXERCISE_RESULTS)}, not {result!r}")
        self._write("INSERT INTO exercises (session_id, position, exercise, result, reason, at) "
                    "VALUES (?, (SELECT COUNT(*) FROM exercises WHERE session_id = ?), ?, ?, ?, ?)",
                    (session, session, exercise, result, reason, _now().isoformat()))

    def seen(self, session: int) -> None:
        """The person said they have been seen by a doctor since the last advice that blocked
        exercise."""
        self._write("UPDATE sessions SET seen_at = ? WHERE id = ?", (_now().isoformat(), session))

    def end(self, session: int, reason: str) -> None:
        self._write("UPDATE sessions SET ended_at = ?, end_reason = ?, complete = 1 WHERE id = ?",
                    (_now().isoformat(), reason, session))

    def delete_all(self) -> int:
        """Forget every session; the number forgotten."""
        with self._transaction():
            count = self._db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
            self._db.execute("DELETE FROM exercises")
            self._db.execute("DELETE FROM sessions")
        self._db.execute("VACUUM")  # the deleted rows leave no trace in the file
        return int(count)

    # ----------------------------------------------------------------- reading
    def sessions(self) -> list[SessionEntry]:
        """Every session, oldest first."""
        rows = self._db.execute(
            "SELECT id, started_at, ended_at, complete, end_reason, outcome, flags, pain_before, "
            "pain_after, routine, mode, seen_at FROM sessions ORDER BY started_at, id").fetchall()
        exercises: dict[int, list[ExerciseEntry]] = {}
        for session, exercise, result, reason in self._db.execute(
                "SELECT session_id, exercise, result, reason FROM exercises "
                "ORDER BY session_id, position"):
            exercises.setdefault(session, []).append(ExerciseEntry(exercise, result, reason))
        return [SessionEntry(row[0], datetime.fromisoformat(row[1]),
                             datetime.fromisoformat(row[2]) if row[2] else None, bool(row[3]),
                             row[4], row[5], tuple(f for f in row[6].split(",") if f), row[7],
                             row[8], row[9], row[10], tuple(exercises.get(row[0], ())),
                             datetime.fromisoformat(row[11]) if row[11] else None)
                for row in rows]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]
